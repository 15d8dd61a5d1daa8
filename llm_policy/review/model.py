"""The shape of the `llm-policy diff` JSON document (schemas/diff.schema.json is generated from it).

Plain dataclasses, like llm_policy.findings: the diff builds dicts from them with `plain`, and
`llm_policy.schema_gen` derives the published schema from these very classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Optional

from llm_policy.findings import Fault, Finding
from llm_policy.review.sourcing import Change

DIFF_VERSION = "1"


@dataclass
class SideInfo:
    """What one side of the comparison was."""

    spec: str  # the argument as given, or "working tree"
    kind: Literal["revision", "worktree", "path"]
    commit: Optional[str] = None  # the commit a revision resolved to


@dataclass
class FileChange:
    """One manifest that differs between the sides (identical files are not checked or listed)."""

    path: str  # the head name (the base name for a removed manifest)
    status: Literal["added", "removed", "modified", "renamed"]
    base_path: Optional[str] = None  # where it was on the base side, when renamed


@dataclass
class DiffSummary:
    files: int
    added: int
    removed: int
    modified: int
    renamed: int
    changes: int
    high_risk: int
    new_findings: int
    fixed_findings: int
    unchanged_findings: int
    faults: int


@dataclass
class FindingsDelta:
    """Findings matched across the sides by their fingerprint (rule, pointer, source id, file)."""

    new: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)  # base-side findings, at their base positions
    unchanged: list[Finding] = field(default_factory=list)  # head-side copies


@dataclass
class DiffTool:
    name: str
    version: str


@dataclass
class DiffReport:
    """The versioned result of `llm-policy diff`; text and Markdown are rendered from it."""

    diff_version: str
    tool: DiffTool
    evaluation_date: str
    base: SideInfo
    head: SideInfo
    summary: DiffSummary
    files: list[FileChange]
    changes: list[Change]  # risk first: high, medium, low
    findings: FindingsDelta
    faults: list[Fault]
