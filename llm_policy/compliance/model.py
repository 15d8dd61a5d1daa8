"""Per framework and control: the status, the rules and findings behind it, the evidence the
manifest cites and the waivers (issue 16). Built from the versioned JSON report plus the manifest.

Statuses, worst first:
- `fail`: an unwaived error finding of one of the control's rules.
- `needs evidence`: an unwaived warning (the rule could not confirm the control, e.g. an
  unverified catalog fact or a DPA about to expire).
- `pass`: no unwaived finding, and the manifest cites evidence for the control (or a waiver with
  its justification accepts every finding).
- `not applicable`: no finding and nothing cited: no rule found a duty (no cloud source needs a
  DPA, no Annex III use needs a FRIA).
A framework outside the manifest's scope (its jurisdictions, data classes, declarations,
`project.frameworks` or `--framework`) is listed as not in scope; the scope is computed by the
pack's own Rego (`policies/lib/frameworks.rego`), so the report and `check` agree by construction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from llm_policy.compliance.frameworks import framework_table
from llm_policy.util.resources import builtin_policy_dir

STATUS_ORDER = ("fail", "needs evidence", "pass", "not applicable")
INVALID_RULES = {"LP000", "LP001", "LP002"}  # load, schema and cross-reference errors: no policy ran


@dataclass
class Evidence:
    path: str  # e.g. sources[gpt4o].dpa.reference
    value: str


@dataclass
class Control:
    framework: str
    id: str
    title: str
    source: str
    rules: list[str]
    status: str = "not applicable"
    findings: list[dict[str, Any]] = field(default_factory=list)
    waived: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class FrameworkResult:
    id: str
    title: str
    source: str
    in_scope: bool
    controls: list[Control]
    # Implied by the jurisdictions, data classes or declarations, but left out by project.frameworks
    # or --framework: shown as "not selected" so the scoping decision is visible to the auditor.
    implied: bool = False

    @property
    def status(self) -> str:
        if not self.in_scope:
            return "not selected" if self.implied else "not in scope"
        statuses = {c.status for c in self.controls}
        return next((s for s in STATUS_ORDER if s in statuses), "not applicable")


@dataclass
class ManifestCompliance:
    path: str
    frameworks: list[FrameworkResult]
    scope_note: Optional[str] = None  # why the scope could not be computed (then every framework is shown)
    faults: list[dict[str, Any]] = field(default_factory=list)
    # Findings of rules that implement no control (licenses, availability, cost, drift, custom
    # policies): they still fail the run, so the report lists them rather than hiding them.
    other: list[dict[str, Any]] = field(default_factory=list)


def framework_scope(manifest: dict[str, Any], selected: list[str]) -> set[str]:
    """The frameworks whose rules ran for this manifest, asked of the pack's Rego (regorus)."""
    import regorus

    root = builtin_policy_dir()
    engine = regorus.Engine()
    for name in ("manifest.rego", "frameworks.rego"):
        engine.add_policy(f"lib/{name}", (root / "lib" / name).read_text(encoding="utf-8"))
    engine.add_data({"llm_policy": {"frameworks": framework_table(),
                                    **({"context": {"frameworks": list(selected)}} if selected else {})}})
    engine.set_input(manifest)
    result = engine.eval_query("data.llm_policy.lib.framework_scope")
    values = result.get("result") or []
    if not values:
        raise ValueError("the framework scope is undefined for this manifest")
    return set(values[0]["expressions"][0]["value"])


def _evidence(manifest: dict[str, Any], spec: str) -> list[Evidence]:
    """Values at `project.a.b`, or `sources[].a.b` / `stores[].a.b` (one per item, named by its id)."""
    found: list[Evidence] = []
    head, sep, rest = spec.partition("[].")
    if sep and head in ("sources", "stores"):
        keys = rest.split(".")
        items = manifest.get(head)
        for index, item in enumerate(items if isinstance(items, list) else []):
            value: Any = item
            for key in keys:
                value = value.get(key) if isinstance(value, dict) else None
            if value is not None and value is not False:
                name = item.get("id", index) if isinstance(item, dict) else index
                found.append(Evidence(f"{head}[{name}].{'.'.join(keys)}", _text(value)))
        return found
    value = manifest
    for key in spec.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    if value is not None and value is not False:
        found.append(Evidence(spec, _text(value)))
    return found


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


def _read_manifest(path: str, root: Optional[Path]) -> dict[str, Any]:
    from llm_policy.load import parse_document

    candidates = [Path(path)] + ([root / path] if root is not None else [])
    for candidate in candidates:
        if candidate.is_file():
            data = parse_document(candidate.read_text(encoding="utf-8"), candidate).data
            if not isinstance(data, dict):
                raise ValueError("the manifest is not a mapping")
            return data
    raise FileNotFoundError(f"{path} not found")


def build(report: dict[str, Any], root: Optional[Path] = None) -> list[ManifestCompliance]:
    """One ManifestCompliance per checked file of the report."""
    table = framework_table()["frameworks"]
    selected = list(report.get("frameworks") or [])
    if root is None:  # report paths are relative to the repository root (discovery.display_path)
        from llm_policy.run.discovery import find_root

        root = find_root(Path.cwd())
    results = []
    for file in report.get("files", []):
        note = None
        unread = False
        manifest: dict[str, Any] = {}
        try:
            manifest = _read_manifest(file["path"], root)
            scope = framework_scope(manifest, selected)
            unselected = dict(manifest, project={k: v for k, v in (manifest.get("project") or {}).items() if k != "frameworks"})
            implied = framework_scope(unselected, [])
        except Exception as exc:  # noqa: BLE001 - an unreadable manifest still gets a report, flagged
            scope, implied, unread = set(table), set(), True
            note = f"the manifest could not be read again for this report ({type(exc).__name__}: {exc}); every framework is shown, and a control without findings needs evidence"
        findings = [f for f in file.get("findings", [])]
        invalid = bool(file.get("faults")) or any(f["rule_id"] in INVALID_RULES for f in findings)
        if invalid:  # fail closed: the policies did not (all) run, so no control can pass
            note = "the manifest is invalid or could not be checked (see its LP000-LP002 findings and faults): the policies did not run, so every control fails"
        frameworks = []
        for fw_id, spec in table.items():
            controls = []
            for control_id, entry in spec["controls"].items():
                control = Control(fw_id, control_id, entry["title"], entry.get("source", spec["source"]), list(entry["rules"]))
                for finding in findings:
                    if finding["rule_id"] in control.rules:
                        (control.waived if finding.get("waiver") else control.findings).append(finding)
                for ev in entry.get("evidence", []):
                    control.evidence.extend(_evidence(manifest, ev))
                control.status = "fail" if invalid else _status(control)
                if unread and control.status == "not applicable":  # fail closed: nothing was looked at
                    control.status = "needs evidence"
                controls.append(control)
            frameworks.append(FrameworkResult(fw_id, spec["title"], spec["source"], fw_id in scope, controls, fw_id in implied))
        bound = {r for spec in table.values() for entry in spec["controls"].values() for r in entry["rules"]}
        other = [f for f in findings if f["rule_id"] not in bound]
        results.append(ManifestCompliance(file["path"], frameworks, note, list(file.get("faults", [])), other))
    return results


def _status(control: Control) -> str:
    severities = {f["severity"] for f in control.findings}
    if "error" in severities:
        return "fail"
    if "warning" in severities:
        return "needs evidence"
    if control.evidence or control.waived:
        return "pass"
    return "not applicable"
