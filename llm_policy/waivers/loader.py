"""Find and read the waivers file, strictly: any problem is a located fault, never a skipped waiver.

The file goes through the same hardened loader as manifests (no tags, no duplicate keys, no alias
bombs, positions for every node) and then `schemas/waivers.schema.json`. A waiver that cannot be
read must never be silently dropped, and it must never waive more than it says, so every entry
is all-or-nothing: one bad entry makes the whole file a fault (exit 2).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from llm_policy.findings import RULE_SCHEMA, RULE_WAIVER_EXPIRED, RULE_WAIVER_UNUSED, RULE_XREF, RULE_YAML, Fault
from llm_policy.load import Document, LoadError, load_document
from llm_policy.util.resources import schema_path

WAIVER_NAMES = ("llm-policy-waivers.yaml", "llm-policy-waivers.yml")
# A manifest that cannot be read or fails its schema is never evaluated, so waiving those rules
# would let a broken manifest pass; the waiver rules themselves are about this file.
UNWAIVABLE = (RULE_YAML, RULE_SCHEMA, RULE_XREF, RULE_WAIVER_EXPIRED, RULE_WAIVER_UNUSED)


class WaiverFileError(Exception):
    """The waivers file is missing, unreadable or malformed; each fault names file:line:col."""

    def __init__(self, faults: list[Fault]):
        super().__init__("; ".join(f.message for f in faults))
        self.faults = faults


@dataclass
class WaiverEntry:
    """One waiver, with where it is written (to report it) and the manifest it names, resolved."""

    index: int
    rule: str
    manifest: str  # as written
    manifest_path: str  # absolute, symlinks resolved: what matching compares
    justification: str
    approved_by: str
    expires: str
    source_id: Optional[str] = None
    pointer: Optional[str] = None
    file: Optional[str] = None  # only findings located in this file (drift findings point at code)
    line: int = 1
    column: int = 1

    def scope(self) -> str:
        """How far the waiver reaches, for messages: `services/a/llm-sourcing.yaml (source 'x')`."""
        parts = []
        if self.source_id is not None:
            parts.append(f"source '{self.source_id}'")
        if self.pointer is not None:
            parts.append(f"at {self.pointer}")
        if self.file is not None:
            parts.append(f"in {self.file}")
        return self.manifest + (f" ({', '.join(parts)})" if parts else "")

    def expired(self, today: str) -> bool:
        return today > self.expires  # ISO dates compare as strings; the waiver holds on its last day

    def days_left(self, today: str) -> int:
        return (dt.date.fromisoformat(self.expires) - dt.date.fromisoformat(today)).days


@dataclass
class WaiverFile:
    path: Path
    display: str  # as shown in reports (relative to the root)
    entries: list[WaiverEntry] = field(default_factory=list)


def resolve_manifest(path: Path) -> str:
    """The key a manifest is matched by: absolute, normalised, symlinks resolved."""
    return os.path.normcase(os.path.realpath(path))


def find_waivers_file(explicit: Optional[Path], configured: Optional[Path], search: list[Path]) -> Optional[Path]:
    """`--waivers`, else the config's `waivers`, else the first default name found in `search`.

    A file that was named explicitly must exist (the caller reports it); a default that is absent
    simply means there are no waivers.
    """
    if explicit is not None:
        return explicit
    if configured is not None:
        return configured
    for directory in search:
        for name in WAIVER_NAMES:
            candidate = directory / name
            if candidate.exists() or candidate.is_symlink():
                return candidate
    return None


@lru_cache(maxsize=None)
def _validator() -> Any:
    from llm_policy.validate.ecma import validator_for

    with open(schema_path("waivers.schema.json"), encoding="utf-8") as handle:
        schema = json.load(handle)
    return validator_for(schema)  # ECMA-262 patterns: "LP103\n" is not a rule id


def _schema_faults(document: Document, display: str) -> list[Fault]:
    from llm_policy.validate.schema import schema_problems

    faults = [
        Fault("waiver", message, display, span.line, span.column)
        for _, message, span in schema_problems(_validator(), document)
    ]
    return sorted(faults, key=lambda f: (f.line or 0, f.column or 0))


def _reword(message: str) -> str:
    """The shared loader speaks of manifests; say what this file is instead."""
    if message.startswith("file is empty"):
        return "file is empty: expected a mapping with a `waivers` list"
    return message.replace("a manifest must be", "the waivers file must be").replace("in manifests", "in the waivers file")


def load_waivers(path: Path, display: str, root: Path) -> WaiverFile:
    """Read and check the whole file; raises WaiverFileError listing every problem.

    Manifest paths are relative to `root`, exactly as reports show them, so the file can live
    wherever code owners protect it (the repository root, `.github/`, ...).
    """
    try:
        document = load_document(path)
    except LoadError as exc:
        message = f"cannot read the waivers file: {exc.message}" if exc.io else _reword(exc.message)
        raise WaiverFileError([Fault("waiver", message, display, exc.line, exc.column)]) from None
    faults = _schema_faults(document, display)
    if faults:
        raise WaiverFileError(faults)
    waivers = WaiverFile(path=path, display=display)
    for index, item in enumerate(document.data["waivers"]):
        span, _ = document.positions.locate(["waivers", index])
        if item["rule"] in UNWAIVABLE:
            rule_span, _ = document.positions.locate(["waivers", index, "rule"])
            faults.append(Fault(
                "waiver",
                f"`waivers[{index}].rule` {item['rule']} cannot be waived: fix the manifest (a manifest that fails "
                "LP000-LP002 is never evaluated) or the waivers file",
                display, rule_span.line, rule_span.column,
            ))
            continue
        waivers.entries.append(WaiverEntry(
            index=index,
            rule=item["rule"],
            manifest=item["manifest"],
            manifest_path=resolve_manifest(root / item["manifest"]),
            justification=item["justification"].strip(),
            approved_by=item["approved_by"].strip(),
            expires=item["expires"],
            source_id=item.get("source_id"),
            pointer=item.get("pointer"),
            file=item.get("file"),
            line=span.line,
            column=span.column,
        ))
    if faults:
        raise WaiverFileError(faults)
    return waivers
