"""Waivers: what they waive (and what not), expiry, stale waivers, malformed files, every output format.

Findings come from a small custom policy (one error per on-prem source, located at its `hosting`
and carrying its source id), so these tests do not move when the built-in rule pack evolves.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import write

DATE = "2026-11-27"

MANIFEST = """\
apiVersion: llm-policy/v1
project:
  name: p
  owner: o@example.com
data:
  classes: [public]
sources:
  - id: alpha
    sector: open_source
    model: mistralai/Mistral-7B-Instruct-v0.2
    license: Apache-2.0
    hosting: on_prem
    region: DE
  - id: beta
    sector: open_source
    model: mistralai/Mistral-7B-Instruct-v0.2
    license: Apache-2.0
    hosting: on_prem
    region: DE
"""

POLICY = """\
package main

import rego.v1

deny contains {"msg": sprintf("source %s is hosted on premises", [s.id]), "path": ["sources", i, "hosting"], "source_id": s.id} if {
	some i, s in input.sources
	s.hosting == "on_prem"
}
"""


def waiver(rule="main.deny", manifest="a/llm-sourcing.yaml", expires="2027-06-30", **scope: str) -> str:
    lines = [f"  - rule: {rule}", f"    manifest: {manifest}"]
    lines += [f"    {key}: {value}" for key, value in scope.items()]
    lines += ["    justification: on-prem pilot accepted by the risk board", "    approved_by: RISK-17",
              f"    expires: {expires}"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository with two manifests (a, b), each with two on-prem sources, and the policy."""
    (tmp_path / ".git").mkdir()
    write(tmp_path / "a" / "llm-sourcing.yaml", MANIFEST)
    write(tmp_path / "b" / "llm-sourcing.yaml", MANIFEST)
    write(tmp_path / "policy" / "onprem.rego", POLICY)
    write(tmp_path / ".llm-policy.yaml", "policy: [policy]\nno_builtin: true\n")
    return tmp_path


def waivers_file(project: Path, *entries: str) -> Path:
    return write(project / "llm-policy-waivers.yaml", "waivers:\n" + "".join(entries))


def check(cli, project: Path, *args: str):
    return cli("check", "--date", DATE, *args, cwd=project)


def by_file(result) -> dict[str, list[tuple[str, str | None, bool]]]:
    """{path: [(rule, source_id, waived)]} from a JSON report."""
    return {
        r["path"]: [(f["rule_id"], f["source_id"], f["waiver"] is not None) for f in r["findings"]]
        for r in result.report["files"]
    }


# --- scope --------------------------------------------------------------------------------------


def test_broad_waiver_covers_every_finding_of_the_rule_in_that_manifest_only(cli, project):
    waivers_file(project, waiver())
    result = check(cli, project, "--format", "json")
    assert result.code == 1  # b is not waived
    assert by_file(result) == {
        "a/llm-sourcing.yaml": [("main.deny", "alpha", True), ("main.deny", "beta", True)],
        "b/llm-sourcing.yaml": [("main.deny", "alpha", False), ("main.deny", "beta", False)],
    }
    assert result.report["summary"]["waived"] == 2
    assert check(cli, project, "a", "--format", "json").code == 0


def test_source_id_narrows_a_waiver_to_one_source(cli, project):
    waivers_file(project, waiver(source_id="alpha"))
    result = check(cli, project, "a", "--format", "json")
    assert result.code == 1
    assert by_file(result)["a/llm-sourcing.yaml"] == [("main.deny", "alpha", True), ("main.deny", "beta", False)]
    finding = result.findings()[0]
    assert finding["waiver"] == {
        "justification": "on-prem pilot accepted by the risk board",
        "approved_by": "RISK-17",
        "expires": "2027-06-30",
        "kind": "external",
        "reference": "llm-policy-waivers.yaml:2",
    }


def test_pointer_narrows_a_waiver_to_one_part_of_the_manifest(cli, project):
    waivers_file(project, waiver(pointer="/sources/1"))
    result = check(cli, project, "a", "--format", "json")
    assert by_file(result)["a/llm-sourcing.yaml"] == [("main.deny", "alpha", False), ("main.deny", "beta", True)]
    # a prefix means a whole path segment: /sources/1 does not cover /sources/10
    waivers_file(project, waiver(pointer="/sources/1", source_id="alpha"))
    result = check(cli, project, "a", "--format", "json")
    assert [f["waiver"] for f in result.findings() if f["rule_id"] == "main.deny"] == [None, None]


def test_a_waiver_for_another_rule_waives_nothing(cli, project):
    waivers_file(project, waiver(rule="main.warn"))
    result = check(cli, project, "a", "--format", "json")
    assert result.code == 1
    assert not any(f["waiver"] for f in result.findings())


# --- expiry -------------------------------------------------------------------------------------


def test_waiver_holds_on_its_last_day_and_expires_the_day_after(cli, project):
    waivers_file(project, waiver(expires=DATE))
    assert check(cli, project, "a").code == 0
    waivers_file(project, waiver(expires="2026-11-26"))
    result = check(cli, project, "a", "--format", "json")
    assert result.code == 1
    rules = [(f["rule_id"], f["file"], f["line"], f["column"], f["waiver"]) for f in result.findings()]
    assert rules == [
        ("main.deny", "a/llm-sourcing.yaml", 12, 14, None),
        ("main.deny", "a/llm-sourcing.yaml", 18, 14, None),
        ("LP900", "llm-policy-waivers.yaml", 2, 5, None),
    ]
    expired = result.findings()[-1]
    assert expired["severity"] == "error"
    assert expired["message"] == (
        "waiver for main.deny on a/llm-sourcing.yaml expired on 2026-11-26; the 2 finding(s) it covered fail again: "
        "renew it with a fresh approval or delete it"
    )


def test_expired_waiver_is_an_error_even_when_its_finding_is_gone(cli, project):
    write(project / "a" / "llm-sourcing.yaml", MANIFEST.replace("on_prem", "private_cloud"))
    waivers_file(project, waiver(expires="2026-01-31"))
    result = check(cli, project, "a", "--no-color")
    assert result.code == 1
    assert "llm-policy-waivers.yaml:2:5: error LP900 waiver for main.deny on a/llm-sourcing.yaml expired on 2026-01-31: " in result.out


def test_an_active_waiver_wins_over_an_expired_duplicate(cli, project):
    waivers_file(project, waiver(expires="2025-01-01"), waiver())
    result = check(cli, project, "a", "--format", "json")
    assert [f["rule_id"] for f in result.findings()] == ["main.deny", "main.deny", "LP900"]
    assert [f["waiver"]["reference"] for f in result.findings()[:2]] == ["llm-policy-waivers.yaml:7"] * 2
    assert result.code == 1  # the expired entry itself still fails until it is cleaned up


# --- unused -------------------------------------------------------------------------------------


def test_unused_waiver_is_a_warning_at_its_line(cli, project):
    waivers_file(project, waiver(), waiver(source_id="gamma"))
    result = check(cli, project, "a", "--format", "json")
    assert result.code == 0
    unused = [f for f in result.findings() if f["rule_id"] == "LP901"]
    assert [(f["severity"], f["file"], f["line"], f["column"]) for f in unused] == [("warning", "llm-policy-waivers.yaml", 7, 5)]
    assert unused[0]["message"].startswith("waiver for main.deny on a/llm-sourcing.yaml (source 'gamma') matches no finding")
    assert check(cli, project, "a", "--fail-on", "warning").code == 1


def test_unused_is_only_reported_when_the_manifest_was_checked_and_evaluated(cli, project):
    waivers_file(project, waiver(source_id="gamma"))
    assert "LP901" not in check(cli, project, "b").out  # a not in this run
    write(project / "a" / "llm-sourcing.yaml", MANIFEST.replace("classes: [public]", "classes: []"))
    result = check(cli, project, "a", "--format", "json")
    assert [f["rule_id"] for f in result.findings()] == ["LP001"]  # policies never ran: no verdict on the waiver


def test_waiver_rules_are_described_like_any_rule(cli, project):
    waivers_file(project, waiver(expires="2020-01-01"))
    rules = {r["id"]: r for r in check(cli, project, "a", "--format", "json").report["rules"]}
    assert (rules["LP900"]["title"], rules["LP900"]["severity"]) == ("Expired waiver", "error")
    assert (rules["LP901"]["title"], rules["LP901"]["severity"]) == ("Unused waiver", "warning")
    sarif = json.loads(check(cli, project, "a", "--format", "sarif").out)
    assert {"LP900", "LP901"} <= {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}


# --- where the file is --------------------------------------------------------------------------


def test_waivers_file_from_flag_and_from_config(cli, project):
    # manifest paths are relative to the root, as reports show them, wherever the waivers file lives
    write(project / ".github" / "accepted.yaml", "waivers:\n" + waiver(manifest="a/llm-sourcing.yaml"))
    assert check(cli, project, "a").code == 1  # not a default name: no waivers
    assert check(cli, project, "a", "--waivers", ".github/accepted.yaml").code == 0
    assert check(cli, project / "a", ".", "--waivers", "../.github/accepted.yaml").code == 0  # from a subfolder
    write(project / ".llm-policy.yaml", "policy: [policy]\nno_builtin: true\nwaivers: .github/accepted.yaml\n")
    assert check(cli, project, "a").code == 0


def test_a_symlinked_manifest_is_the_file_it_points_to(cli, project):
    (project / "link").mkdir()
    (project / "link" / "llm-sourcing.yaml").symlink_to(project / "a" / "llm-sourcing.yaml")
    waivers_file(project, waiver(manifest="link/llm-sourcing.yaml"))
    assert check(cli, project, "a").code == 0


def test_a_named_waivers_file_that_is_missing_is_a_fault(cli, project):
    result = check(cli, project, "a", "--waivers", "nope.yaml", "--format", "json")
    assert result.code == 2
    assert result.report["faults"] == [{"kind": "waiver", "message": "cannot read the waivers file: no such file",
                                        "file": "nope.yaml", "line": None, "column": None}]
    assert [f["rule_id"] for f in result.findings()] == ["main.deny", "main.deny"]  # still checked


# --- malformed ----------------------------------------------------------------------------------


GOOD = waiver().splitlines(keepends=True)


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("waivers:\n" + "".join(GOOD[:3] + GOOD[4:]), 2, 5, "`waivers[0]` is missing required key 'approved_by'"),
        ("waivers:\n" + "".join(GOOD[:2] + GOOD[3:]), 2, 5, "`waivers[0]` is missing required key 'justification'"),
        ("waivers:\n" + "".join(GOOD[:4]), 2, 5, "`waivers[0]` is missing required key 'expires'"),
        ("waivers:\n" + waiver() + "    reason: x\n", 7, 5, "`waivers[0]` has unknown key 'reason'"),
        ("waivers:\n" + waiver(expires="2027-02-30"), 6, 14, "`waivers[0].expires` is not a date: '2027-02-30'"),
        ("waivers:\n" + waiver(expires="next year"), 6, 14, "`waivers[0].expires` has an invalid value 'next year'"),
        ("waivers:\n" + waiver(manifest="'*/llm-sourcing.yaml'"), 3, 15, "`waivers[0].manifest` has an invalid value '*/llm-sourcing.yaml'"),
        ("waivers:\n" + waiver(manifest="/etc/llm-sourcing.yaml"), 3, 15, "no wildcards, no absolute path"),
        ("waivers:\n" + waiver(manifest="../x/llm-sourcing.yaml"), 3, 15, "no '..'"),
        ("waivers:\n" + waiver(pointer="sources/0"), 4, 14, "`waivers[0].pointer` has an invalid value 'sources/0'"),
        ("waivers:\n" + waiver().replace("RISK-17", "' '"), 5, 18, "`waivers[0].approved_by` has an invalid value ' '"),
        ("waivers:\n" + waiver(rule="LP001"), 2, 11, "`waivers[0].rule` LP001 cannot be waived"),
        ("waivers:\n" + waiver(rule="LP900"), 2, 11, "LP900 cannot be waived"),
        ("waivers:\n" + waiver(expires="2027-01-01\n    expires: 2028-01-01"), 7, 5, "duplicate key 'expires'"),
        ("waivers:\n  - rule: [\n", 3, 1, "YAML syntax error"),
        ("waivers:\n\t- rule: x\n", 2, 1, "tab character"),
        ("waivers: !!python/object:os.system x\n", 1, 10, "YAML tag '!!python/object:os.system' is not allowed in the waivers file"),
        ("", 1, 1, "file is empty: expected a mapping with a `waivers` list"),
        ("- rule: x\n", 1, 1, "the waivers file must be a YAML mapping, got a sequence"),
        ("rules: []\n", 1, 1, "`(document)` has unknown key 'rules'"),
    ],
)
def test_malformed_waivers_file_is_a_located_fault_and_nothing_is_waived(cli, project, text, line, column, message):
    write(project / "llm-policy-waivers.yaml", text)
    result = check(cli, project, "--format", "json")
    assert result.code == 2
    faults = result.report["faults"]
    assert any(message in f["message"] for f in faults), faults
    fault = next(f for f in faults if message in f["message"])
    assert (fault["kind"], fault["file"], fault["line"], fault["column"]) == ("waiver", "llm-policy-waivers.yaml", line, column)
    assert [r["path"] for r in result.report["files"]] == ["a/llm-sourcing.yaml", "b/llm-sourcing.yaml"]
    assert all(f["waiver"] is None for f in result.findings()) and len(result.findings()) == 4
    text_out = check(cli, project, "--no-color")
    assert f"llm-policy-waivers.yaml:{line}:{column}: error [waiver] " in text_out.out
    assert "Traceback" not in text_out.err


def test_an_empty_waiver_list_is_fine(cli, project):
    write(project / "llm-policy-waivers.yaml", "waivers: []\n")
    assert check(cli, project, "a").code == 1


# --- rendering ----------------------------------------------------------------------------------


@pytest.fixture
def waived(project: Path) -> Path:
    waivers_file(project, waiver())
    return project


def test_text_marks_waived_findings(cli, waived):
    result = check(cli, waived, "a", "--no-color")
    assert result.code == 0
    assert result.out.splitlines()[0] == (
        "a/llm-sourcing.yaml:12:14: error main.deny source alpha is hosted on premises "
        "[waived: on-prem pilot accepted by the risk board (approved by RISK-17, expires 2027-06-30)]"
    )
    assert result.out.splitlines()[-1] == "1 manifest checked, 0 errors, 0 warnings, 0 info, 2 waived"


def test_sarif_suppressions_carry_the_justification(cli, waived):
    log = json.loads(check(cli, waived, "a", "--format", "sarif").out)
    results = log["runs"][0]["results"]
    assert [r["suppressions"] for r in results] == [[{
        "kind": "external",
        "justification": "on-prem pilot accepted by the risk board",
        "properties": {"approved_by": "RISK-17", "expires": "2027-06-30", "reference": "llm-policy-waivers.yaml:2"},
    }]] * 2


def test_junit_reports_a_waived_rule_as_skipped(cli, waived):
    result = check(cli, waived, "a", "--format", "junit")
    assert result.code == 0
    root = ET.fromstring(result.out)
    case = next(c for c in root.iter("testcase") if c.get("name", "").startswith("main.deny"))
    skipped = case.find("skipped")
    assert skipped is not None and skipped.get("message") == "waived: on-prem pilot accepted by the risk board"
    assert case.find("failure") is None


def test_github_annotation_of_a_waived_finding_is_a_notice(cli, waived):
    lines = check(cli, waived, "a", "--format", "github").out.splitlines()
    notices = [line for line in lines if line.startswith("::notice file=a/llm-sourcing.yaml")]
    assert len(notices) == 2
    assert "Waived (on-prem pilot accepted by the risk board; approved by RISK-17; expires 2027-06-30)" in notices[0]
    assert not any(line.startswith("::error") for line in lines)


def test_markdown_lists_waived_findings_in_their_own_section(cli, waived):
    out = check(cli, waived, "a", "--format", "markdown").out
    assert "Waived findings" in out
    section = out[out.index("Waived findings"):]
    assert "on-prem pilot accepted by the risk board | RISK-17 | 2027-06-30 |" in section


def test_json_report_with_waivers_validates_against_the_report_schema(cli, project):
    import jsonschema

    from conftest import REPO

    waivers_file(project, waiver(), waiver(source_id="gamma"), waiver(manifest="b/llm-sourcing.yaml", expires="2020-01-01"))
    report = check(cli, project, "--format", "json").report
    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text())
    jsonschema.validate(report, schema)
    assert {f["rule_id"] for r in report["files"] for f in r["findings"]} == {"main.deny", "LP900", "LP901"}


# --- conftest-style exceptions ------------------------------------------------------------------


EXCEPTIONS = """\
package main

import rego.v1

deny_region contains {"msg": "region needs review", "path": ["sources", 0, "region"]} if input.sources[0].region == "DE"

deny_owner contains "owner must be a team address" if not startswith(input.project.owner, "team-")

warn contains "no description" if not input.project.description

exception contains rules if {
	input.project.name == "p"
	rules := ["region"]
}

exception contains {"rules": ["warn"], "reason": "descriptions are optional for pilots", "approved_by": "CTO"} if true
"""


def test_conftest_exceptions_show_up_as_waived_in_source(cli, project):
    write(project / "policy" / "onprem.rego", EXCEPTIONS)
    result = check(cli, project, "a", "--format", "json")
    assert result.code == 1  # deny_owner has no exception
    got = {f["rule_id"]: f["waiver"] for f in result.findings()}
    assert got["main.deny_owner"] is None
    assert got["main.deny_region"] == {
        "justification": "conftest exception in package main", "approved_by": "policy policy/onprem.rego",
        "expires": None, "kind": "inSource", "reference": "policy/onprem.rego: exception for region",
    }
    assert got["main.warn"]["justification"] == "descriptions are optional for pilots"
    assert got["main.warn"]["approved_by"] == "CTO"
    sarif = json.loads(check(cli, project, "a", "--format", "sarif").out)
    kinds = {r["ruleId"]: [s["kind"] for s in r.get("suppressions", [])] for r in sarif["runs"][0]["results"]}
    assert kinds == {"main.deny_owner": [], "main.deny_region": ["inSource"], "main.warn": ["inSource"]}


def test_exception_applies_only_when_its_body_holds(cli, project):
    write(project / "policy" / "onprem.rego", EXCEPTIONS.replace('input.project.name == "p"', 'input.project.name == "other"'))
    result = check(cli, project, "a", "--format", "json")
    assert {f["rule_id"]: f["waiver"] is not None for f in result.findings()}["main.deny_region"] is False


def test_empty_exception_name_exempts_bare_deny_only(cli, project):
    write(project / "policy" / "onprem.rego", POLICY + '\nexception contains [""] if true\n\nwarn contains "w" if true\n')
    result = check(cli, project, "a", "--format", "json")
    assert result.code == 0
    assert {(f["rule_id"], f["waiver"] is not None) for f in result.findings()} == {("main.deny", True), ("main.warn", False)}


def test_malformed_exception_set_is_a_fault_not_a_silent_pass(cli, project):
    write(project / "policy" / "onprem.rego", POLICY + "\nexception contains 42 if true\n")
    result = check(cli, project, "a", "--format", "json")
    assert result.code == 2
    fault = result.report["files"][0]["faults"][0]
    assert "`exception` in package main must be a set of rule-name lists" in fault["message"]


# --- the waivers command ------------------------------------------------------------------------


def test_waivers_command_lists_each_status(cli, project):
    write(project / "c" / "llm-sourcing.yaml", MANIFEST.replace("classes: [public]", "classes: []"))
    waivers_file(
        project,
        waiver(),  # active
        waiver(manifest="b/llm-sourcing.yaml", expires="2026-12-10"),  # expiring within 30 days
        waiver(manifest="b/llm-sourcing.yaml", source_id="alpha", expires="2026-01-01"),  # expired
        waiver(source_id="gamma"),  # unused
        waiver(manifest="gone/llm-sourcing.yaml"),  # unused: no such manifest
        waiver(manifest="c/llm-sourcing.yaml"),  # unknown: c fails its schema, policies never ran
    )
    result = cli("waivers", "--date", DATE, "--format", "json", cwd=project)
    assert result.code == 1
    document = result.report
    assert [(w["line"], w["status"], w["findings"]) for w in document["waivers"]] == [
        (2, "active", 2), (7, "expiring", 2), (12, "expired", 1), (18, "unused", 0), (24, "unused", 0), (29, "unknown", 0),
    ]
    assert document["summary"] == {"total": 6, "active": 1, "expiring": 1, "expired": 1, "unused": 2, "unknown": 1}
    assert document["waivers"][4]["note"] == "the manifest it names does not exist"
    assert document["waivers"][1]["days_left"] == 13
    text = cli("waivers", "--date", DATE, cwd=project).out.splitlines()
    assert text[0] == (
        "llm-policy-waivers.yaml:2:5: active main.deny a/llm-sourcing.yaml until 2027-06-30 (215 days left), 2 findings; "
        "approved by RISK-17: on-prem pilot accepted by the risk board"
    )
    assert text[2].startswith("llm-policy-waivers.yaml:12:5: expired main.deny b/llm-sourcing.yaml source=alpha until 2026-01-01 (expired 330 days ago)")
    assert text[-1] == "6 waivers: 1 active, 1 expiring, 1 expired, 2 unused, 1 unknown"


def test_waivers_command_exit_codes(cli, project):
    waivers_file(project, waiver())
    assert cli("waivers", "--date", DATE, cwd=project).code == 0
    assert cli("waivers", "--date", "2027-06-01", cwd=project).code == 0  # expiring soon is still fine
    assert cli("waivers", "--date", "2027-07-01", cwd=project).code == 1
    write(project / "llm-policy-waivers.yaml", "waivers:\n  - rule: x\n")
    broken = cli("waivers", "--date", DATE, cwd=project)
    assert broken.code == 2
    assert "llm-policy-waivers.yaml:2:5: error [waiver] `waivers[0]` is missing required key 'manifest'" in broken.out
    (project / "llm-policy-waivers.yaml").unlink()
    none = cli("waivers", "--format", "json", cwd=project)
    assert none.code == 0 and none.report["waivers_file"] is None


def test_waivers_command_on_given_paths_only_judges_those(cli, project):
    waivers_file(project, waiver(), waiver(manifest="b/llm-sourcing.yaml"))
    document = cli("waivers", "a", "--date", DATE, "--format", "json", cwd=project).report
    assert [w["status"] for w in document["waivers"]] == ["active", "unknown"]
    assert document["waivers"][1]["note"] == "its manifest was not among the paths checked"
