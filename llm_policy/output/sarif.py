"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other security dashboards.

Choices a consumer can rely on:
- One run; `tool.driver.rules[]` holds every rule of the report (plus any rule a finding names that
  the report did not describe), so `ruleIndex` always points at a real entry.
- `properties.security-severity` maps our severities onto GitHub's bands: error -> "8.0" (high),
  warning -> "5.0" (medium), info -> "2.0" (low). Every rule is tagged `security` because GitHub only
  shows a security severity for rules with that tag.
- Locations are repo-relative URIs under `%SRCROOT%` with 1-based lines and columns counted in
  Unicode code points (`columnKind`); `endColumn` is exclusive, as SARIF defines it.
- `partialFingerprints["llmPolicy/v1"]` is a hash of rule id, JSON pointer, source id and file, never
  of line numbers or the message: reformatting a manifest or rewording a message (or a message that
  counts days to an expiry) does not reopen the alert. Identical keys within a file get an
  occurrence suffix (`:1`, `:2`, ...) so distinct findings never collapse into one alert.
- Waived findings stay results but carry `suppressions` (kind, justification, approver and expiry in
  its property bag), which GitHub shows as dismissed rather than open. The suppression's state is left
  out on purpose: the spec text calls it `status`, the official schema file calls it `state`, and with
  `additionalProperties: false` either name breaks validation against the other; absent means
  "accepted" to SARIF consumers, which is what an active waiver is.
- With `check --baseline`, results carry the standard `baselineState` (`new`, `unchanged`); baseline
  findings that are gone are `absent` results with `kind: pass`, `level: none` and no fingerprint, so
  code scanning closes their alerts instead of keeping them open.
- Message texts carry no control, line-separator or bidi character (`llm_policy.util.safe_text`):
  escaped when the finding was made and again here, for reports re-rendered from a saved file.
- Tool faults are `invocations[0].toolExecutionNotifications` with `executionSuccessful: false`;
  they are not results, because they say nothing about the manifest's compliance.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, Optional
from urllib.parse import quote

from llm_policy.output.fingerprint import fingerprint_key  # noqa: F401 - re-exported: the one definition
from llm_policy.output import RenderOptions
from llm_policy.output._report import rule_title, rules_by_id, span_end
from llm_policy.util.safe_text import escape_controls

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "llmPolicy/v1"

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SECURITY_SEVERITY = {"error": "8.0", "warning": "5.0", "info": "2.0"}
BASE_TAGS = ("security", "llm-policy")


def camel_case(title: str, fallback: str) -> str:
    """`Data class vs sector` -> `DataClassVsSector` (SARIF `name` is an identifier-like label)."""
    words = re.findall(r"[A-Za-z0-9]+", re.sub(r"['\u2019]", "", title))  # "source's" -> "Sources"
    name = "".join(w[:1].upper() + w[1:] for w in words)
    return name or fallback


def _posix(path: str) -> str:
    return path.replace("\\", "/")


def artifact_location(path: str) -> dict[str, Any]:
    """A repo-relative path becomes `{uri, uriBaseId: %SRCROOT%}`; an absolute one a `file://` URI."""
    posix = _posix(path)
    if PurePosixPath(posix).is_absolute() or PureWindowsPath(path).is_absolute():
        if PureWindowsPath(path).drive:
            return {"uri": PureWindowsPath(path).as_uri()}
        return {"uri": PurePosixPath(posix).as_uri()}
    if posix.startswith("./"):
        posix = posix[2:]
    return {"uri": quote(posix, safe="/"), "uriBaseId": SRCROOT}


def region(line: Optional[int], column: Optional[int], end_line: Optional[int] = None,
           end_column: Optional[int] = None) -> Optional[dict[str, int]]:
    """A SARIF region, or None when the position is unknown (SARIF lines and columns are >= 1)."""
    if not line or line < 1:
        return None
    out: dict[str, int] = {"startLine": int(line)}
    end_line, end_column = span_end(line, end_line, end_column)
    if column and column >= 1:
        out["startColumn"] = int(column)
    if end_line is None and end_column:
        end_line = line  # an end column without an end line is on the start line
    if end_line and end_line >= line:
        out["endLine"] = int(end_line)
        if end_column and end_column >= 1 and (end_line > line or end_column >= out.get("startColumn", 1)):
            out["endColumn"] = int(end_column)
    return out


def _physical_location(path: str, reg: Optional[dict[str, int]]) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact_location(path)}
    if reg:
        physical["region"] = reg
    return {"physicalLocation": physical}


def _rule_descriptor(rule: dict[str, Any]) -> dict[str, Any]:
    rule_id = rule["id"]
    title = rule.get("title") or rule_id
    description = rule.get("description") or title
    remediation = rule.get("remediation") or ""
    severity = rule.get("severity") or "warning"
    help_uri = rule.get("help_uri")

    text = description + (f"\n\nHow to fix: {remediation}" if remediation else "")
    markdown = f"**{rule_id}: {title}**\n\n{description}"
    if remediation:
        markdown += f"\n\n**How to fix:** {remediation}"
    if help_uri:
        text += f"\n\nDocumentation: {help_uri}"
        markdown += f"\n\n[Rule documentation]({help_uri})"

    tags = list(dict.fromkeys([*BASE_TAGS, *(rule.get("tags") or [])]))
    descriptor: dict[str, Any] = {
        "id": rule_id,
        "name": camel_case(title, rule_id),
        "shortDescription": {"text": title},
        "fullDescription": {"text": description},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVELS.get(severity, "warning")},
        "properties": {
            "tags": tags,
            "precision": "very-high",
            "security-severity": SECURITY_SEVERITY.get(severity, "5.0"),
        },
    }
    if help_uri:
        descriptor["helpUri"] = help_uri
    return descriptor


def _result(finding: dict[str, Any], rule_index: int, fingerprint: str, title: Optional[str]) -> dict[str, Any]:
    reg = region(finding.get("line"), finding.get("column"), finding.get("end_line"), finding.get("end_column"))
    result: dict[str, Any] = {
        "ruleId": finding["rule_id"],
        "ruleIndex": rule_index,
        "level": LEVELS[finding["severity"]],
        "message": {"text": escape_controls(finding["message"])},
        "locations": [_physical_location(finding["file"], reg)],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    properties = {
        "severity": finding["severity"],
        "jsonPointer": finding.get("pointer") or "",
        "sourceId": finding.get("source_id"),
        "title": title,
        "verification": finding.get("verification"),
        "reference": finding.get("reference"),
    }
    if finding.get("baseline_state"):
        result["baselineState"] = finding["baseline_state"]  # check --baseline: new, unchanged or absent
    result["properties"] = {k: v for k, v in properties.items() if v is not None}
    waiver = finding.get("waiver")
    if waiver is not None:
        suppression: dict[str, Any] = {
            "kind": waiver.get("kind") or "external",
            "justification": escape_controls(waiver.get("justification") or ""),
        }
        extra = {k: waiver.get(k) for k in ("approved_by", "expires", "reference") if waiver.get(k)}
        if extra:
            suppression["properties"] = extra
        result["suppressions"] = [suppression]
    return result


def _absent_results(report: dict[str, Any], index: dict[str, int], titles: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Baseline findings this run no longer has (`baselineState: absent`), as `kind: pass` results.

    They carry no partialFingerprints: a fingerprint would keep the fixed alert open in code scanning,
    which closes an alert when its fingerprint is missing from the upload.
    """
    out = []
    for finding in (report.get("baseline") or {}).get("absent", []):
        if finding["rule_id"] not in index:
            continue  # a rule the run no longer has: nothing to point ruleIndex at
        result = _result(finding, index[finding["rule_id"]], "", rule_title(finding, titles))
        del result["partialFingerprints"]
        result.pop("suppressions", None)
        result.update(kind="pass", level="none", baselineState="absent")
        out.append(result)
    return out


def _notification(fault: dict[str, Any], file: Optional[str]) -> dict[str, Any]:
    path = fault.get("file") or file
    note: dict[str, Any] = {
        "level": "error",
        "message": {"text": escape_controls(f"[{fault['kind']}] {fault['message']}")},
        "descriptor": {"id": f"llm-policy/{fault['kind']}"},
    }
    if path:
        note["locations"] = [_physical_location(path, region(fault.get("line"), fault.get("column")))]
    return note


class LogBuilder:
    """The SARIF log built one manifest at a time, so a streamed run (`llm_policy.output.stream`)
    and `build_log` share every byte-deciding step.

    `rules` starts as the report's rules; a rule id that a finding uses but the report lacks gets a
    minimal entry the first time it is seen (so `ruleIndex` always points at a real entry).
    Fingerprint occurrences count a manifest's own findings per result, and findings located in
    another file (waiver findings in the waivers file, drift findings in code) across the run: a
    file's own findings can meet the same key only there, so the counts equal one count over the
    whole report while memory stays flat for any number of manifests.
    """

    def __init__(self, report_rules: list[dict[str, Any]]) -> None:
        self.rules = list(rules_by_id({"rules": report_rules}).values())
        self.index = {rule["id"]: i for i, rule in enumerate(self.rules)}
        self.titles = rules_by_id({"rules": self.rules})
        self._foreign: dict[str, int] = {}

    def _rule_index(self, finding: dict[str, Any]) -> int:
        rule_id = finding["rule_id"]
        if rule_id not in self.index:
            rule = {"id": rule_id, "title": finding.get("title") or rule_id, "severity": finding["severity"]}
            self.index[rule_id] = len(self.rules)
            self.rules.append(rule)
            self.titles[rule_id] = rule
        return self.index[rule_id]

    def results(self, file_result: dict[str, Any]) -> list[dict[str, Any]]:
        """The SARIF results of one entry of the report's `files`, in report order."""
        own: dict[str, int] = {}
        out = []
        for finding in file_result.get("findings", []):
            key = fingerprint_key(finding)
            if finding["file"] == file_result.get("path"):
                if key not in own:
                    own[key] = self._foreign.get(key, 0)  # placed in this file by an earlier manifest's findings
                own[key] += 1
                number = own[key]
            else:
                number = self._foreign[key] = self._foreign.get(key, 0) + 1
            index = self._rule_index(finding)  # before the title: a rule first seen here gets its entry
            out.append(_result(finding, index, f"{key}:{number}", rule_title(finding, self.titles)))
        return out

    def absent_results(self, report: dict[str, Any]) -> list[dict[str, Any]]:
        return _absent_results(report, self.index, self.titles)

    def log(self, report: dict[str, Any], results: Any, notifications: Any, failed: bool) -> dict[str, Any]:
        """The whole log around `results` and `notifications` (lists, or placeholders a stream fills in)."""
        invocation: dict[str, Any] = {"executionSuccessful": not failed}
        if failed:
            invocation["toolExecutionNotifications"] = notifications

        tool = report.get("tool", {})
        driver: dict[str, Any] = {
            "name": tool.get("name", "llm-policy"),
            "version": tool.get("version", "0"),
            "semanticVersion": tool.get("version", "0"),
            "rules": [_rule_descriptor(rule) for rule in self.rules],
        }
        if tool.get("information_uri"):
            driver["informationUri"] = tool["information_uri"]

        run: dict[str, Any] = {
            "tool": {"driver": driver},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {
                "reportVersion": report.get("report_version"),
                "evaluationDate": report.get("evaluation_date"),
            },
        }
        return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def file_notifications(file_result: dict[str, Any]) -> list[dict[str, Any]]:
    """A manifest's faults as tool execution notifications."""
    return [_notification(f, file_result["path"]) for f in file_result.get("faults", [])]


def build_log(report: dict[str, Any]) -> dict[str, Any]:
    """The SARIF log as a dict (used by `render` and by tests that validate it against the schema)."""
    builder = LogBuilder(report.get("rules", []))
    results = []
    for file_result in report.get("files", []):
        results += builder.results(file_result)
    results += builder.absent_results(report)
    notifications = [_notification(f, None) for f in report.get("faults", [])]
    for file_result in report.get("files", []):
        notifications += file_notifications(file_result)
    return builder.log(report, results, notifications, bool(notifications))


def render(report: dict[str, Any], options: RenderOptions) -> str:
    return json.dumps(build_log(report), indent=2, ensure_ascii=False) + "\n"
