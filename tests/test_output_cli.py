"""The real `llm-policy check` writing several formats in one run: valid, consistent, fail-closed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLES, FIXED_DATE, write
from report_builders import reference_file

etree = pytest.importorskip("lxml.etree")
jsonschema = pytest.importorskip("jsonschema")

# A cloud API receiving confidential data with no DPA: LP101, LP102 and LP105, all tied to source `gpt4o`.
NO_DPA = """\
apiVersion: llm-policy/v1
project:
  name: support-bot
  owner: ai@example.com
  customer_facing: false
  jurisdictions: [EU]
  ai_act: {role: deployer, risk: minimal}
data:
  classes: [confidential, internal]
sources:
  - id: gpt4o
    sector: cloud_api
    provider: openai
    model: gpt-4o
    region: EU
    data_classes: [confidential]
"""

# The same manifest reformatted: keys reordered, comments added, flow lists as blocks, other indent.
NO_DPA_REFORMATTED = """\
# Support bot: LLM sourcing decisions, reviewed by the platform team.
sources:
    # The only model for now.
    -   model: gpt-4o
        data_classes:
            - confidential
        region: EU
        provider: openai   # contract pending
        sector: cloud_api
        id: gpt4o

data:
    classes:
        - confidential
        - internal
project:
    owner: ai@example.com
    jurisdictions:
        - EU
    ai_act:
        risk: minimal
        role: deployer
    customer_facing: false
    name: support-bot
apiVersion: llm-policy/v1
"""


@pytest.fixture(scope="module")
def sarif_validator():
    schema = json.loads(reference_file("sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


@pytest.fixture(scope="module")
def xsd():
    return etree.XMLSchema(etree.parse(str(reference_file("junit.xsd"))))


def outputs(tmp_path: Path) -> tuple[list[str], dict[str, Path]]:
    files = {"sarif": tmp_path / "out" / "results.sarif", "junit": tmp_path / "out" / "junit.xml",
             "markdown": tmp_path / "out" / "comment.md", "github": tmp_path / "out" / "annotations.txt"}
    args = [arg for name, path in files.items() for arg in ("--output", f"{name}={path}")]
    return args, files


def assert_valid(files: dict[str, Path], sarif_validator, xsd) -> tuple[dict, object]:
    log = json.loads(files["sarif"].read_text(encoding="utf-8"))
    errors = list(sarif_validator.iter_errors(log))
    assert not errors, [e.message for e in errors]
    junit = etree.parse(str(files["junit"]))
    assert xsd.validate(junit), xsd.error_log
    return log, junit.getroot()


def test_failing_run_writes_every_format_and_they_agree(cli, tmp_path, sarif_validator, xsd):
    args, files = outputs(tmp_path)
    result = cli("check", "examples/invalid", "--format", "json", "--date", FIXED_DATE, *args)
    assert result.code == 1, result.err
    findings = result.findings()
    assert findings
    log, junit = assert_valid(files, sarif_validator, xsd)

    sarif_locations = [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
         r["locations"][0]["physicalLocation"]["region"]["startLine"],
         r["locations"][0]["physicalLocation"]["region"].get("startColumn"))
        for r in log["runs"][0]["results"]
    ]
    assert sarif_locations == [(f["rule_id"], f["file"], f["line"], f["column"]) for f in findings]
    assert all(uri.startswith("examples/invalid/") for _, uri, _, _ in sarif_locations)

    failing_pairs = {(f["file"], f["rule_id"]) for f in findings if f["severity"] == "error"}
    failures = {(case.get("classname"), case.get("name").split()[0])
                for case in junit.iter("testcase") if case.find("failure") is not None}
    assert failures == failing_pairs

    annotations = files["github"].read_text(encoding="utf-8").splitlines()
    first = findings[0]
    assert annotations[0].startswith(f"::error file={first['file']},line={first['line']},col={first['column']},")
    levels = {"error": "::error ", "warning": "::warning ", "info": "::notice "}
    for severity, prefix in levels.items():
        expected = sum(f["severity"] == severity for f in findings)
        assert sum(line.startswith(prefix) for line in annotations) == expected, severity

    comment = files["markdown"].read_text(encoding="utf-8")
    assert "## ❌ llm-policy: failed" in comment
    assert f"`{first['file']}:{first['line']}:{first['column']}`" in comment


def test_passing_run_outputs_are_valid_and_clean(cli, tmp_path, sarif_validator, xsd):
    args, files = outputs(tmp_path)
    result = cli("check", "examples/valid", "--date", FIXED_DATE, *args)
    assert result.code == 0, result.out + result.err
    log, junit = assert_valid(files, sarif_validator, xsd)
    assert [r for r in log["runs"][0]["results"] if "suppressions" not in r and r["level"] == "error"] == []
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True
    assert junit.get("failures") == "0" and junit.get("errors") == "0"
    assert int(junit.get("tests")) >= len(list(EXAMPLES.joinpath("valid").rglob("llm-sourcing.y*ml")))
    assert "## ✅ llm-policy: passed" in files["markdown"].read_text(encoding="utf-8")


def test_erroring_run_reports_the_fault_in_every_format(cli, tmp_path, sarif_validator, xsd):
    broken = write(tmp_path / "policy" / "broken.rego", "package main\n\ndeny contains msg if {\n  input.project.name ==\n}\n")
    args, files = outputs(tmp_path)
    result = cli("check", "examples/valid/cloud-api", "--policy", str(broken.parent), "--date", FIXED_DATE, *args)
    assert result.code == 2
    log, junit = assert_valid(files, sarif_validator, xsd)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("policy/broken.rego")
    assert note["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    assert int(junit.get("errors")) >= 1
    assert "policy/broken.rego:5:1: [policy] " in junit.find(".//error").text
    assert "::error file=" in files["github"].read_text(encoding="utf-8")
    assert "## ⛔ llm-policy" in files["markdown"].read_text(encoding="utf-8")


def _fingerprints(cli, root: Path, text: str) -> dict[tuple[str, str], tuple[str, int]]:
    write(root / "llm-sourcing.yaml", text)
    sarif = root / "results.sarif"
    result = cli("check", str(root), "--root", str(root), "--date", FIXED_DATE, "--output", f"sarif={sarif}")
    assert result.code == 1, result.out + result.err
    results = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]
    return {(r["ruleId"], r["properties"]["jsonPointer"]): (r["partialFingerprints"]["llmPolicy/v1"],
                                                           r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in results}


def test_fingerprints_survive_reformatting_and_change_with_the_finding(cli, tmp_path):
    before = _fingerprints(cli, tmp_path, NO_DPA)
    assert {rule for rule, _ in before} >= {"LP101", "LP102"}
    after = _fingerprints(cli, tmp_path, NO_DPA_REFORMATTED)
    assert set(after) == set(before)
    assert {k: v[0] for k, v in after.items()} == {k: v[0] for k, v in before.items()}
    assert {k: v[1] for k, v in after.items()} != {k: v[1] for k, v in before.items()}  # the lines did move

    renamed = _fingerprints(cli, tmp_path, NO_DPA.replace("gpt4o", "gpt-main"))
    assert set(renamed) == set(before)
    assert all(renamed[key][0] != before[key][0] for key in before)  # another source: another alert


def test_fail_on_reaches_the_rendered_verdicts(cli, tmp_path):
    args, files = outputs(tmp_path)
    result = cli("check", "examples/invalid", "--fail-on", "never", "--date", FIXED_DATE, *args)
    assert result.code == 0
    assert etree.parse(str(files["junit"])).getroot().get("failures") == "0"
    assert "Report only (`--fail-on never`)" in files["markdown"].read_text(encoding="utf-8")


def test_github_format_appends_the_step_summary(cli, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = cli("check", "examples/invalid/schema-errors", "--format", "github", "--date", FIXED_DATE)
    assert result.code == 1
    assert result.out.startswith("::error file=examples/invalid/schema-errors/llm-sourcing.yaml,line=")
    assert "## ❌ llm-policy: failed" in summary.read_text(encoding="utf-8")
    summary.unlink()
    cli("check", "examples/invalid/schema-errors", "--format", "text", "--date", FIXED_DATE)
    assert not summary.exists()  # only a github output writes the job summary


@pytest.mark.parametrize("spec, message", [
    ("sarif", "--output expects FORMAT=FILE"),
    ("pdf=report.pdf", "unknown format 'pdf'"),
])
def test_bad_output_spec_is_a_usage_error(cli, spec, message):
    result = cli("check", "examples/valid", "--output", spec)
    assert result.code == 2
    assert message in result.err and "Traceback" not in result.err
    assert result.out == ""  # nothing was checked or printed


def test_unwritable_output_fails_closed(cli, tmp_path):
    blocker = write(tmp_path / "file", "")
    result = cli("check", "examples/valid", "--output", f"junit={blocker}/junit.xml")
    assert result.code == 2
    assert "cannot write the junit output to" in result.err and "Traceback" not in result.err
