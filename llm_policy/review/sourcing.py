"""The sourcing change between two versions of one manifest, in the terms a reviewer decides on.

Not a text diff: which sources appeared or went, which data class now reaches a provider, sector,
hosting or region it did not reach before (and which jurisdiction's rules that touches), license,
fallback, DPA and project-flag changes. Each change carries a risk (`high`, `medium`, `low`) so a
PR comment can lead with what matters. The class and region tables are the rule pack's own
(`policies/data/tables.json`), so "personal" and "inside the EU" mean what the rules mean.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, Optional

Risk = Literal["high", "medium", "low"]
RISK_ORDER = {"high": 0, "medium": 1, "low": 2}
DIMENSIONS = ("provider", "sector", "hosting", "region")


@dataclass
class Change:
    """One reviewable change to a manifest's sourcing decision."""

    kind: str  # manifest_added, source_added, data_reach, license_changed, fallback_added, dpa_expired, ...
    risk: Risk
    file: str
    message: str  # `template` with `values` filled in
    pointer: str = ""  # JSON pointer in the head manifest (base manifest for removals)
    source_id: Optional[str] = None
    data_class: Optional[str] = None
    jurisdictions: list[str] = field(default_factory=list)  # the regimes this change touches: 152-FZ, GDPR
    before: Optional[str] = None
    after: Optional[str] = None
    template: str = ""  # the message with `{}` where a value from the manifest goes (Markdown shows values inert)
    values: list[str] = field(default_factory=list)


def change(kind: str, risk: Risk, file: str, template: str, values: tuple[Any, ...] = (), pointer: str = "",
           source_id: Optional[str] = None, **extra: Any) -> Change:
    """A Change whose message is `template` filled with `values`, each kept apart for inert rendering."""
    shown = [_show(v) for v in values]
    return Change(kind, risk, file, template.format(*shown), pointer, source_id, template=template, values=shown, **extra)


@lru_cache(maxsize=1)
def tables() -> dict[str, Any]:
    from llm_policy.util.resources import builtin_policy_dir

    path = builtin_policy_dir() / "data" / "tables.json"
    return json.loads(path.read_text(encoding="utf-8"))["llm_policy"]["tables"]  # type: ignore[no-any-return]


def _sensitive(data_class: str) -> bool:
    t = tables()
    return data_class not in (*t["public_classes"], *t["low_risk_classes"])


def _regimes(project: dict[str, Any], data_class: str, region: Optional[str]) -> list[str]:
    """The data-protection regimes a flow of `data_class` to `region` touches, from the project's jurisdictions."""
    t = tables()
    if data_class not in t["personal_classes"]:
        return []
    jurisdictions = set(_strings(project.get("jurisdictions")))
    eu = set(t["eu_regions"])
    regimes = []
    if jurisdictions & set(t["ru_regions"]) and region not in t["ru_regions"]:
        regimes.append("152-FZ")
    if jurisdictions & eu and region not in eu | set(t["eea_regions"]):
        regimes.append("GDPR")
    return regimes


def _region(source: dict[str, Any]) -> Optional[str]:
    return source["region"] if isinstance(source.get("region"), str) else None


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _sources(doc: dict[str, Any]) -> dict[str, tuple[int, dict[str, Any]]]:
    out: dict[str, tuple[int, dict[str, Any]]] = {}
    for index, source in enumerate(doc.get("sources") or [] if isinstance(doc.get("sources"), list) else []):
        if isinstance(source, dict) and isinstance(source.get("id"), str):
            out.setdefault(source["id"], (index, source))
    return out


def _classes_of(doc: dict[str, Any], source: dict[str, Any]) -> list[str]:
    declared = _strings(_mapping(doc.get("data")).get("classes"))
    own = source.get("data_classes")
    return _strings(own) if isinstance(own, list) else declared


def _reach(doc: dict[str, Any]) -> dict[tuple[str, str, str], list[str]]:
    """(data class, dimension, value) -> ids of the sources that make the class reach that value."""
    reach: dict[tuple[str, str, str], list[str]] = {}
    for source_id, (_, source) in _sources(doc).items():
        for data_class in _classes_of(doc, source):
            for dimension in DIMENSIONS:
                value = source.get(dimension)
                if isinstance(value, str):
                    reach.setdefault((data_class, dimension, value), []).append(source_id)
    return reach


def _fallbacks(doc: dict[str, Any]) -> dict[tuple[str, str], int]:
    """(from, to) -> index of the fallback entry, for every edge of every chain."""
    routing = _mapping(doc.get("routing"))
    edges: dict[tuple[str, str], int] = {}
    fallbacks = routing.get("fallbacks") if isinstance(routing.get("fallbacks"), list) else []
    for index, entry in enumerate(fallbacks):
        entry = _mapping(entry)
        for target in _strings(entry.get("to")):
            if isinstance(entry.get("from"), str):
                edges.setdefault((entry["from"], target), index)
    return edges


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


def compare(file: str, base: Optional[dict[str, Any]], head: Optional[dict[str, Any]], today: str,
            base_file: Optional[str] = None) -> list[Change]:
    """Every sourcing change from `base` to `head` (None: the manifest is absent or unreadable there)."""
    if base is None and head is None:
        return []
    changes: list[Change] = []
    add = changes.append
    if head is None:
        add(change("manifest_removed", "medium", file, "Manifest removed: its sources are no longer declared or checked."))
        return changes
    if base is None:
        add(change("manifest_added", "medium", file, "New manifest."))
        base = {}
    if base_file and base_file != file:
        add(change("manifest_renamed", "low", file, "Renamed from {}.", (base_file,), before=base_file, after=file))

    project = _mapping(head.get("project"))
    old_sources, new_sources = _sources(base), _sources(head)

    for source_id, (index, source) in new_sources.items():
        if source_id not in old_sources:
            classes = _classes_of(head, source)
            risk: Risk = "high" if source.get("sector") != "open_source" and any(_sensitive(c) for c in classes) else "medium"
            dims = [d for d in DIMENSIONS if isinstance(source.get(d), str)]
            template = "Source added: {} ({}" + "".join(f"; {d} {{}}" for d in dims) + "), receives {}."
            add(change("source_added", risk, file, template,
                       (source_id, source.get("model"), *(source[d] for d in dims), classes),
                       f"/sources/{index}", source_id, after=_show(source.get("model"))))
    for source_id, (index, source) in old_sources.items():
        if source_id not in new_sources:
            add(change("source_removed", "low", file, "Source removed: {} ({}).", (source_id, source.get("model")),
                       f"/sources/{index}", source_id, before=_show(source.get("model"))))

    old_reach, new_reach = _reach(base), _reach(head)
    grouped: dict[str, dict[str, list[str]]] = {}  # data class -> dimension -> newly reached values
    via: dict[str, list[str]] = {}
    for (data_class, dimension, value), ids in sorted(new_reach.items()):
        if (data_class, dimension, value) not in old_reach:
            grouped.setdefault(data_class, {}).setdefault(dimension, []).append(value)
            via.setdefault(data_class, [])
            via[data_class] += [i for i in ids if i not in via[data_class]]
    for data_class, dims in grouped.items():
        ids = via[data_class]
        regimes = sorted({r for i in ids for r in _regimes(project, data_class, _region(new_sources[i][1]))})
        cloud = any(new_sources[i][1].get("sector") != "open_source" for i in ids)
        risk = "low" if not _sensitive(data_class) else ("high" if regimes or cloud and {"provider", "sector"} & set(dims) else "medium")
        parts = [f"{d} " + ", ".join("{}" for _ in dims[d]) for d in DIMENSIONS if d in dims]
        touches = " Touches " + " and ".join(regimes) + "." if regimes else ""
        values = [data_class, *(v for d in DIMENSIONS for v in dims.get(d, [])), ", ".join(ids)]
        add(change("data_reach", risk, file, "{} data newly reaches " + "; ".join(parts) + " (via {})." + touches,
                   tuple(values), f"/sources/{new_sources[ids[0]][0]}", ids[0], data_class=data_class,
                   jurisdictions=regimes, after="; ".join(f"{d} {', '.join(v)}" for d, v in dims.items())))
    gone: dict[str, list[str]] = {}
    for (data_class, dimension, value), ids in sorted(old_reach.items()):
        if (data_class, dimension, value) not in new_reach:
            gone.setdefault(data_class, []).append(f"{dimension} {value}")
    for data_class, lost in gone.items():
        add(change("data_reach_removed", "low", file, "{} data no longer reaches {}.", (data_class, "; ".join(lost)),
                   "/data/classes", data_class=data_class, before="; ".join(lost)))

    for source_id, (index, source) in new_sources.items():
        pointer = f"/sources/{index}"
        if source_id not in old_sources:
            if isinstance(source.get("dpa"), dict):
                changes.extend(_dpa_changes(file, source_id, pointer, None, source["dpa"], today))
            continue
        old = old_sources[source_id][1]
        if old.get("license") != source.get("license"):
            add(change("license_changed", "high", file, "License of {}: {} -> {}.",
                       (source_id, old.get("license"), source.get("license")), f"{pointer}/license", source_id,
                       before=_show(old.get("license")), after=_show(source.get("license"))))
        for key in ("model", "sector", "provider", "hosting", "region"):
            if old.get(key) != source.get(key):
                add(change(f"{key}_changed", "low" if key == "model" else "medium", file, key.capitalize() + " of {}: {} -> {}.",
                           (source_id, old.get(key), source.get(key)), f"{pointer}/{key}", source_id,
                           before=_show(old.get(key)), after=_show(source.get(key))))
        changes.extend(_dpa_changes(file, source_id, pointer, _mapping(old.get("dpa")) or None,
                                    _mapping(source.get("dpa")) or None, today))

    old_edges, new_edges = _fallbacks(base), _fallbacks(head)
    for (origin, target), index in new_edges.items():
        if (origin, target) not in old_edges:
            add(change("fallback_added", "low", file, "Fallback added: {} -> {}.", (origin, target),
                       f"/routing/fallbacks/{index}", origin, after=target))
    for (origin, target), index in old_edges.items():
        if (origin, target) not in new_edges:
            add(change("fallback_removed", "medium", file, "Fallback removed: {} -> {}.", (origin, target),
                       f"/routing/fallbacks/{index}", origin, before=target))

    if base:  # a new manifest's flags are not changes
        old_project = _mapping(base.get("project"))
        for key, default in (("customer_facing", False), ("commercial", True)):
            before, after = old_project.get(key, default), project.get(key, default)
            if before != after:
                add(change(f"project_{key}", "medium", file, "project." + key + ": {} -> {}.", (before, after),
                           f"/project/{key}", before=_show(before), after=_show(after)))
        before_j, after_j = _strings(old_project.get("jurisdictions")), _strings(project.get("jurisdictions"))
        if set(before_j) != set(after_j):
            add(change("project_jurisdictions", "high" if set(after_j) - set(before_j) else "medium", file,
                       "project.jurisdictions: {} -> {}.", (before_j, after_j), "/project/jurisdictions",
                       jurisdictions=sorted(set(after_j) ^ set(before_j)), before=_show(before_j), after=_show(after_j)))
        before_c = _strings(_mapping(base.get("data")).get("classes"))
        after_c = _strings(_mapping(head.get("data")).get("classes"))
        for data_class in after_c:
            if data_class not in before_c:
                add(change("data_class_added", "high" if _sensitive(data_class) else "low", file,
                           "Data class added: {}.", (data_class,), "/data/classes", data_class=data_class, after=data_class))
        for data_class in before_c:
            if data_class not in after_c:
                add(change("data_class_removed", "low", file, "Data class removed: {}.", (data_class,), "/data/classes",
                           data_class=data_class, before=data_class))
    return changes


def _dpa_changes(file: str, source_id: str, pointer: str, old: Optional[dict[str, Any]],
                 new: Optional[dict[str, Any]], today: str) -> list[Change]:
    out: list[Change] = []
    where = f"{pointer}/dpa"
    if old is None and new is None:
        return out
    if new is None:
        assert old is not None
        out.append(change("dpa_removed", "high", file, "DPA of {} removed (was {}).", (source_id, old.get("reference")),
                          where, source_id, before=_show(old.get("reference"))))
        return out
    expires = new.get("expires")
    if old is None:
        template = "DPA of {} added: {}" + (", expires {}." if expires else ".")
        out.append(change("dpa_added", "low", file, template, (source_id, new.get("reference"), *([expires] if expires else [])),
                          where, source_id, after=_show(new.get("reference"))))
    else:
        for key in ("reference", "signed", "expires", "training_opt_out", "zero_retention", "transfer_mechanism"):
            if old.get(key) != new.get(key):
                weaker = key in ("training_opt_out", "zero_retention") and new.get(key) is not True
                out.append(change("dpa_changed", "high" if weaker else "low", file, "DPA of {}: " + key + " {} -> {}.",
                                  (source_id, old.get(key), new.get(key)), f"{where}/{key}", source_id,
                                  before=_show(old.get(key)), after=_show(new.get(key))))
    if _expired(new, today) and not (old is not None and _expired(old, today)):
        out.append(change("dpa_expired", "high", file, "DPA of {} has expired ({}).", (source_id, expires),
                          f"{where}/expires", source_id, after=_show(expires)))
    return out


def _expired(dpa: dict[str, Any], today: str) -> bool:
    expires = dpa.get("expires")
    return isinstance(expires, str) and expires < today


# Within one risk level, where data goes leads: it is what legal review is about.
KIND_ORDER = ("data_reach", "data_class_added", "project_jurisdictions", "dpa_expired", "dpa_removed", "license_changed",
              "source_added", "dpa_changed", "availability_new", "fallback_removed")


def _kind_rank(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def sort_changes(changes: list[Change]) -> list[Change]:
    """Risk first (high, medium, low), then the kind of change, file and pointer: what the headline leads with."""
    return sorted(changes, key=lambda c: (RISK_ORDER[c.risk], _kind_rank(c.kind), c.file, c.pointer, c.message))
