"""Apply waivers to an evaluated report, and say what each waiver did.

Waivers act after evaluation, on located findings, so they work the same for every engine and
for built-in and custom rules. A waived finding stays in the report (marked, never dropped); an
expired waiver waives nothing and becomes an LP900 error; an active waiver that matched nothing in
a manifest that was fully evaluated becomes an LP901 warning. Both are located at the waiver's own
line in the waivers file and attached to the manifest they name, so they only appear in runs that
checked that manifest (a pre-commit run on one file is not failed by another team's waiver).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Literal, Optional

from llm_policy.run.discovery import display_path
from llm_policy.findings import (
    RULE_SCHEMA,
    RULE_WAIVER_EXPIRED,
    RULE_WAIVER_UNUSED,
    RULE_XREF,
    RULE_YAML,
    FileResult,
    Finding,
    Report,
    RuleInfo,
    Waiver,
)
from llm_policy.waivers.loader import WaiverEntry, WaiverFile, resolve_manifest

Status = Literal["active", "expiring", "expired", "unused", "unknown"]
_NOT_EVALUATED = (RULE_YAML, RULE_SCHEMA, RULE_XREF)


@dataclass
class WaiverUse:
    """What one waiver did in a run: which manifest result it names and how many findings it matched."""

    entry: WaiverEntry
    result: Optional[FileResult] = None  # None: its manifest was not checked in this run
    matched: int = 0
    waived: int = 0
    scoped: bool = False  # its rule depends on what `check --scan` scanned: "matched nothing" proves nothing
    notes: list[str] = field(default_factory=list)

    @property
    def evaluated(self) -> bool:
        """Its manifest went through the policies, so "matched nothing" means something."""
        return (
            self.result is not None
            and not self.result.faults
            and not any(f.rule_id in _NOT_EVALUATED for f in self.result.findings)
        )

    def status(self, today: str, expiring_days: int = 30, run_evaluated: bool = True) -> Status:
        if self.entry.expired(today):
            return "expired"
        if not (self.evaluated and run_evaluated):
            return "unknown"  # not checked in this run, or not evaluated: "matched nothing" would be a guess
        if self.matched == 0 and not self.scoped:  # a drift waiver is judged by its dates alone
            return "unused"
        if self.entry.days_left(today) <= expiring_days:
            return "expiring"
        return "active"


def matches(entry: WaiverEntry, finding: Finding) -> bool:
    """Same rule; and, when the waiver narrows its scope, the same source, a pointer under its own,
    and/or the same file (the code a drift finding is located in)."""
    if finding.rule_id != entry.rule:
        return False
    if entry.file is not None and finding.file != entry.file:
        return False
    if entry.source_id is not None and finding.source_id != entry.source_id:
        return False
    if entry.pointer is not None:
        pointer = finding.pointer or ""
        if pointer != entry.pointer and not pointer.startswith(entry.pointer + "/"):
            return False
    return True


def _waiver(entry: WaiverEntry, waivers: WaiverFile) -> Waiver:
    return Waiver(
        justification=entry.justification,
        approved_by=entry.approved_by,
        expires=entry.expires,
        kind="external",
        reference=f"{waivers.display}:{entry.line}",
    )


def _finding(rule: RuleInfo, message: str, entry: WaiverEntry, waivers: WaiverFile) -> Finding:
    return Finding(
        rule_id=rule.id,
        severity=rule.severity,
        message=message,
        file=waivers.display,
        line=entry.line,
        column=entry.column,
        pointer=f"/waivers/{entry.index}",
        json_path=["waivers", entry.index],
        source_id=entry.source_id,
        title=rule.title,
    )


def apply_waivers(
    report: Report, waivers: WaiverFile, manifests: Iterable[Path], root: Path, today: str
) -> list[WaiverUse]:
    """Mark waived findings in place, add LP900/LP901 findings, and return one use per waiver.

    `manifests` are the files checked (as passed to the runner); each report entry is found by its
    display path, so the order of results does not matter.
    """
    from llm_policy.policy.policy_set import PYTHON_RULES

    rules = {rule.id: rule for rule in PYTHON_RULES}
    results = {result.path: result for result in report.files}
    by_key: dict[str, FileResult] = {}
    for path in manifests:
        result = results.get(display_path(path, root))
        if result is not None:
            by_key.setdefault(resolve_manifest(path), result)
    uses = [WaiverUse(entry, by_key.get(entry.manifest_path)) for entry in waivers.entries]
    run_evaluated = not report.faults  # a broken policy set evaluated nothing anywhere
    # Rules tagged `scan` (LP601-LP604) only fire with `check --scan`, and then only for the files
    # scanned: "matched nothing" depends on the run's scope, so their waivers are never called unused.
    scoped = {rule.id for rule in report.rules if "scan" in rule.tags}
    for use in uses:
        use.scoped = use.entry.rule in scoped
    for result in {id(r): r for r in by_key.values()}.values():
        mine = [use for use in uses if use.result is result]
        if not mine:
            continue
        for finding in result.findings:
            candidates = [use for use in mine if matches(use.entry, finding)]
            for use in candidates:
                use.matched += 1
            active = next((use for use in candidates if not use.entry.expired(today)), None)
            if active is not None and finding.waiver is None:
                finding.waiver = _waiver(active.entry, waivers)
                active.waived += 1
        for use in mine:
            entry = use.entry
            if entry.expired(today):
                covered = f"; the {use.matched} finding(s) it covered fail again" if use.matched else ""
                result.findings.append(_finding(
                    rules[RULE_WAIVER_EXPIRED],
                    f"waiver for {entry.rule} on {entry.scope()} expired on {entry.expires}{covered}: "
                    "renew it with a fresh approval or delete it",
                    entry, waivers,
                ))
            elif use.matched == 0 and use.evaluated and run_evaluated and not use.scoped:
                result.findings.append(_finding(
                    rules[RULE_WAIVER_UNUSED],
                    f"waiver for {entry.rule} on {entry.scope()} matches no finding: delete it, "
                    "a stale waiver would hide the next problem of that rule",
                    entry, waivers,
                ))
        result.findings.sort(key=Finding.sort_key)
    return uses
