"""The data every pipeline stage hands to the next: findings, faults, per-file results, the report.

These are plain dataclasses on purpose: they are created on the hot path of the pre-commit hook,
where importing pydantic would cost more than the whole check. pydantic still owns their contract:
`llm_policy.schema_gen` derives `schemas/report.schema.json` from these very classes, and the test
suite validates real reports against it.

The JSON report (`Report.to_dict()`) is the single versioned document that every output format is
rendered from, so text, SARIF, JUnit and annotations can never disagree with each other.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Literal, Optional, Union

from llm_policy.util.safe_text import escape_controls

REPORT_VERSION = "1"

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"info": 1, "warning": 2, "error": 3}

# Rule ids owned by the Python stages; policy rules use LP1xx-LP5xx.
RULE_YAML = "LP000"
RULE_SCHEMA = "LP001"
RULE_XREF = "LP002"
# ... and by the waivers file (llm_policy.waivers): reported at the waiver's line in that file.
RULE_WAIVER_EXPIRED = "LP900"
RULE_WAIVER_UNUSED = "LP901"


_safe = escape_controls


@dataclass
class Waiver:
    """Why a finding is accepted for now; a waived finding is reported but never fails a run."""

    justification: str
    approved_by: str
    expires: Optional[str] = None
    kind: Literal["external", "inSource"] = "external"
    reference: Optional[str] = None

    def __post_init__(self) -> None:
        self.justification = _safe(self.justification)
        self.approved_by = _safe(self.approved_by)
        if self.reference is not None:
            self.reference = _safe(self.reference)


@dataclass
class Finding:
    """One rule result, already located in the manifest (1-based line and column)."""

    rule_id: str
    severity: Severity
    message: str
    file: str
    line: int
    column: int
    end_line: Optional[int] = None
    end_column: Optional[int] = None
    pointer: str = ""
    json_path: list[Union[str, int]] = field(default_factory=list)  # keys and array indexes
    source_id: Optional[str] = None
    title: Optional[str] = None
    verification: Optional[Literal["primary", "secondary", "unverified"]] = None
    reference: Optional[str] = None
    waiver: Optional[Waiver] = None

    def __post_init__(self) -> None:
        # Messages quote manifest values: no control, separator or bidi character gets past here,
        # whichever stage (Python or a Rego rule) built the message. See llm_policy.util.safe_text.
        self.message = _safe(self.message)
        if self.title is not None:
            self.title = _safe(self.title)

    @classmethod
    def at(cls, span: Any, path: list[Any], **fields: Any) -> "Finding":
        """A finding about the node at JSON `path`, placed at `span` from the loader's position map."""
        from llm_policy.load.positions import to_pointer

        return cls(
            line=span.line,
            column=span.column,
            end_line=span.end_line,
            end_column=span.end_column,
            pointer=to_pointer(path),
            json_path=list(path),
            **fields,
        )

    def sort_key(self) -> tuple[Any, ...]:
        return (self.file, self.line, self.column, self.rule_id, self.message)


@dataclass
class Fault:
    """A tool-side failure (unreadable file, broken policy, engine error): always exit 2, never a pass."""

    kind: Literal["io", "config", "policy", "engine", "internal", "waiver"]
    message: str
    file: Optional[str] = None
    line: Optional[int] = None
    column: Optional[int] = None

    def __post_init__(self) -> None:
        self.message = _safe(self.message)


@dataclass
class FileResult:
    """Everything found in one manifest."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)

    @property
    def status(self) -> Literal["passed", "failed", "error"]:
        # "failed" means something to act on: an unwaived error or warning. Info findings
        # (license obligations, for instance) are notes, not failures.
        if self.faults:
            return "error"
        if any(f.waiver is None and f.severity != "info" for f in self.findings):
            return "failed"
        return "passed"

    def to_dict(self) -> dict[str, Any]:
        """This file's entry in the JSON report's `files` (a streamed run renders them one by one)."""
        return {
            "path": self.path,
            "status": self.status,
            "findings": [plain(f) for f in self.findings],
            "faults": [plain(f) for f in self.faults],
        }


@dataclass
class RuleInfo:
    """Rule metadata as users see it in `rules`, `explain`, SARIF `rules[]` and docs."""

    id: str
    title: str
    severity: Severity
    description: str = ""
    remediation: str = ""
    help_uri: Optional[str] = None
    tags: list[str] = field(default_factory=list)
    source: Optional[str] = None  # the .rego file that defines it, or "builtin" for LP000-LP002


@dataclass
class Summary:
    files: int
    passed: int
    failed: int
    errored: int
    errors: int
    warnings: int
    infos: int
    waived: int
    faults: int


class Tally:
    """Running totals behind `Summary`, so a streamed run can count results without keeping them.

    (A plain class: on the start-up path every dataclass costs a compile of its generated methods.)
    """

    __slots__ = ("files", "passed", "failed", "errored", "errors", "warnings", "infos", "waived", "faults", "worst")

    def __init__(self) -> None:
        self.files = self.passed = self.failed = self.errored = 0
        self.errors = self.warnings = self.infos = self.waived = self.faults = 0
        self.worst = 0  # highest SEVERITY_RANK of an unwaived finding (0: none), for the exit code

    def add(self, result: FileResult) -> None:
        self.files += 1
        status = result.status
        if status == "passed":
            self.passed += 1
        elif status == "failed":
            self.failed += 1
        else:
            self.errored += 1
        for finding in result.findings:
            if finding.waiver is not None:
                self.waived += 1
                continue
            if finding.severity == "error":
                self.errors += 1
            elif finding.severity == "warning":
                self.warnings += 1
            else:
                self.infos += 1
            self.worst = max(self.worst, SEVERITY_RANK[finding.severity])
        self.faults += len(result.faults)

    def summary(self, run_faults: int = 0) -> Summary:
        return Summary(
            files=self.files, passed=self.passed, failed=self.failed, errored=self.errored, errors=self.errors,
            warnings=self.warnings, infos=self.infos, waived=self.waived, faults=run_faults + self.faults,
        )


@dataclass
class Report:
    """The versioned result of one run. `to_dict()` is the JSON report every format renders from."""

    tool_version: str
    evaluation_date: str
    files: list[FileResult] = field(default_factory=list)
    rules: list[RuleInfo] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)  # not tied to one manifest (e.g. a broken policy)

    def summary(self) -> Summary:
        tally = Tally()
        for result in self.files:
            tally.add(result)
        return tally.summary(len(self.faults))

    def to_dict(self) -> dict[str, Any]:
        return {
            "report_version": REPORT_VERSION,
            "tool": {
                "name": "llm-policy",
                "version": self.tool_version,
                "information_uri": "https://github.com/llm-policy/llm-policy",
            },
            "evaluation_date": self.evaluation_date,
            "summary": plain(self.summary()),
            "rules": [plain(rule) for rule in self.rules],
            "faults": [plain(fault) for fault in self.faults],
            "files": [result.to_dict() for result in self.files],
        }


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def plain(value: Any) -> Any:
    """`dataclasses.asdict` for the report's types, several times faster: it copies containers but
    not strings and numbers (asdict deep-copies every value), which matters at 100,000 findings."""
    kind = type(value)
    if kind in (str, int, float, bool) or value is None:
        return value
    if kind is list:
        return [plain(item) for item in value]
    if kind is dict:
        return {key: plain(item) for key, item in value.items()}
    if kind is tuple:
        return tuple(plain(item) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES.get(kind)
        if names is None:
            names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(value))
        return {name: plain(getattr(value, name)) for name in names}
    return copy.deepcopy(value)


def exit_code(report: dict[str, Any], fail_on: str, allow_empty: bool = False) -> int:
    """0 clean, 1 unwaived findings at or above `fail_on`, 2 tool faults or nothing checked.

    Computed from the JSON report (not the dataclasses) so every output path agrees on it.
    """
    worst = max(
        (SEVERITY_RANK[f["severity"]] for result in report["files"] for f in result["findings"]
         if f["waiver"] is None and f.get("baseline_state") != "unchanged"),  # check --baseline: old findings never fail
        default=0,
    )
    return exit_status(report["summary"], worst, fail_on, allow_empty)


def exit_status(summary: dict[str, Any], worst: int, fail_on: str, allow_empty: bool = False) -> int:
    """`exit_code` from the summary and the highest SEVERITY_RANK of an unwaived finding (0: none)."""
    if summary["faults"] or (summary["files"] == 0 and not allow_empty):
        return 2
    if fail_on == "never":
        return 0
    return 1 if worst >= SEVERITY_RANK[fail_on] else 0
