"""Drift detection end to end (issue 13): `check --scan`, `scan`, LP601-LP604, waivers, formats, the hook.

A temporary git repository holds a service whose manifest declares one provider (anthropic) and
code in Python, TypeScript, Go and Java that uses another (openai). Every assertion is what a user
sees: exit codes, rule ids, the code's own file:line:col in every output format.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXED_DATE, write

MANIFEST = "services/chat/llm-sourcing.yaml"
DECLARES_ANTHROPIC = """\
apiVersion: llm-policy/v1
project:
  name: chat
  owner: chat-team@example.com
  jurisdictions: [US]
data:
  classes: [public]
sources:
  - id: claude
    sector: cloud_api
    provider: anthropic
    model: claude-3-5-haiku
    hosting: provider
    region: US
"""
ALSO_OPENAI = DECLARES_ANTHROPIC + """\
  - id: gpt
    sector: cloud_api
    provider: openai
    model: gpt-4o-mini-2024-07-18
    hosting: provider
    region: US
routing:
  strategy: fallback
  routes:
    - {name: all, to: claude}
  fallbacks:
    - {from: claude, to: [gpt]}
    - {from: gpt, to: [claude]}
"""
CODE = {
    "services/chat/app.py": '"""Chat service: we also tried openai once (prose, not usage)."""\nimport anthropic\nfrom openai import OpenAI\n\nclaude = anthropic.Anthropic()\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o-mini-2024-07-18", messages=[])\n',
    "services/chat/web/client.ts": '// import Anthropic from "@anthropic-ai/sdk";\nimport OpenAI from "openai";\n\nexport const client = new OpenAI();\n',
    "services/chat/go/main.go": 'package main\n\nimport (\n\t"fmt"\n\topenai "github.com/sashabaranov/go-openai"\n)\n\nfunc main() { fmt.Println(openai.GPT4oMini) }\n',
    "services/chat/java/Svc.java": 'package chat;\n\nimport com.openai.client.OpenAIClient;\n\nclass Svc { OpenAIClient client; }\n',
    "services/chat/tests/fixtures/recorded.py": "import mistralai\n",  # a fixture: excluded by default
    "services/chat/README.md": "Uses `import openai` and api.openai.com.\n",  # prose: never scanned
}
EXPECTED_LP601 = {
    ("services/chat/app.py", 3, 1),
    ("services/chat/web/client.ts", 2, 20),
    ("services/chat/go/main.go", 5, 9),
    ("services/chat/java/Svc.java", 3, 8),
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()  # the repository root for report paths (no git needed in-process)
    write(tmp_path / MANIFEST, DECLARES_ANTHROPIC)
    for path, text in CODE.items():
        write(tmp_path / path, text)
    return tmp_path


def check(cli, repo: Path, *args: str, fmt: str = "json"):
    return cli("check", "--scan", "--date", FIXED_DATE, "--format", fmt, *args, cwd=repo)


def located(result, rule: str) -> set[tuple[str, int, int]]:
    return {(f["file"], f["line"], f["column"]) for f in result.findings() if f["rule_id"] == rule}


def test_undeclared_provider_is_reported_in_every_language_at_the_code(cli, repo):
    result = check(cli, repo)
    assert result.code == 1, result.out
    assert located(result, "LP601") == EXPECTED_LP601
    finding = next(f for f in result.findings() if f["file"] == "services/chat/app.py")
    assert finding["severity"] == "error" and finding["pointer"] == "/sources"
    assert "services/chat/app.py uses openai (import openai.OpenAI, model gpt-4o-mini-2024-07-18)" in finding["message"]
    assert f"no source of {MANIFEST} declares it" in finding["message"]
    assert result.report["files"][0]["path"] == MANIFEST  # grouped under the governing manifest
    assert not [f for f in result.findings() if "fixtures" in f["file"] or "README" in f["file"]]
    assert located(result, "LP604") == set()


def test_drift_report_validates_against_the_report_schema(cli, repo):
    import jsonschema

    write(repo / "tools/eval.py", "import anthropic\n")  # an LP604 entry too
    schema = json.loads((Path(__file__).resolve().parents[1] / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(check(cli, repo).report)


def test_text_output_shows_the_code_location(cli, repo):
    result = check(cli, repo, fmt="text")
    assert result.code == 1
    assert re.search(r"^services/chat/go/main\.go:5:9: error LP601 ", result.out, re.MULTILINE), result.out


def test_declaring_the_provider_makes_the_repository_pass(cli, repo):
    write(repo / MANIFEST, ALSO_OPENAI)
    result = check(cli, repo)
    assert result.code == 0, result.out
    assert [f for f in result.findings() if f["severity"] != "info"] == []


def test_undeclared_model_of_a_declared_provider_warns(cli, repo):
    write(repo / MANIFEST, ALSO_OPENAI.replace("model: gpt-4o-mini-2024-07-18", "model: gpt-4o"))
    result = check(cli, repo)
    assert result.code == 0  # a warning
    assert located(result, "LP602") == {("services/chat/app.py", 7, 38)}


def test_a_waiver_silences_exactly_one_finding(cli, repo):
    write(repo / "llm-policy-waivers.yaml", f"""\
waivers:
  - rule: LP601
    manifest: {MANIFEST}
    file: services/chat/go/main.go
    justification: the Go prototype is being deleted in PR 42
    approved_by: CHAT-7
    expires: 2027-01-31
""")
    result = check(cli, repo)
    waived = {(f["file"], f["line"]) for f in result.findings() if f["waiver"]}
    assert waived == {("services/chat/go/main.go", 5)}
    assert len([f for f in result.findings() if f["rule_id"] == "LP601" and not f["waiver"]]) == 3
    assert result.code == 1
    for scope in (["--no-scan"], ["--", "services/chat/app.py"]):  # the waived code is not scanned
        other = check(cli, repo, *scope, "--allow-empty", fmt="text")
        assert "LP901" not in other.out, other.out  # not "unused": the scope decides
    listed = cli("waivers", "--format", "json", "--date", FIXED_DATE, cwd=repo)
    assert listed.code == 0, listed.out  # judged by its dates alone: `waivers` does not scan


@pytest.mark.parametrize("fmt, expected", [
    ("github", "::error file=services/chat/java/Svc.java,line=3,col=8,"),
    ("markdown", "services/chat/java/Svc.java:3:8"),
    ("junit", "services/chat/java/Svc.java:3:8"),
])
def test_every_format_points_at_the_code(cli, repo, fmt, expected):
    result = check(cli, repo, fmt=fmt)
    assert result.code == 1
    assert expected in result.out, result.out


def test_sarif_locates_the_code(cli, repo):
    result = check(cli, repo, fmt="sarif")
    results = json.loads(result.out)["runs"][0]["results"]
    places = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
               r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results if r["ruleId"] == "LP601"}
    assert places == {(file, line) for file, line, _ in EXPECTED_LP601}
    fingerprints = [r["partialFingerprints"]["llmPolicy/v1"] for r in results]
    assert len(set(fingerprints)) == len(fingerprints)


def test_code_no_manifest_governs_is_lp604_and_waivable_by_its_file(cli, repo):
    write(repo / "tools/eval.py", "import json\nimport anthropic\n")
    result = check(cli, repo)
    assert located(result, "LP604") == {("tools/eval.py", 2, 1)}
    entry = next(r for r in result.report["files"] if r["path"] == "tools/eval.py")
    assert [f["rule_id"] for f in entry["findings"]] == ["LP604"]
    write(repo / "llm-policy-waivers.yaml", """\
waivers:
  - rule: LP604
    manifest: tools/eval.py
    justification: offline evaluation script, never deployed
    approved_by: CHAT-8
    expires: 2027-01-31
""")
    waived = check(cli, repo)
    assert [f["waiver"] is not None for f in waived.findings() if f["rule_id"] == "LP604"] == [True]


def test_declared_source_without_evidence_is_noted_only_on_a_full_scan(cli, repo):
    write(repo / MANIFEST, ALSO_OPENAI.replace("provider: anthropic", "provider: mistral").replace("claude-3-5-haiku", "mistral-small"))
    full = check(cli, repo)
    lp603 = [f for f in full.findings() if f["rule_id"] == "LP603"]
    assert [(f["severity"], f["source_id"], f["file"]) for f in lp603] == [("info", "claude", MANIFEST)]
    subset = check(cli, repo, "--", "services/chat/app.py")
    assert [f for f in subset.findings() if f["rule_id"] == "LP603"] == []


def test_a_file_subset_reports_only_that_code(cli, repo):
    """What the pre-commit hook runs: changed files in, their manifest's verdict on them out."""
    result = check(cli, repo, "--allow-empty", "--", "services/chat/web/client.ts", "services/chat/README.md")
    assert result.code == 1
    assert {f["rule_id"] for f in result.findings()} == {"LP601"}
    assert located(result, "LP601") == {("services/chat/web/client.ts", 2, 20)}
    nothing = check(cli, repo, "--allow-empty", "--", "services/chat/README.md")
    assert nothing.code == 0 and nothing.report["files"] == []


def test_a_broken_manifest_still_blocks_drift_checks_of_its_code(cli, repo):
    write(repo / MANIFEST, DECLARES_ANTHROPIC.replace("sector: cloud_api", "sector: cloud"))
    result = check(cli, repo, "--allow-empty", "--", "services/chat/app.py")
    assert result.code == 1
    assert {f["rule_id"] for f in result.findings()} == {"LP001"}


def test_files_the_scan_cannot_read_fail_closed(cli, repo):
    write(repo / "services/chat/legacy.py", "import openai\nprint 'py2'\n")
    write(repo / "services/chat/bundle.js", "import x from 'openai';\n" + "//" * (1024 * 1024 + 1))
    result = check(cli, repo, fmt="text")
    assert result.code == 2
    assert "services/chat/legacy.py: error [io] not scanned for LLM usage: cannot be parsed as python" in result.out
    assert "services/chat/bundle.js: error [io] not scanned for LLM usage: larger than 2 MiB" in result.out
    excluded = check(cli, repo, "--exclude", "services/chat/legacy.py", "--exclude", "*.js", fmt="text")
    assert excluded.code == 1  # back to the LP601 findings
    scanned = cli("scan", cwd=repo)
    assert scanned.code == 2 and "services/chat/legacy.py: not scanned" in scanned.err


def test_drift_hook_selects_code_dependency_and_config_files():
    pre_commit = pytest.importorskip("pre_commit.clientlib")
    hooks = {h["id"]: h for h in pre_commit.load_manifest(str(Path(__file__).resolve().parents[1] / ".pre-commit-hooks.yaml"))}
    hook = hooks["llm-policy-drift"]
    assert hook["entry"] == "llm-policy check --scan --allow-empty --" and hook["pass_filenames"] is True
    pattern = re.compile(hook["files"])
    for path in ("app.py", "web/src/a.tsx", "main.go", "Svc.java", "package.json", "requirements-dev.txt",
                 "go.mod", "pom.xml", "build.gradle.kts", "k8s/deploy.yaml", ".env", "svc/llm-sourcing.yaml"):
        assert pattern.search(path), path
    for path in ("README.md", "policy/x.rego", "image.png", "notes.txt"):
        assert not pattern.search(path), path


def test_scan_lists_the_inventory(cli, repo):
    result = cli("scan", "--format", "json", cwd=repo)
    assert result.code == 0
    items = json.loads(result.out)["evidence"]
    go = next(i for i in items if i["file"] == "services/chat/go/main.go")
    assert go == {"provider": "openai", "sector": "cloud_api", "kind": "import", "file": "services/chat/go/main.go",
                  "line": 5, "column": 9, "match": "github.com/sashabaranov/go-openai", "language": "go",
                  "model": None, "manifest": MANIFEST}
    text = cli("scan", cwd=repo)
    assert "services/chat/app.py:2:1: anthropic import anthropic [services/chat/llm-sourcing.yaml]" in text.out
    assert text.out.rstrip().splitlines()[-1] == "6 uses in 4 of 4 files scanned (anthropic, openai)"


def test_signatures_are_extensible_and_checked(cli, repo, tmp_path):
    extra = write(tmp_path / "sigs" / "acme.yaml", "provider: acme-llm\npython:\n  modules: [acme_llm]\n")
    write(repo / "services/chat/acme.py", "import acme_llm\n")
    result = check(cli, repo, "--signatures", str(extra.parent))
    assert ("services/chat/acme.py", 1, 1) in located(result, "LP601")
    bad = write(tmp_path / "bad" / "x.yaml", "provider: Not An Id\n")
    broken = check(cli, repo, "--signatures", str(bad.parent))
    assert broken.code == 2 and "signatures:" in broken.err and "provider" in broken.err
    empty = check(cli, repo, "--signatures", str(tmp_path / "missing"))
    assert empty.code == 2


def test_the_config_file_turns_scanning_on_and_extends_it(cli, repo):
    write(repo / "compliance/signatures/acme.yaml", "provider: acme-llm\npython:\n  modules: [acme_llm]\n")
    write(repo / "services/chat/acme.py", "import acme_llm\n")
    write(repo / ".llm-policy.yaml", "scan: true\nsignatures: [compliance/signatures]\nscan_exclude: ['services/chat/java']\n")
    result = cli("check", "--date", FIXED_DATE, "--format", "json", cwd=repo)
    files = {f for f, _, _ in located(result, "LP601")}
    assert "services/chat/acme.py" in files and "services/chat/app.py" in files
    assert "services/chat/java/Svc.java" not in files
    off = cli("check", "--no-scan", "--date", FIXED_DATE, "--format", "json", cwd=repo)
    assert located(off, "LP601") == set()
    write(repo / ".llm-policy.yaml", "scan: yes please\n")
    assert cli("check", "--date", FIXED_DATE, cwd=repo).code == 2


def test_custom_policy_can_judge_evidence(cli, repo, tmp_path):
    """The issue's example: no code under services/payments/ may call a cloud API."""
    write(repo / "services/payments/llm-sourcing.yaml", DECLARES_ANTHROPIC.replace("name: chat", "name: payments"))
    write(repo / "services/payments/charge.py", "import anthropic\n")
    policy = write(tmp_path / "policy" / "payments.rego", """\
package main

import data.llm_policy.lib

deny contains {"msg": msg, "location": {"file": e.file, "line": e.line, "column": e.column}} if {
	some e in lib.scan_items
	startswith(e.file, "services/payments/")
	e.sector == "cloud_api"
	msg := sprintf("payments code may not call a cloud API (%s)", [e.provider])
}
""")
    result = check(cli, repo, "--policy", str(policy.parent))
    assert ("services/payments/charge.py", 1, 1) in located(result, "main.deny")
    rogue = write(tmp_path / "rogue" / "rogue.rego", """\
package main

deny contains {"msg": "somewhere else", "location": {"file": "/etc/passwd", "line": 1, "column": 1}} if input.sources
""")
    refused = check(cli, repo, "--policy", str(rogue.parent))
    assert refused.code == 2
    assert "not a file of the scan's evidence" in refused.out


def test_opa_gives_the_same_drift_findings(cli, repo):
    pytest.importorskip("opa_bindings", reason="real OPA in-process (test-only bindings) is not installed")
    write(repo / "tools/eval.py", "import anthropic\n")
    ours = check(cli, repo)
    opa = check(cli, repo, "--engine", "opa-inprocess")
    assert opa.report["faults"] == []
    assert [(f["rule_id"], f["file"], f["line"], f["message"]) for f in opa.findings()] == \
        [(f["rule_id"], f["file"], f["line"], f["message"]) for f in ours.findings()]


def test_parallel_batches_give_the_same_report(cli, tmp_path):
    (tmp_path / ".git").mkdir()
    for n in range(50):
        write(tmp_path / f"svc{n}/llm-sourcing.yaml", DECLARES_ANTHROPIC)
        write(tmp_path / f"svc{n}/app.py", "import openai\n" if n % 5 == 0 else "import anthropic\n")
    one = check(cli, tmp_path, "--jobs", "1")
    two = check(cli, tmp_path, "--jobs", "2")
    assert one.out == two.out
    assert len(located(two, "LP601")) == 10


# --- the pre-commit hook, through a real `git commit` ----------------------------------------------

def _git(work: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=work, env=env, capture_output=True, text=True, timeout=120)


def test_drift_hook_blocks_a_commit_that_adds_an_undeclared_sdk_call(tmp_path):
    pre_commit = pytest.importorskip("pre_commit.clientlib")
    bindir = Path(sys.executable).parent
    if shutil.which("git") is None or shutil.which("llm-policy", path=str(bindir)) is None:
        pytest.skip("git or the llm-policy console script is missing")
    hooks = {h["id"]: h for h in pre_commit.load_manifest(str(Path(__file__).resolve().parents[1] / ".pre-commit-hooks.yaml"))}
    hook = {k: hooks["llm-policy-drift"][k] for k in ("id", "name", "entry", "files", "pass_filenames", "require_serial")}
    hook["language"] = "system"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(PATH=str(bindir) + os.pathsep + env.get("PATH", ""), PRE_COMMIT_HOME=str(tmp_path / "home"),
               GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="T",
               GIT_COMMITTER_EMAIL="t@example.com", GIT_CONFIG_NOSYSTEM="1", NO_COLOR="1")
    work = tmp_path / "work"
    work.mkdir()
    assert _git(work, env, "init", "-q", "-b", "main").returncode == 0
    _git(work, env, "config", "commit.gpgsign", "false")
    (work / ".pre-commit-config.yaml").write_text(json.dumps({"repos": [{"repo": "local", "hooks": [hook]}]}), encoding="utf-8")
    assert subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=work, env=env, capture_output=True).returncode == 0
    write(work / MANIFEST, DECLARES_ANTHROPIC)
    write(work / "services/chat/app.py", "import anthropic\n")
    _git(work, env, "add", "-A")
    first = _git(work, env, "commit", "-m", "declared usage")
    assert first.returncode == 0, first.stdout + first.stderr

    write(work / "services/chat/app.py", "import anthropic\nfrom openai import OpenAI\n")
    _git(work, env, "add", "-A")
    blocked = _git(work, env, "commit", "-m", "sneak in openai")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "services/chat/app.py:2:1: error LP601" in output, output

    write(work / MANIFEST, ALSO_OPENAI.replace("gpt-4o-mini-2024-07-18", "gpt-4o"))
    _git(work, env, "add", "-A")
    declared = _git(work, env, "commit", "-m", "declare openai")
    assert declared.returncode == 0, declared.stdout + declared.stderr
