"""`check --scan`: turn an inventory into what each evaluation sees, and decide what is checked.

The plan, from the paths a user (or the pre-commit hook) gave:

- a directory is scanned in full and its manifests are checked, each seeing the evidence it
  governs with `complete: true` (LP603 may conclude "no evidence");
- a manifest file given by name is checked and its own directory is scanned in full;
- any other file is scanned as code (a subset: `complete: false`, so LP603 stays silent), and the
  manifest that governs it is checked too, reporting only what concerns that code: findings
  located in scanned files, plus LP000-LP002 (a manifest that cannot be read cannot judge code).
  The manifest's own problems belong to the `llm-policy` hook, which runs when it changes;
- a file that cannot be read or parsed is a tool error (exit 2): it may hide usage. Exclude it
  (`--exclude`, `scan_exclude`) if it is not the project's code;
- evidence no manifest governs is checked as its own entry, named after the code file, with a
  manifest-less input (`_evidence.manifest: null`), so LP604 (and custom rules) can report it.

The evidence travels in the input (`input._evidence`, see policies/lib/evidence.rego): the one
per-evaluation document that regorus, `opa eval` and an OPA server all take, so batches (`--jobs`,
which fork with the plan in `CheckOptions`) and remote servers see exactly what the embedded
engine sees.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional

from llm_policy.run.discovery import MANIFEST_NAMES, display_path, find_manifests
from llm_policy.findings import RULE_SCHEMA, RULE_XREF, RULE_YAML, Fault, Finding
from llm_policy.scan.inventory import Excludes, Inventory, build_inventory
from llm_policy.scan.signatures import SignatureSet

EVIDENCE_KEY = "_evidence"
_UNEVALUATED = (RULE_YAML, RULE_SCHEMA, RULE_XREF)


def key(path: Path | str) -> str:
    """How the plan names a file: absolute, symlinks resolved (as waivers match manifests)."""
    return os.path.normcase(os.path.realpath(path))


class DriftPlan:
    """Evidence documents by file key, for the runner (picklable: it rides in CheckOptions)."""

    __slots__ = ("by_manifest", "implicit", "orphans", "faults")

    def __init__(self) -> None:
        self.by_manifest: dict[str, dict[str, Any]] = {}
        self.implicit: set[str] = set()  # manifests checked only because they govern scanned code
        self.orphans: dict[str, dict[str, Any]] = {}  # ungoverned code file -> evidence
        self.faults: list[Fault] = []  # files the scan could not read or parse: exit 2

    def evidence_for(self, path: Path) -> tuple[Optional[dict[str, Any]], bool, bool]:
        """(evidence document, is an ungoverned code file, is an implicit manifest) for a checked path."""
        k = key(path)
        if k in self.orphans:
            return self.orphans[k], True, False
        return self.by_manifest.get(k), False, k in self.implicit

    def keep(self, finding: Finding, manifest_shown: str, implicit: bool) -> bool:
        """Whether a finding of an implicit manifest concerns the scanned code (or blocks judging it)."""
        return not implicit or finding.file != manifest_shown or finding.rule_id in _UNEVALUATED


def plan(
    paths: list[Path], root: Path, signatures: SignatureSet, excludes: Excludes, jobs: int = 1
) -> tuple[list[Path], DriftPlan, Inventory]:
    """The files `check` evaluates (manifests, then ungoverned code files), the plan, and the inventory."""
    manifests: list[Path] = []
    scan_paths: list[Path] = []
    for path in paths:
        if path.is_dir():
            scan_paths.append(path)
            manifests += find_manifests([path], root=root)
        elif path.name in MANIFEST_NAMES:
            manifests.append(path)
            scan_paths.append(path.parent if str(path.parent) else Path("."))
        else:
            scan_paths.append(path)  # a missing file is the caller's MissingPath, checked before
    inventory = build_inventory(scan_paths, root, signatures, excludes, jobs)
    drift = DriftPlan()
    # A file that could not be scanned may hide usage: fail closed, and say how to opt out.
    drift.faults = [Fault("io", f"not scanned for LLM usage: {s.reason} (exclude it with --exclude or scan_exclude)", s.file)
                    for s in inventory.skipped]
    checked: dict[str, Path] = {}
    for manifest in manifests:
        checked.setdefault(key(manifest), manifest)
    governed: dict[str, list[dict[str, Any]]] = {}
    ungoverned: dict[str, list[dict[str, Any]]] = {}
    code_paths: dict[str, Path] = {}
    for item in inventory.evidence:
        plain = item.to_dict()
        del plain["manifest"]
        if item.manifest is None:
            ungoverned.setdefault(item.file, []).append(plain)
            code_paths.setdefault(item.file, root / item.file)
        else:
            absolute = inventory.manifests[item.manifest]
            governed.setdefault(key(absolute), []).append(plain)
            if key(absolute) not in checked:
                checked[key(absolute)] = Path(absolute)
                drift.implicit.add(key(absolute))
    for k, manifest in checked.items():
        drift.by_manifest[k] = {
            "manifest": display_path(manifest, root),
            "complete": k not in drift.implicit and inventory.complete_for(str(manifest)),
            "items": governed.get(k, []),
        }
    orphans: list[Path] = []
    for file, items in ungoverned.items():
        path = code_paths[file]
        drift.orphans[key(path)] = {"manifest": None, "complete": False, "items": items}
        orphans.append(path)
    return list(checked.values()) + orphans, drift, inventory
