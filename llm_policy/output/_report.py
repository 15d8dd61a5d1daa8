"""Read-only helpers over the report dict shared by the CI formats (SARIF, JUnit, GitHub, Markdown).

They exist so that every format answers "which rule is this?", "does this finding fail the run?"
and "what is the verdict?" the same way as `llm_policy.findings.exit_code`, working only on the
versioned dict (a saved JSON report re-renders identically).
"""

from __future__ import annotations

from typing import Any, Iterator, Literal, Optional

# Same ranks as llm_policy.findings.SEVERITY_RANK; repeated here so renderers need only the dict.
SEVERITY_RANK: dict[str, int] = {"info": 1, "warning": 2, "error": 3}
FAIL_ON_CHOICES = ("error", "warning", "info", "never")

Verdict = Literal["passed", "failed", "error", "empty"]


def rules_by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The report's rule metadata keyed by rule id (first definition wins, as in report order)."""
    index: dict[str, dict[str, Any]] = {}
    for rule in report.get("rules", []):
        index.setdefault(rule["id"], rule)
    return index


def iter_findings(report: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Yield (file result, finding) pairs in report order (the report is already sorted)."""
    for result in report.get("files", []):
        for finding in result.get("findings", []):
            yield result, finding


def all_faults(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Run-level faults first, then each file's faults (filling in the file when a fault lacks it)."""
    faults = [dict(f) for f in report.get("faults", [])]
    for result in report.get("files", []):
        for fault in result.get("faults", []):
            fault = dict(fault)
            if not fault.get("file"):
                fault["file"] = result["path"]
            faults.append(fault)
    return faults


def is_waived(finding: dict[str, Any]) -> bool:
    return finding.get("waiver") is not None


def in_baseline(finding: dict[str, Any]) -> bool:
    """Found in the `check --baseline` baseline too: reported, but never fails the run."""
    return finding.get("baseline_state") == "unchanged"


def fails_run(finding: dict[str, Any], fail_on: str) -> bool:
    """True when this finding alone makes the run exit 1 under `--fail-on fail_on`."""
    if is_waived(finding) or in_baseline(finding) or fail_on == "never":
        return False
    if fail_on not in SEVERITY_RANK:
        raise ValueError(f"unknown fail-on threshold {fail_on!r}; expected one of {', '.join(FAIL_ON_CHOICES)}")
    return SEVERITY_RANK[finding["severity"]] >= SEVERITY_RANK[fail_on]


def verdict(report: dict[str, Any], fail_on: str) -> Verdict:
    """The run's outcome as the exit code sees it: error (2), empty (2 unless allowed), failed (1), passed (0)."""
    if report.get("faults") or any(r.get("faults") for r in report.get("files", [])):
        return "error"
    if not report.get("files"):
        return "empty"
    if any(fails_run(f, fail_on) for _, f in iter_findings(report)):
        return "failed"
    return "passed"


def rule_title(finding: dict[str, Any], rules: dict[str, dict[str, Any]]) -> Optional[str]:
    """The finding's own title, else its rule's title, else None."""
    if finding.get("title"):
        return str(finding["title"])
    rule = rules.get(finding["rule_id"])
    return str(rule["title"]) if rule and rule.get("title") else None


def span_end(line: Optional[int], end_line: Optional[int], end_column: Optional[int]) -> tuple[Optional[int], Optional[int]]:
    """The end of a span with an exclusive end at column 1 of a later line pulled back to the line before.

    A YAML mapping "ends" where the next key starts (line 16, column 1); shown as-is, CI would mark
    one line too many. (end_line - 1, no column) means "through the end of the previous line".
    """
    if line and end_line and end_line > line and end_column == 1:
        return end_line - 1, None
    return end_line, end_column


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def location(path: Optional[str], line: Optional[int] = None, column: Optional[int] = None) -> str:
    """`path:line:col` as editors and problem matchers parse it, omitting unknown parts."""
    where = path or "llm-policy"
    if line:
        where += f":{line}"
        if column:
            where += f":{column}"
    return where
