"""SARIF output: valid against the official 2.1.0 schema and usable by GitHub code scanning."""

from __future__ import annotations

import json

import pytest

from llm_policy.findings import FileResult, Waiver
from llm_policy.output import RenderOptions, get_renderer
from llm_policy.output.sarif import FINGERPRINT_KEY, artifact_location, camel_case, region
from report_builders import (
    ALL_REPORTS,
    MANIFEST_A,
    MANIFEST_B,
    erroring_report,
    failing_report,
    finding,
    passing_report,
    reference_file,
    report,
)


def sarif(report_dict: dict) -> dict:
    return json.loads(get_renderer("sarif")(report_dict, RenderOptions()))


@pytest.fixture(scope="module")
def sarif_validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(reference_file("sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)  # the schema declares draft-07
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.mark.parametrize("kind", sorted(ALL_REPORTS))
def test_output_validates_against_the_official_schema(kind, sarif_validator):
    log = sarif(ALL_REPORTS[kind]())
    errors = sorted(sarif_validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_top_level_and_driver_have_what_code_scanning_reads():
    log = sarif(failing_report())
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    assert len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "llm-policy"
    assert driver["version"] == "0.1.0"
    assert driver["informationUri"].startswith("https://")


def test_rules_carry_help_docs_link_level_and_security_severity():
    rules = {r["id"]: r for r in sarif(failing_report())["runs"][0]["tool"]["driver"]["rules"]}
    assert list(rules) == ["LP101", "LP104", "LP204"]
    lp101 = rules["LP101"]
    assert lp101["name"] == "DataClassVsSector"
    assert lp101["shortDescription"]["text"] == "Data class vs sector"
    assert lp101["fullDescription"]["text"].startswith("A source receives a data class")
    assert "Route that data class" in lp101["help"]["text"]
    assert "**How to fix:**" in lp101["help"]["markdown"]
    assert lp101["helpUri"] == "https://llm-policy.example/rules/LP101"
    assert lp101["defaultConfiguration"]["level"] == "error"
    assert "security" in lp101["properties"]["tags"] and "data-protection" in lp101["properties"]["tags"]
    # security-severity is a string in GitHub's bands: high for error, medium for warning, low for info.
    assert {rid: r["properties"]["security-severity"] for rid, r in rules.items()} == {
        "LP101": "8.0", "LP104": "5.0", "LP204": "2.0"}
    assert rules["LP104"]["defaultConfiguration"]["level"] == "warning"
    assert rules["LP204"]["defaultConfiguration"]["level"] == "note"
    assert "helpUri" not in rules["LP204"]  # no docs link known: none invented


def test_results_point_at_repo_relative_lines_and_rules():
    run = sarif(failing_report())["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    first = run["results"][0]
    assert first["ruleId"] == "LP101"
    assert rules[first["ruleIndex"]]["id"] == "LP101"
    assert first["level"] == "error"
    assert first["message"]["text"] == "source 'gpt4o' receives personal data"
    physical = first["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": MANIFEST_A, "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 12, "startColumn": 7, "endLine": 12, "endColumn": 15}
    assert first["properties"]["jsonPointer"] == "/sources/1/data_classes/0"
    assert first["properties"]["sourceId"] == "gpt4o"
    levels = [(r["ruleId"], r["level"]) for r in run["results"]]
    assert levels == [("LP101", "error"), ("LP101", "error"), ("LP104", "warning"), ("LP204", "note")]
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_rule_missing_from_report_rules_still_gets_a_descriptor():
    log = sarif(report([FileResult(MANIFEST_A, findings=[finding("LP001", "error", "`project` is required",
                                                                line=1, column=1, pointer="", source_id=None)])]))
    run = log["runs"][0]
    result = run["results"][0]
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "LP001"


def test_windows_and_dot_prefixed_paths_become_forward_slash_uris():
    assert artifact_location("services\\support\\llm-sourcing.yaml") == {
        "uri": "services/support/llm-sourcing.yaml", "uriBaseId": "%SRCROOT%"}
    assert artifact_location("./llm-sourcing.yaml")["uri"] == "llm-sourcing.yaml"
    assert artifact_location("my dir/llm-sourcing.yaml")["uri"] == "my%20dir/llm-sourcing.yaml"
    assert artifact_location("/abs/llm-sourcing.yaml") == {"uri": "file:///abs/llm-sourcing.yaml"}


def test_region_drops_what_sarif_would_reject():
    assert region(0, 0) is None
    assert region(3, 0) == {"startLine": 3}
    assert region(3, 5, 2, 1) == {"startLine": 3, "startColumn": 5}  # end before start: dropped
    assert region(3, 5, 4, 2) == {"startLine": 3, "startColumn": 5, "endLine": 4, "endColumn": 2}
    assert region(3, 5, None, 9) == {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 9}


def test_camel_case_names():
    assert camel_case("DPA missing / expired", "X") == "DPAMissingExpired"
    assert camel_case("", "LP999") == "LP999"
    assert camel_case("Data class not allowed for the source's sector", "X") == "DataClassNotAllowedForTheSourcesSector"


def test_waived_findings_are_suppressed_results_not_dropped():
    run = sarif(failing_report())["runs"][0]
    waived = [r for r in run["results"] if "suppressions" in r]
    assert [r["ruleId"] for r in waived] == ["LP204"]
    (suppression,) = waived[0]["suppressions"]
    assert suppression["kind"] == "external"
    assert "status" not in suppression and "state" not in suppression  # absent means accepted
    assert suppression["justification"] == "Attribution is in the product's about page"
    assert suppression["properties"]["approved_by"] == "legal@example.com"
    in_source = report([FileResult(MANIFEST_A, findings=[finding(waiver=Waiver("ok", "me", kind="inSource"))])])
    assert sarif(in_source)["runs"][0]["results"][0]["suppressions"][0]["kind"] == "inSource"


def test_faults_are_failed_invocation_notifications_not_results():
    run = sarif(erroring_report())["runs"][0]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notes] == ["llm-policy/policy", "llm-policy/io"]
    assert all(n["level"] == "error" for n in notes)
    policy = notes[0]["locations"][0]["physicalLocation"]
    assert policy["artifactLocation"]["uri"] == "policies/custom/deny.rego"
    assert policy["region"] == {"startLine": 7, "startColumn": 3}
    assert "permission denied" in notes[1]["message"]["text"]
    assert notes[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == MANIFEST_B
    assert [r["ruleId"] for r in run["results"]] == ["LP101"]


def test_clean_run_has_rules_no_results_and_a_successful_invocation():
    run = sarif(passing_report())["runs"][0]
    assert run["results"] == []
    assert len(run["tool"]["driver"]["rules"]) == 3
    assert run["invocations"] == [{"executionSuccessful": True}]


def _fingerprint(**changes) -> str:
    log = sarif(report([FileResult(changes.get("file", MANIFEST_A), findings=[finding(**changes)])]))
    return log["runs"][0]["results"][0]["partialFingerprints"][FINGERPRINT_KEY]


def test_fingerprint_ignores_line_column_and_message():
    base = _fingerprint()
    assert _fingerprint(line=40, column=3) == base
    assert _fingerprint(line=40, column=3, end_line=41, end_column=2) == base
    assert _fingerprint(message="source 'gpt4o' receives personal data (reworded)") == base


@pytest.mark.parametrize("change", [
    {"rule_id": "LP104"},
    {"pointer": "/sources/2/data_classes/0"},
    {"source_id": "claude"},
    {"file": "other/llm-sourcing.yaml"},
])
def test_fingerprint_changes_when_the_finding_changes(change):
    assert _fingerprint(**change) != _fingerprint()


def test_same_key_twice_in_a_file_gets_distinct_fingerprints():
    twice = report([FileResult(MANIFEST_A, findings=[finding(message="one"), finding(line=30, message="two")])])
    prints = [r["partialFingerprints"][FINGERPRINT_KEY] for r in sarif(twice)["runs"][0]["results"]]
    assert prints[0] != prints[1]
    assert prints[0].rsplit(":", 1)[0] == prints[1].rsplit(":", 1)[0]
    assert [p.rsplit(":", 1)[1] for p in prints] == ["1", "2"]


def test_span_ending_at_column_one_of_the_next_line_ends_on_the_line_before():
    # A YAML mapping's end is where the next key starts; CI would otherwise mark one line too many.
    assert region(10, 5, 16, 1) == {"startLine": 10, "startColumn": 5, "endLine": 15}
