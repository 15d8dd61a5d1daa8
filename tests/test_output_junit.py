"""JUnit output: valid against the reference XSD, stable test names, failures/errors/skips that add up."""

from __future__ import annotations

import pytest

from llm_policy.findings import FileResult, RuleInfo
from llm_policy.output import RenderOptions, get_renderer
from report_builders import (
    ALL_REPORTS,
    MANIFEST_A,
    MANIFEST_B,
    RULES,
    erroring_report,
    failing_report,
    finding,
    passing_report,
    reference_file,
    report,
)

etree = pytest.importorskip("lxml.etree")


def junit(report_dict: dict, fail_on: str = "error"):
    text = get_renderer("junit")(report_dict, RenderOptions(fail_on=fail_on))
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return etree.fromstring(text.encode("utf-8"))


@pytest.fixture(scope="module")
def xsd():
    return etree.XMLSchema(etree.parse(str(reference_file("junit.xsd"))))


def cases(root, suite_name: str) -> dict:
    (suite,) = root.xpath("testsuite[@name=$n]", n=suite_name)
    return {case.get("name"): case for case in suite.findall("testcase")}


@pytest.mark.parametrize("kind", sorted(ALL_REPORTS))
@pytest.mark.parametrize("fail_on", ["error", "info", "never"])
def test_output_validates_against_the_reference_xsd(kind, fail_on, xsd):
    root = junit(ALL_REPORTS[kind](), fail_on)
    assert xsd.validate(root), xsd.error_log


@pytest.mark.parametrize("kind", sorted(ALL_REPORTS))
def test_counts_add_up(kind):
    root = junit(ALL_REPORTS[kind](), "warning")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for suite in root.findall("testsuite"):
        testcases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(testcases)
        assert int(suite.get("failures")) == sum(1 for c in testcases if c.find("failure") is not None)
        assert int(suite.get("errors")) == sum(1 for c in testcases if c.find("error") is not None)
        assert int(suite.get("skipped")) == sum(1 for c in testcases if c.find("skipped") is not None)
        assert suite.get("time") == "0.000" and all(c.get("time") == "0.000" for c in testcases)
        for key in totals:
            totals[key] += int(suite.get(key))
    assert {key: int(root.get(key)) for key in totals} == totals


def test_one_testcase_per_manifest_and_rule_with_stable_names():
    root = junit(passing_report())
    assert [s.get("name") for s in root.findall("testsuite")] == [MANIFEST_A, MANIFEST_B]
    for path in (MANIFEST_A, MANIFEST_B):
        suite_cases = cases(root, path)
        assert list(suite_cases) == ["LP101 Data class vs sector", "LP104 DPA expires soon", "LP204 License obligations"]
        assert {c.get("classname") for c in suite_cases.values()} == {path}
        assert all(len(c) == 0 for c in suite_cases.values())  # all passed
    assert root.get("failures") == "0" and root.get("errors") == "0"


def test_names_never_contain_the_message():
    one = junit(report([FileResult(MANIFEST_A, findings=[finding(message="first wording")])]))
    two = junit(report([FileResult(MANIFEST_A, findings=[finding(message="second wording", line=99)])]))
    names = lambda root: [c.get("name") for c in root.iter("testcase")]  # noqa: E731
    assert names(one) == names(two)
    assert not any("wording" in name for name in names(one))


def test_violations_are_failures_listing_every_finding_with_its_position():
    failure = cases(junit(failing_report()), MANIFEST_A)["LP101 Data class vs sector"].find("failure")
    assert failure.get("type") == "error"
    assert failure.get("message") == "2 findings; first: source 'gpt4o' receives personal data"
    assert failure.text.splitlines() == [
        f"{MANIFEST_A}:12:7: error LP101 source 'gpt4o' receives personal data",
        f"{MANIFEST_A}:13:9: error LP101 source 'gpt4o' receives financial data",
    ]


def test_findings_below_fail_on_pass_with_output_and_at_or_above_fail():
    lp104 = "LP104 DPA expires soon"
    below = cases(junit(failing_report(), "error"), MANIFEST_A)[lp104]
    assert below.find("failure") is None
    assert "expires in 12 days" in below.find("system-out").text
    above = cases(junit(failing_report(), "warning"), MANIFEST_A)[lp104]
    assert above.find("failure").get("type") == "warning"
    never = junit(failing_report(), "never")
    assert never.get("failures") == "0"


def test_waived_only_findings_are_skipped_with_the_justification():
    skipped = cases(junit(failing_report(), "info"), MANIFEST_B)["LP204 License obligations"].find("skipped")
    assert skipped.get("message") == "waived: Attribution is in the product's about page"
    assert f"{MANIFEST_B}:5:14: info LP204" in skipped.text and "legal@example.com" in skipped.text


def test_faults_are_errors_and_unevaluated_rules_are_not_passes():
    root = junit(erroring_report())
    run_suite = cases(root, "llm-policy")
    error = run_suite["policy error in policies/custom/deny.rego"].find("error")
    assert error.get("type") == "policy"
    assert error.text == "policies/custom/deny.rego:7:3: [policy] rego_parse_error: unexpected eof token"
    manifest_b = cases(root, MANIFEST_B)
    fault = manifest_b["llm-policy tool error"].find("error")
    assert fault.get("type") == "io" and "permission denied" in fault.get("message")
    assert all(manifest_b[name].find("skipped") is not None for name in manifest_b if name.startswith("LP"))
    assert root.get("errors") == "2" and root.get("failures") == "1"


def test_rule_not_in_report_rules_gets_its_own_testcase():
    lp001 = finding("LP001", message="`project` is required", line=1, column=1, pointer="", source_id=None)
    root = junit(report([FileResult(MANIFEST_A, findings=[lp001])]))
    assert cases(root, MANIFEST_A)["LP001"].find("failure") is not None


def test_control_characters_in_messages_still_make_well_formed_xml(xsd):
    odd = finding(message="bell \x07 and <tag> & \"quotes\"\nsecond line")
    root = junit(report([FileResult(MANIFEST_A, findings=[odd])]))
    assert xsd.validate(root)
    failure = root.find(".//failure")
    # control characters are visible escapes (llm_policy.util.safe_text), never raw in the XML
    assert failure.get("message") == "bell \\x07 and <tag> & \"quotes\"\\nsecond line"


def test_empty_run_is_a_valid_empty_document(xsd):
    root = junit(report([]))
    assert xsd.validate(root)
    assert root.get("tests") == "0" and len(root) == 0


def test_policy_rules_are_skipped_not_passed_when_the_manifest_does_not_validate():
    schema_error = finding("LP001", message="`project` is missing required key 'owner'", line=3, column=1,
                           pointer="/project", source_id=None)
    rules = [RuleInfo("LP001", "Manifest does not match the schema", "error", source="builtin"), *RULES]
    root = junit(report([FileResult(MANIFEST_A, findings=[schema_error])], rules=rules))
    suite = cases(root, MANIFEST_A)
    assert suite["LP001 Manifest does not match the schema"].find("failure") is not None
    skipped = suite["LP101 Data class vs sector"].find("skipped")
    assert skipped.get("message") == "not evaluated: policies run once the manifest passes LP001"
    assert root.find("testsuite").get("skipped") == "3"
