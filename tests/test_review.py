"""`llm-policy diff` and `check --baseline` on a temporary git repository with a history."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import jsonschema
import pytest

from conftest import FIXED_DATE, MINIMAL, REPO, write
from report_builders import reference_file

MANIFEST = "services/chat/llm-sourcing.yaml"

# A compliant RU project: a self-hosted model for personal data.
BASE = """\
apiVersion: llm-policy/v1
project:
  name: support-assistant
  owner: ai-platform@example.com
  customer_facing: true
  jurisdictions: [RU]
data:
  classes: [personal, internal]
sources:
  - id: local-qwen
    sector: open_source
    model: Qwen/Qwen2.5-7B-Instruct
    license: Apache-2.0
    hosting: on_prem
    region: RU
"""

# The pull request: a US cloud API now receives personal data.
US_API = BASE + """\
  - id: gpt4o
    sector: cloud_api
    provider: openai
    model: gpt-4o
    hosting: provider
    region: US
    data_classes: [personal]
routing:
  strategy: layered
  routes:
    - {name: simple, to: local-qwen}
    - {name: complex, to: gpt4o}
"""

# BASE, reformatted: other indentation, flow style, key order, comments. Same manifest.
REFORMATTED = """\
# reformatted by a YAML formatter
apiVersion: llm-policy/v1
data: {classes: [personal, internal]}
project:
    owner: ai-platform@example.com
    name: support-assistant
    jurisdictions:
        - RU
    customer_facing: true
sources:
    -   region: RU
        hosting: on_prem
        id: local-qwen
        license: Apache-2.0
        model: Qwen/Qwen2.5-7B-Instruct
        sector: open_source
"""

# An old manifest with known findings (an expired DPA), committed before the gate was adopted.
LEGACY = (REPO / "examples" / "invalid" / "expired-dpa" / "llm-sourcing.yaml").read_text(encoding="utf-8")


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit(root: Path, files: dict[str, str], message: str) -> str:
    for name, text in files.items():
        write(root / name, text)
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    commit(root, {MANIFEST: BASE, "services/legacy/llm-sourcing.yaml": LEGACY}, "initial")
    git(root, "checkout", "-q", "-b", "pr")
    return root


def diff_json(cli, root: Path, *args: str):
    result = cli("diff", *args, "--format", "json", "--date", FIXED_DATE, cwd=root)
    return result, (json.loads(result.out) if result.out else None)


# --- diff ---------------------------------------------------------------------------------------


def test_us_cloud_api_for_personal_data_is_the_headline_and_a_new_finding(cli, repo):
    commit(repo, {MANIFEST: US_API}, "route complex requests to gpt-4o")
    result, report = diff_json(cli, repo, "main", "pr")
    assert result.code == 0, result.err
    top = report["changes"][0]
    assert (top["kind"], top["risk"], top["data_class"], top["source_id"]) == ("data_reach", "high", "personal", "gpt4o")
    assert "provider openai" in top["message"] and "region US" in top["message"] and top["jurisdictions"] == ["152-FZ"]
    new = {(f["rule_id"], f["source_id"]) for f in report["findings"]["new"]}
    assert {("LP401", "gpt4o"), ("LP102", "gpt4o"), ("LP301", "gpt4o")} <= new
    assert report["findings"]["fixed"] == []
    assert [f["path"] for f in report["files"]] == [MANIFEST]  # the untouched legacy manifest is not re-checked
    assert report["base"]["commit"] == git(repo, "rev-parse", "main")

    markdown = cli("diff", "main", "pr", "--format", "markdown", "--date", FIXED_DATE, cwd=repo).out
    lines = markdown.splitlines()
    assert lines[0] == "<!-- llm-policy-diff -->"
    assert lines[1].startswith("## ⚠️ `personal` data newly reaches provider `openai`") and "`US`" in lines[1]
    assert markdown.index("### Risk-relevant sourcing changes") < markdown.index("### New findings") < markdown.index("<details>")

    gate = cli("diff", "main", "pr", "--fail-on", "error", "--date", FIXED_DATE, cwd=repo)
    assert gate.code == 1  # a new error under --fail-on error


def test_working_tree_is_the_default_head(cli, repo):
    write(repo / MANIFEST, US_API)  # not committed
    result, report = diff_json(cli, repo, "main")
    assert result.code == 0
    assert report["head"] == {"spec": "working tree", "kind": "worktree", "commit": None}
    assert any(f["rule_id"] == "LP401" for f in report["findings"]["new"])


def test_reformatting_only_changes_no_finding_and_no_sourcing(cli, repo):
    commit(repo, {MANIFEST: US_API}, "bad")
    git(repo, "branch", "bad")
    reformatted_bad = REFORMATTED.replace("data: {classes: [personal, internal]}", "data: {classes: [internal, personal]}") + \
        US_API[len(BASE):].replace("  - id: gpt4o", "    -   id: gpt4o").replace("\n    ", "\n        ")
    commit(repo, {MANIFEST: reformatted_bad}, "reformat")
    result, report = diff_json(cli, repo, "bad", "pr")
    assert result.code == 0, result.err
    assert [f["status"] for f in report["files"]] == ["modified"]
    assert report["changes"] == []
    assert report["findings"]["new"] == [] and report["findings"]["fixed"] == []
    assert len(report["findings"]["unchanged"]) >= 4  # the same findings, at other lines


def test_rename_is_followed(cli, repo):
    git(repo, "mv", "services/chat", "services/assistant")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "rename")
    result, report = diff_json(cli, repo, "main", "pr")
    assert result.code == 0
    assert report["files"] == [{"path": "services/assistant/llm-sourcing.yaml", "status": "renamed", "base_path": MANIFEST}]
    assert report["findings"]["new"] == report["findings"]["fixed"] == []


def test_fixing_a_finding_and_removing_a_manifest(cli, repo):
    fixed = LEGACY.replace("2026-06-30", "2027-06-30")
    commit(repo, {"services/legacy/llm-sourcing.yaml": fixed}, "renew the DPA")
    (repo / MANIFEST).unlink()
    commit(repo, {}, "drop chat")
    result, report = diff_json(cli, repo, "main", "pr")
    assert result.code == 0
    assert {f["rule_id"] for f in report["findings"]["fixed"]} >= {"LP103"}
    assert {(f["path"], f["status"]) for f in report["files"]} == {(MANIFEST, "removed"), ("services/legacy/llm-sourcing.yaml", "modified")}
    kinds = {c["kind"] for c in report["changes"]}
    assert {"manifest_removed", "dpa_changed"} <= kinds


def test_diff_json_matches_its_schema(cli, repo):
    commit(repo, {MANIFEST: US_API}, "pr")
    _, report = diff_json(cli, repo, "main", "pr")
    schema = json.loads((REPO / "schemas" / "diff.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)


def test_two_paths_compare_without_git(cli, tmp_path):
    old, new = write(tmp_path / "a" / "llm-sourcing.yaml", BASE), write(tmp_path / "b" / "llm-sourcing.yaml", US_API)
    result, report = diff_json(cli, tmp_path, str(old), str(new))
    assert result.code == 0, result.err
    assert report["base"]["kind"] == report["head"]["kind"] == "path"
    assert report["changes"][0]["kind"] == "data_reach"


@pytest.mark.parametrize("args, message", [
    (("no-such-branch",), "unknown revision 'no-such-branch'"),
    (("main", "no-such-branch"), "unknown revision 'no-such-branch'"),
    (("--", "-x"), "unknown revision '-x'"),  # never handed to git as an option
])
def test_unknown_revision_fails_closed(cli, repo, args, message):
    result = cli("diff", *args, cwd=repo)
    assert result.code == 2 and result.out == ""
    assert message in result.err


def test_outside_a_repository_a_revision_fails_closed(cli, tmp_path):
    result = cli("diff", "main", cwd=tmp_path)
    assert result.code == 2 and "not inside a git repository" in result.err


def test_shallow_clone_without_the_base_fails_closed(cli, repo, tmp_path):
    commit(repo, {MANIFEST: US_API}, "pr")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "pr", f"file://{repo}", str(clone)], check=True)
    base = git(repo, "rev-parse", "main")
    result = cli("diff", base, cwd=clone)
    assert result.code == 2 and "shallow clone" in result.err and "fetch-depth: 0" in result.err


def test_path_that_is_also_a_revision_is_ambiguous(cli, repo):
    (repo / "main").mkdir()
    result = cli("diff", "main", cwd=repo)
    assert result.code == 2 and "both a path and a git revision" in result.err


def test_unreadable_manifest_on_a_side_is_a_fault(cli, repo):
    (repo / MANIFEST).unlink()
    (repo / MANIFEST).symlink_to(repo / "missing.yaml")
    result, report = diff_json(cli, repo, "main")
    assert result.code == 2
    assert report["faults"] and report["faults"][0]["file"] == MANIFEST


def test_markdown_renders_manifest_values_inert(cli, tmp_path):
    hostile = "'@octocat <img src=x onerror=alert(1)> [click](https://evil.example) `tick` a|b'"
    old = write(tmp_path / "a.yaml", MINIMAL)
    new = write(tmp_path / "b.yaml", MINIMAL + f"""\
  - id: api
    sector: cloud_api
    provider: {hostile}
    model: {hostile}
    region: US
""")
    markdown = cli("diff", str(old), str(new), "--format", "markdown", "--date", FIXED_DATE, cwd=tmp_path).out
    for line in markdown.splitlines():
        # Outside code spans no manifest text survives: strip the spans and nothing dangerous is left.
        bare = re.sub(r"(`+)(?:(?!\1).)*?\1", "", line)
        if line.startswith("<!--") or line.startswith("<sub>") or line.startswith("<details>") or line == "</details>":
            continue
        assert "@octocat" not in bare and "<img" not in bare and "](https://evil" not in bare, line
    assert "``" in markdown  # the backtick in the value got a longer fence
    assert "a\\|b" in markdown  # pipes cannot split table cells


# --- check --baseline ---------------------------------------------------------------------------


def test_baseline_passes_old_findings_and_fails_on_a_new_one(cli, repo):
    plain = cli("check", "--date", FIXED_DATE, cwd=repo)
    assert plain.code == 1  # the legacy manifest has errors
    adopted = cli("check", "--baseline", "main", "--date", FIXED_DATE, cwd=repo)
    assert adopted.code == 0, adopted.out + adopted.err
    assert "[baseline]" in adopted.out and "in baseline" in adopted.out.splitlines()[-1]

    write(repo / MANIFEST, US_API)
    gated = cli("check", "--baseline", "main", "--date", FIXED_DATE, "--format", "json", cwd=repo)
    assert gated.code == 1
    states = {(f["rule_id"], f["source_id"]): f["baseline_state"] for f in gated.findings()}
    assert states[("LP401", "gpt4o")] == "new" and states[("LP103", "claude")] == "unchanged"
    report_schema = json.loads((REPO / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(report_schema).validate(gated.report)

    lenient = cli("check", "--baseline", "main", "--date", FIXED_DATE, "--fail-on", "never", cwd=repo)
    assert lenient.code == 0


def test_baseline_survives_reformatting(cli, repo):
    commit(repo, {MANIFEST: US_API}, "bad")
    reformatted = US_API.replace("  - id: gpt4o\n", "  - region: US\n    id: gpt4o\n").replace("    region: US\n    data_classes", "    data_classes")
    write(repo / MANIFEST, "# moved things around\n" + reformatted)
    result = cli("check", "--baseline", "HEAD", "--date", FIXED_DATE, cwd=repo)
    assert result.code == 0, result.out


def test_baseline_from_a_saved_json_report(cli, repo, tmp_path):
    saved = tmp_path / "baseline.json"
    first = cli("check", "--date", FIXED_DATE, "--output", f"json={saved}", cwd=repo)
    assert first.code == 1 and saved.is_file()
    again = cli("check", "--baseline", str(saved), "--date", FIXED_DATE, cwd=repo)
    assert again.code == 0
    write(repo / "services/legacy/llm-sourcing.yaml", LEGACY.replace("2026-06-30", "2027-06-30"))
    fixed = cli("check", "--baseline", str(saved), "--date", FIXED_DATE, "--format", "json", cwd=repo)
    assert fixed.code == 0
    assert {f["rule_id"] for f in fixed.report["baseline"]["absent"]} >= {"LP103"}


def test_sarif_baseline_state_is_the_standard_field(cli, repo):
    write(repo / MANIFEST, US_API)
    sarif = json.loads(cli("check", "--baseline", "main", "--date", FIXED_DATE, "--format", "sarif", cwd=repo).out)
    schema = json.loads(reference_file("sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    results = sarif["runs"][0]["results"]
    states = {r["baselineState"] for r in results}
    assert states == {"new", "unchanged"}
    write(repo / "services/legacy/llm-sourcing.yaml", LEGACY.replace("2026-06-30", "2027-06-30"))
    sarif = json.loads(cli("check", "--baseline", "main", "--date", FIXED_DATE, "--format", "sarif", cwd=repo).out)
    absent = [r for r in sarif["runs"][0]["results"] if r["baselineState"] == "absent"]
    assert absent and all(r["kind"] == "pass" and r["level"] == "none" and "partialFingerprints" not in r for r in absent)


def test_baseline_findings_in_every_format(cli, repo):
    for fmt, marker in (("github", "(baseline)"), ("markdown", "Findings in the baseline"), ("junit", "[baseline]")):
        out = cli("check", "--baseline", "main", "--date", FIXED_DATE, "--format", fmt, cwd=repo).out
        assert marker in out, fmt


@pytest.mark.parametrize("content, message", [
    ("not json", "not JSON"),
    ('{"report_version": "0", "files": []}', "not an llm-policy JSON report"),
    ('{"report_version": "1", "files": [{"findings": [{"rule_id": "LP1"}]}]}', "without rule_id"),
])
def test_bad_baseline_file_fails_closed(cli, repo, tmp_path, content, message):
    bad = write(tmp_path / "baseline.json", content)
    result = cli("check", "--baseline", str(bad), cwd=repo)
    assert result.code == 2 and message in result.err


def test_unknown_baseline_revision_fails_closed(cli, repo):
    result = cli("check", "--baseline", "v9.9", cwd=repo)
    assert result.code == 2 and "unknown revision 'v9.9'" in result.err


@pytest.mark.parametrize("value", ["", "  "])
def test_empty_baseline_is_an_error_not_no_baseline(cli, repo, value):
    result = cli("check", "--baseline", value, cwd=repo)
    assert result.code == 2 and "empty value" in result.err


def test_baseline_outside_a_repository_fails_closed(cli, tmp_path):
    write(tmp_path / "llm-sourcing.yaml", MINIMAL)
    result = cli("check", "--baseline", "main", cwd=tmp_path)
    assert result.code == 2 and "not inside a git repository" in result.err


def test_sarif_and_review_share_one_fingerprint():
    from llm_policy.output import fingerprint
    from llm_policy.output import sarif

    assert sarif.fingerprint_key is fingerprint.fingerprint_key


# --- sourcing changes, one kind at a time --------------------------------------------------------


def _changes(before: str, after: str, today: str = FIXED_DATE) -> dict[str, dict]:
    from llm_policy.load import parse_document
    from llm_policy.review.sourcing import compare, sort_changes

    docs = [parse_document(text, Path("m.yaml")).data for text in (before, after)]
    return {c.kind: c for c in sort_changes(compare("m.yaml", docs[0], docs[1], today))}


CLOUD = BASE.replace("jurisdictions: [RU]", "jurisdictions: [EU]") + """\
  - id: mistral
    sector: cloud_api
    provider: mistral
    model: mistral-large-latest
    hosting: provider
    region: EU
    data_classes: [internal]
    dpa:
      reference: M-1
      signed: 2025-01-01
      expires: 2027-01-01
      training_opt_out: true
routing:
  strategy: fallback
  fallbacks:
    - {from: mistral, to: [local-qwen]}
"""


def test_dpa_expiry_removal_and_weakening_are_high_risk():
    expired = _changes(CLOUD, CLOUD.replace("expires: 2027-01-01", "expires: 2026-01-01"))
    assert expired["dpa_expired"].risk == "high" and expired["dpa_expired"].pointer == "/sources/1/dpa/expires"
    removed = _changes(CLOUD, CLOUD.split("    dpa:")[0] + "routing:" + CLOUD.split("routing:")[1])
    assert removed["dpa_removed"].risk == "high" and removed["dpa_removed"].values == ["mistral", "M-1"]
    weaker = _changes(CLOUD, CLOUD.replace("training_opt_out: true", "training_opt_out: false"))
    assert weaker["dpa_changed"].risk == "high" and (weaker["dpa_changed"].before, weaker["dpa_changed"].after) == ("true", "false")


def test_license_fallback_and_project_flag_changes():
    after = (CLOUD.replace("license: Apache-2.0", "license: cc-by-nc-4.0")
             .replace("customer_facing: true", "customer_facing: false")
             .replace("jurisdictions: [EU]", "jurisdictions: [EU, RU]")
             .replace("    - {from: mistral, to: [local-qwen]}\n", "    - {from: local-qwen, to: [mistral]}\n"))
    changes = _changes(CLOUD, after)
    assert changes["license_changed"].risk == "high" and changes["license_changed"].after == "cc-by-nc-4.0"
    assert changes["project_customer_facing"].after == "false"
    assert changes["project_jurisdictions"].risk == "high" and changes["project_jurisdictions"].jurisdictions == ["RU"]
    assert changes["fallback_removed"].risk == "medium" and changes["fallback_added"].risk == "low"


def test_personal_data_outside_the_eu_touches_gdpr():
    after = CLOUD.replace("data_classes: [internal]", "data_classes: [personal]").replace("region: EU", "region: US")
    change = _changes(CLOUD, after)["data_reach"]
    assert change.risk == "high" and change.data_class == "personal" and change.jurisdictions == ["GDPR"]


def test_identical_manifests_have_no_change():
    assert _changes(CLOUD, CLOUD) == {}


def test_text_and_output_files(cli, repo, tmp_path):
    commit(repo, {MANIFEST: US_API}, "pr")
    md, js = tmp_path / "out" / "diff.md", tmp_path / "diff.json"
    result = cli("diff", "main", "pr", "--date", FIXED_DATE, "-o", f"markdown={md}", "-o", f"json={js}", cwd=repo)
    assert result.code == 0
    first = result.out.splitlines()[0]
    assert first.startswith("llm-policy diff main (") and "1 manifest changed" in first and "new findings" in first
    assert "Sourcing changes:" in result.out and "New findings:" in result.out
    assert md.read_text(encoding="utf-8").startswith("<!-- llm-policy-diff -->")
    assert json.loads(js.read_text(encoding="utf-8"))["summary"]["new_findings"] >= 3
    assert cli("diff", "main", "-o", "sarif=x", cwd=repo).code == 2


def test_symbolic_link_in_a_revision_is_a_fault(cli, repo):
    (repo / "services" / "link").mkdir()
    (repo / "services" / "link" / "llm-sourcing.yaml").symlink_to("../chat/llm-sourcing.yaml")
    commit(repo, {}, "link")
    result, report = diff_json(cli, repo, "pr", "main")  # the link exists on the base side only
    assert result.code == 2
    assert "symbolic link" in report["faults"][0]["message"]


def test_no_change_at_all(cli, repo):
    result, report = diff_json(cli, repo, "main")
    assert result.code == 0 and report["files"] == [] and report["summary"]["files"] == 0
    assert "no manifest changed" in cli("diff", "main", "-f", "markdown", cwd=repo).out


def test_compare_never_crashes_on_malformed_manifests():
    """Either side may be schema-invalid (the findings say so); the comparison must still complete."""
    from hypothesis import given, settings, strategies as st

    from llm_policy.review.sourcing import compare

    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5), st.sampled_from(["personal", "RU", "US", "openai"]))
    values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                             st.dictionaries(st.sampled_from(
                                                                 ["id", "sector", "provider", "region", "hosting", "model", "license",
                                                                  "data_classes", "dpa", "expires", "reference", "from", "to",
                                                                  "classes", "jurisdictions", "customer_facing", "fallbacks"]), inner, max_size=4)),
                          max_leaves=12)
    docs = st.fixed_dictionaries({}, optional={"project": values, "data": values, "sources": values, "routing": values})

    @settings(max_examples=150, deadline=None)
    @given(docs, docs)
    def check(before, after):
        for change in compare("m.yaml", before, after, FIXED_DATE):
            assert change.message == change.template.format(*change.values)

    check()


def test_markdown_stays_under_the_comment_limit(cli, tmp_path):
    from llm_policy.review.render import MAX_CHARS, render_markdown

    finding = {"rule_id": "LP101", "severity": "error", "file": "m.yaml", "line": 1, "column": 1, "message": "x" * 5000}
    change = {"kind": "source_added", "risk": "high", "file": "m.yaml", "pointer": "", "message": "y" * 5000,
              "template": "Source added: {}.", "values": ["y" * 5000]}
    report = {"diff_version": "1", "tool": {"name": "llm-policy", "version": "0"}, "evaluation_date": FIXED_DATE,
              "base": {"spec": "main", "kind": "revision", "commit": "0" * 40}, "head": {"spec": "working tree", "kind": "worktree", "commit": None},
              "summary": {"files": 1, "added": 0, "removed": 0, "modified": 1, "renamed": 0, "changes": 300, "high_risk": 300,
                          "new_findings": 300, "fixed_findings": 0, "unchanged_findings": 0, "faults": 0},
              "files": [{"path": "m.yaml", "status": "modified", "base_path": None}], "changes": [change] * 300,
              "findings": {"new": [finding] * 300, "fixed": [], "unchanged": []}, "faults": []}
    body = render_markdown(report)
    assert len(body) <= MAX_CHARS and "more rows not shown" in body
