"""Cross-reference checks (LP002) that JSON Schema cannot express.

Run only on schema-valid manifests, so the shape is guaranteed here: every reference by id
(routes, fallbacks) must name a declared source, ids must be unique, and a source's
`data_classes` must be a subset of the project's `data.classes`. Escalations name declared sources
other than themselves and carry only declared classes; a route or
escalation gives its volume once (requests_per_hour or share_percent), and route shares add up to
at most 100 %.
"""

from __future__ import annotations

from typing import Any, Iterator

from llm_policy.findings import RULE_XREF, Finding
from llm_policy.load import Document

Problem = tuple[list[Any], str, Any]  # (path, message, source id)


def _problems(data: dict[str, Any]) -> Iterator[Problem]:
    sources = data["sources"]
    ids: dict[str, int] = {}
    for index, source in enumerate(sources):
        source_id = source["id"]
        if source_id in ids:
            yield (["sources", index, "id"], f"source id '{source_id}' is already used by sources[{ids[source_id]}]; ids must be unique", source_id)
        else:
            ids[source_id] = index
        declared = set(data["data"]["classes"])
        for k, data_class in enumerate(source.get("data_classes") or []):
            if data_class not in declared:
                yield (
                    ["sources", index, "data_classes", k],
                    f"source '{source_id}' receives data class '{data_class}', which data.classes does not declare; add it there or remove it here",
                    source_id,
                )
    known = ", ".join(sorted(ids)) or "none"
    routing = data.get("routing") or {}
    shares = 0
    for k, route in enumerate(routing.get("routes", [])):
        if route["to"] not in ids:
            yield (["routing", "routes", k, "to"], f"route '{route['name']}' goes to unknown source '{route['to']}' (declared: {known})", None)
        if "requests_per_hour" in route and "share_percent" in route:
            yield (["routing", "routes", k, "share_percent"], f"route '{route['name']}' gives both requests_per_hour and share_percent; give one", None)
        shares += route.get("share_percent", 0)
        if shares > 100 and shares - route.get("share_percent", 0) <= 100:
            yield (["routing", "routes", k, "share_percent"], f"the routes' share_percent add up to more than 100 (at route '{route['name']}')", None)
    for k, fallback in enumerate(routing.get("fallbacks", [])):
        origin = fallback["from"]
        if origin not in ids:
            yield (["routing", "fallbacks", k, "from"], f"fallback from unknown source '{origin}' (declared: {known})", None)
        for j, target in enumerate(fallback["to"]):
            if target not in ids:
                yield (["routing", "fallbacks", k, "to", j], f"fallback of '{origin}' goes to unknown source '{target}' (declared: {known})", origin)
            elif target == origin:
                yield (["routing", "fallbacks", k, "to", j], f"source '{origin}' is listed as its own fallback", origin)
    yield from _escalation_problems(data, routing.get("escalations", []), ids, known)


def _escalation_problems(data: dict[str, Any], escalations: list[dict[str, Any]], ids: dict[str, int], known: str) -> Iterator[Problem]:
    for k, escalation in enumerate(escalations):
        origin, target = escalation["from"], escalation["to"]
        if origin not in ids:
            yield (["routing", "escalations", k, "from"], f"escalation from unknown source '{origin}' (declared: {known})", None)
        if target not in ids:
            yield (["routing", "escalations", k, "to"], f"escalation of '{origin}' goes to unknown source '{target}' (declared: {known})", origin)
        elif target == origin:
            yield (["routing", "escalations", k, "to"], f"source '{origin}' escalates to itself", origin)
        if "requests_per_hour" in escalation and "share_percent" in escalation:
            yield (["routing", "escalations", k, "share_percent"], f"the escalation from '{origin}' gives both requests_per_hour and share_percent; give one", origin)
        declared = set(data["data"]["classes"])
        for j, data_class in enumerate(escalation.get("data_classes") or []):
            if data_class not in declared:
                yield (
                    ["routing", "escalations", k, "data_classes", j],
                    f"the escalation from '{origin}' carries data class '{data_class}', which data.classes does not declare",
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
