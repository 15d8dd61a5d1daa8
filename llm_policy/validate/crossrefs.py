"""Cross-reference checks (LP002) that JSON Schema cannot express.

Run only on schema-valid manifests, so the shape is guaranteed here: every reference by id
(routes, fallbacks) must name a declared source, ids must be unique, and a source's
`data_classes` must be a subset of the project's `data.classes`.
"""

from __future__ import annotations

from typing import Any, Iterator

from llm_policy.findings import RULE_XREF, Finding
from llm_policy.load import Document
from llm_policy.safe_text import quoted

Problem = tuple[list[Any], str, Any]  # (path, message, source id)


def _problems(data: dict[str, Any]) -> Iterator[Problem]:
    sources = data["sources"]
    ids: dict[str, int] = {}
    for index, source in enumerate(sources):
        source_id = source["id"]
        if source_id in ids:
            yield (["sources", index, "id"], f"source id {quoted(source_id)} is already used by sources[{ids[source_id]}]; ids must be unique", source_id)
        else:
            ids[source_id] = index
        declared = set(data["data"]["classes"])
        for k, data_class in enumerate(source.get("data_classes") or []):
            if data_class not in declared:
                yield (
                    ["sources", index, "data_classes", k],
                    f"source {quoted(source_id)} receives data class {quoted(data_class)}, which data.classes does not declare; add it there or remove it here",
                    source_id,
                )
    known = ", ".join(sorted(ids)) or "none"
    routing = data.get("routing") or {}
    for k, route in enumerate(routing.get("routes", [])):
        if route["to"] not in ids:
            yield (["routing", "routes", k, "to"], f"route {quoted(route['name'])} goes to unknown source {quoted(route['to'])} (declared: {known})", None)
    for k, fallback in enumerate(routing.get("fallbacks", [])):
        origin = fallback["from"]
        if origin not in ids:
            yield (["routing", "fallbacks", k, "from"], f"fallback from unknown source {quoted(origin)} (declared: {known})", None)
        for j, target in enumerate(fallback["to"]):
            if target not in ids:
                yield (["routing", "fallbacks", k, "to", j], f"fallback of {quoted(origin)} goes to unknown source {quoted(target)} (declared: {known})", origin)
            elif target == origin:
                yield (["routing", "fallbacks", k, "to", j], f"source {quoted(origin)} is listed as its own fallback", origin)


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
