"""`--format junit`: JUnit XML for CI test-report views (GitLab, Jenkins, GitHub test reporters).

Shape, chosen so test history stays meaningful across runs:
- one `<testsuite>` per manifest (`name` and `file` = the manifest path);
- one `<testcase>` per (manifest, rule) for every rule of the report, named `"<rule id> <title>"`
  (never the message: messages change, names must not) with the manifest path as `classname`;
  rule ids that a finding uses but the report does not list get a testcase too;
- `<failure>` when the rule has an unwaived finding at or above `--fail-on` (`RenderOptions.fail_on`),
  so the report agrees with the exit code; findings below the threshold are listed in `<system-out>`
  of a passing testcase; a rule with only waived findings is `<skipped>` with the justification;
- tool faults are `<error>`s: a manifest's own faults in an extra testcase of its suite (and its
  rules, which could not be trusted, are `<skipped>`), run-level faults in a synthetic `llm-policy` suite;
- policy rules of a manifest with LP000-LP002 findings are `<skipped>`: the pipeline evaluates
  policies only on manifests that load and validate, so they did not run.
The report carries no timings, so every `time` is `0.000`; counts are computed from the testcases
written, so suite and total attributes always add up.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any, Optional

from llm_policy.findings import RULE_SCHEMA, RULE_XREF, RULE_YAML
from llm_policy.output import RenderOptions
from llm_policy.output._report import fails_run, is_waived, location, plural, rules_by_id
from llm_policy.util.safe_text import escape_controls as _e

ZERO_TIME = "0.000"
VALIDATION_RULES = frozenset({RULE_YAML, RULE_SCHEMA, RULE_XREF})
FAULT_CASE_NAME = "llm-policy tool error"
RUN_SUITE_NAME = "llm-policy"

# Characters XML 1.0 cannot carry at all (even escaped); they are replaced, not dropped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: Any) -> str:
    """Text XML can carry; for bodies, whose lines were built from escaped values."""
    return _INVALID_XML.sub("\ufffd", str(text))


def _attr(text: Any) -> str:
    """One value as an attribute: controls (newlines, ESC, bidi) escaped visibly, then XML-safe."""
    return _clean(_e(text))


def _finding_line(finding: dict[str, Any]) -> str:
    where = location(_e(finding["file"]), finding.get("line"), finding.get("column"))
    line = f"{where}: {_e(finding['severity'])} {_e(finding['rule_id'])} {_e(finding['message'])}"
    waiver = finding.get("waiver")
    if waiver is not None:
        line += f" [waived: {_e(waiver.get('justification', ''))} (approved by {_e(waiver.get('approved_by', '?'))})]"
    if finding.get("baseline_state") == "unchanged":
        line += " [baseline]"
    return line


def _fault_line(fault: dict[str, Any]) -> str:
    where = location(_e(fault["file"]) if fault.get("file") else None, fault.get("line"), fault.get("column"))
    return f"{where}: [{_e(fault['kind'])}] {_e(fault['message'])}"


def _summary_message(messages: list[str]) -> str:
    if len(messages) == 1:
        return messages[0]
    return f"{len(messages)} findings; first: {messages[0]}"


class _Suite:
    """A testsuite being built, counting what it holds."""

    def __init__(self, name: str, file: Optional[str]) -> None:
        self.element = ET.Element("testsuite", {"name": _attr(name)})
        if file:
            self.element.set("file", _attr(file))
        self.tests = self.failures = self.errors = self.skipped = 0

    def case(self, name: str, classname: str) -> ET.Element:
        self.tests += 1
        return ET.SubElement(self.element, "testcase",
                             {"name": _attr(name), "classname": _attr(classname), "time": ZERO_TIME})

    def outcome(self, case: ET.Element, tag: str, message: str, body: str, kind: Optional[str] = None) -> None:
        attrs = {"message": _attr(message)}
        if kind:
            attrs["type"] = _attr(kind)
        child = ET.SubElement(case, tag, attrs)
        child.text = _clean(body)
        if tag == "failure":
            self.failures += 1
        elif tag == "error":
            self.errors += 1
        elif tag == "skipped":
            self.skipped += 1

    def finish(self) -> ET.Element:
        for attr in ("tests", "failures", "errors", "skipped"):
            self.element.set(attr, str(getattr(self, attr)))
        self.element.set("time", ZERO_TIME)
        return self.element


def _rule_case(suite: _Suite, path: str, rule_id: str, title: str, findings: list[dict[str, Any]],
               fail_on: str, not_evaluated: Optional[str]) -> None:
    case = suite.case(f"{rule_id} {title}".strip(), path)
    failing = [f for f in findings if fails_run(f, fail_on)]
    if failing:
        worst = max(failing, key=lambda f: {"info": 1, "warning": 2, "error": 3}[f["severity"]])
        suite.outcome(case, "failure", _summary_message([f["message"] for f in failing]),
                      "\n".join(_finding_line(f) for f in findings), worst["severity"])
    elif findings and all(is_waived(f) for f in findings):
        justifications = dict.fromkeys(f["waiver"].get("justification", "") for f in findings)
        suite.outcome(case, "skipped", "waived: " + "; ".join(justifications),
                      "\n".join(_finding_line(f) for f in findings))
    elif not_evaluated:
        suite.outcome(case, "skipped", f"not evaluated: {not_evaluated}", "")
    elif findings:
        out = ET.SubElement(case, "system-out")
        out.text = _clean("\n".join(_finding_line(f) for f in findings))


def _fault_case(suite: _Suite, name: str, classname: str, faults: list[dict[str, Any]]) -> None:
    case = suite.case(name, classname)
    message = faults[0]["message"] if len(faults) == 1 else f"{plural(len(faults), 'tool error')}; first: {faults[0]['message']}"
    suite.outcome(case, "error", message, "\n".join(_fault_line(f) for f in faults), faults[0]["kind"])


def _file_suite(result: dict[str, Any], rules: dict[str, dict[str, Any]], fail_on: str) -> ET.Element:
    path = result["path"]
    suite = _Suite(path, path)
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for finding in result.get("findings", []):
        by_rule.setdefault(finding["rule_id"], []).append(finding)
    faults = [dict(f, file=f.get("file") or path) for f in result.get("faults", [])]
    if faults:
        _fault_case(suite, FAULT_CASE_NAME, path, faults)
    # Policies run only on a manifest that loads and validates: after an LP000-LP002 finding the
    # policy rules did not run, and a pass would claim a check that never happened.
    blockers = sorted({rid for rid in by_rule if rid in VALIDATION_RULES})
    rule_ids = list(rules) + [rid for rid in by_rule if rid not in rules]
    for rule_id in rule_ids:
        findings = by_rule.get(rule_id, [])
        title = rules[rule_id].get("title", "") if rule_id in rules else (findings[0].get("title") or "")
        if faults:
            reason: Optional[str] = "a tool error stopped the check of this manifest"
        elif blockers and rule_id not in VALIDATION_RULES:
            reason = f"policies run once the manifest passes {', '.join(blockers)}"
        else:
            reason = None
        _rule_case(suite, path, rule_id, title, findings, fail_on, reason)
    return suite.finish()


def _run_fault_suite(faults: list[dict[str, Any]]) -> ET.Element:
    suite = _Suite(RUN_SUITE_NAME, None)
    seen: dict[str, int] = {}
    for fault in faults:
        name = f"{fault['kind']} error" + (f" in {fault['file']}" if fault.get("file") else "")
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name += f" #{seen[name]}"
        _fault_case(suite, name, RUN_SUITE_NAME, [fault])
    return suite.finish()


def build_tree(report: dict[str, Any], fail_on: str = "error") -> ET.Element:
    """The `<testsuites>` element (used by `render` and by tests that validate it against the XSD)."""
    rules = rules_by_id(report)
    root = ET.Element("testsuites", {"name": RUN_SUITE_NAME})
    suites = []
    if report.get("faults"):
        suites.append(_run_fault_suite(report["faults"]))
    suites += [_file_suite(result, rules, fail_on) for result in report.get("files", [])]
    for attr in ("tests", "failures", "errors"):
        root.set(attr, str(sum(int(s.get(attr, "0")) for s in suites)))
    root.set("time", ZERO_TIME)
    root.extend(suites)
    return root


XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def render(report: dict[str, Any], options: RenderOptions) -> str:
    root = build_tree(report, options.fail_on)
    ET.indent(root, space="  ")
    return XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n"


# The pieces of `render` for a streamed run (`llm_policy.output.stream`): the same elements, each
# suite serialised on its own exactly as it appears inside the indented `<testsuites>`.


def file_suite(result: dict[str, Any], rules: dict[str, dict[str, Any]], fail_on: str) -> ET.Element:
    """The `<testsuite>` of one entry of the report's `files` (`rules`: `rules_by_id(report)`)."""
    return _file_suite(result, rules, fail_on)


def run_fault_suite(faults: list[dict[str, Any]]) -> ET.Element:
    return _run_fault_suite(faults)


def suite_text(suite: ET.Element) -> str:
    """One finished `<testsuite>` as `render` writes it: indented one level, on lines of its own."""
    ET.indent(suite, space="  ", level=1)
    return "  " + ET.tostring(suite, encoding="unicode") + "\n"


def root_tags(totals: dict[str, int], empty: bool) -> tuple[str, str]:
    """The opening and closing `<testsuites>` lines for these totals (`tests`, `failures`, `errors`);
    an empty root is one self-closed line, as ElementTree writes it."""
    root = ET.Element("testsuites", {"name": RUN_SUITE_NAME})
    for attr in ("tests", "failures", "errors"):
        root.set(attr, str(totals.get(attr, 0)))
    root.set("time", ZERO_TIME)
    if empty:
        return XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n", ""
    root.text = "\n"
    opening, closing = ET.tostring(root, encoding="unicode").split("\n")
    return XML_DECLARATION + opening + "\n", closing + "\n"
