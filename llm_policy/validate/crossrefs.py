"""Cross-reference checks (LP002) that JSON Schema cannot express.

Every reference by id (routes, fallbacks, escalations) must name a declared source, ids must be
unique, and a source's `data_classes` must be a subset of the project's `data.classes`.
Escalations name declared sources other than themselves and carry only declared classes; a route
or escalation gives its volume once (requests_per_hour or share_percent), and route shares add up
to at most 100 %. Stores (prompt logs, vector stores, caches) have unique ids, hold only declared
classes and are named by `sources[].stores`; a redaction control removes and leaves only declared
classes, and never leaves a class it removes.

The pipeline runs this only on schema-valid manifests, but it does not rely on that for safety:
a shape the schema rejects (a mapping where an id belongs, `to: [{a: b}]`, a missing list) is
skipped here, never a crash, because the schema stage reports it as LP001 anyway. Only strings are
ever compared or hashed.
"""

from __future__ import annotations

from typing import Any, Iterator

from llm_policy.findings import RULE_XREF, Finding
from llm_policy.load import Document
from llm_policy.util.safe_text import quoted

Problem = tuple[list[Any], str, Any]  # (path, message, source id)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _problems(data: Any) -> Iterator[Problem]:
    data = _mapping(data)
    ids: dict[str, int] = {}
    declared = {c for c in _items(_mapping(data.get("data")).get("classes")) if isinstance(c, str)}
    for index, source in enumerate(_items(data.get("sources"))):
        source = _mapping(source)
        source_id = source.get("id")
        if not isinstance(source_id, str):
            continue
        if source_id in ids:
            yield (["sources", index, "id"], f"source id {quoted(source_id)} is already used by sources[{ids[source_id]}]; ids must be unique", source_id)
        else:
            ids[source_id] = index
        for k, data_class in enumerate(_items(source.get("data_classes"))):
            if isinstance(data_class, str) and data_class not in declared:
                yield (
                    ["sources", index, "data_classes", k],
                    f"source {quoted(source_id)} receives data class {quoted(data_class)}, which data.classes does not declare; add it there or remove it here",
                    source_id,
                )
    yield from _store_problems(data, declared)
    known = ", ".join(sorted(ids)) or "none"
    routing = _mapping(data.get("routing"))
    shares = 0
    for k, route in enumerate(_items(routing.get("routes"))):
        route = _mapping(route)
        target, name = route.get("to"), quoted(route.get("name"))
        if isinstance(target, str) and target not in ids:
            yield (["routing", "routes", k, "to"], f"route {name} goes to unknown source {quoted(target)} (declared: {known})", None)
        if "requests_per_hour" in route and "share_percent" in route:
            yield (["routing", "routes", k, "share_percent"], f"route {name} gives both requests_per_hour and share_percent; give one", None)
        share = route.get("share_percent", 0)
        share = share if isinstance(share, int) and not isinstance(share, bool) else 0
        shares += share
        if shares > 100 and shares - share <= 100:
            yield (["routing", "routes", k, "share_percent"], f"the routes' share_percent add up to more than 100 (at route {name})", None)
    for k, fallback in enumerate(_items(routing.get("fallbacks"))):
        origin = _mapping(fallback).get("from")
        if not isinstance(origin, str):
            continue
        if origin not in ids:
            yield (["routing", "fallbacks", k, "from"], f"fallback from unknown source {quoted(origin)} (declared: {known})", None)
        for j, target in enumerate(_items(_mapping(fallback).get("to"))):
            if not isinstance(target, str):
                continue
            if target not in ids:
                yield (["routing", "fallbacks", k, "to", j], f"fallback of {quoted(origin)} goes to unknown source {quoted(target)} (declared: {known})", origin)
            elif target == origin:
                yield (["routing", "fallbacks", k, "to", j], f"source {quoted(origin)} is listed as its own fallback", origin)
    yield from _escalation_problems(_items(routing.get("escalations")), declared, ids, known)


def _store_problems(data: dict[str, Any], declared: set[str]) -> Iterator[Problem]:
    """Stores and redaction controls: ids that resolve, classes that data.classes declares."""
    stores: dict[str, int] = {}
    for index, store in enumerate(_items(data.get("stores"))):
        store_id = _mapping(store).get("id")
        if not isinstance(store_id, str):
            continue
        if store_id in stores:
            yield (["stores", index, "id"], f"store id {quoted(store_id)} is already used by stores[{stores[store_id]}]; ids must be unique", None)
        else:
            stores[store_id] = index
        for k, data_class in enumerate(_items(_mapping(store).get("data_classes"))):
            if isinstance(data_class, str) and data_class not in declared:
                yield (["stores", index, "data_classes", k], f"store {quoted(store_id)} holds data class {quoted(data_class)}, which data.classes does not declare", None)
    known = ", ".join(sorted(stores)) or "none"
    for index, source in enumerate(_items(data.get("sources"))):
        source = _mapping(source)
        source_id = source.get("id") if isinstance(source.get("id"), str) else None
        for k, store_id in enumerate(_items(source.get("stores"))):
            if isinstance(store_id, str) and store_id not in stores:
                yield (["sources", index, "stores", k], f"source {quoted(source_id)} names unknown store {quoted(store_id)} (declared: {known})", source_id)
        redaction = _mapping(source.get("redaction"))
        removes = [c for c in _items(redaction.get("removes")) if isinstance(c, str)]
        for k, data_class in enumerate(_items(redaction.get("removes"))):
            if isinstance(data_class, str) and data_class not in declared:
                yield (["sources", index, "redaction", "removes", k], f"the redaction of source {quoted(source_id)} removes data class {quoted(data_class)}, which data.classes does not declare", source_id)
        leaves = redaction.get("leaves")
        if isinstance(leaves, str) and leaves not in declared:
            yield (["sources", index, "redaction", "leaves"], f"the redaction of source {quoted(source_id)} leaves data class {quoted(leaves)}, which data.classes does not declare; add it there", source_id)
        elif isinstance(leaves, str) and leaves in removes:
            yield (["sources", index, "redaction", "leaves"], f"the redaction of source {quoted(source_id)} leaves {quoted(leaves)}, a class it removes", source_id)


def _escalation_problems(escalations: list[Any], declared: set[str], ids: dict[str, int], known: str) -> Iterator[Problem]:
    for k, escalation in enumerate(escalations):
        escalation = _mapping(escalation)
        origin, target = escalation.get("from"), escalation.get("to")
        if not isinstance(origin, str) or not isinstance(target, str):
            continue
        if origin not in ids:
            yield (["routing", "escalations", k, "from"], f"escalation from unknown source {quoted(origin)} (declared: {known})", None)
        if target not in ids:
            yield (["routing", "escalations", k, "to"], f"escalation of {quoted(origin)} goes to unknown source {quoted(target)} (declared: {known})", origin)
        elif target == origin:
            yield (["routing", "escalations", k, "to"], f"source {quoted(origin)} escalates to itself", origin)
        if "requests_per_hour" in escalation and "share_percent" in escalation:
            yield (["routing", "escalations", k, "share_percent"], f"the escalation from {quoted(origin)} gives both requests_per_hour and share_percent; give one", origin)
        for j, data_class in enumerate(_items(escalation.get("data_classes"))):
            if isinstance(data_class, str) and data_class not in declared:
                yield (
                    ["routing", "escalations", k, "data_classes", j],
                    f"the escalation from {quoted(origin)} carries data class {quoted(data_class)}, which data.classes does not declare",
                    origin,
                )


def crossref_findings(document: Document, file: str) -> list[Finding]:
    return [
        Finding.at(
            document.positions.locate(path)[0],
            path,
            rule_id=RULE_XREF,
            severity="error",
            message=message,
            file=file,
            source_id=source_id,
            title="Broken cross-reference",
        )
        for path, message, source_id in _problems(document.data)
    ]
