"""The published JSON Schemas and docs/manifest.md, derived from their Python sources of truth.

Written by `python -m llm_policy.schema_gen` (see `llm_policy.gen.main`).

The manifest schema comes from the pydantic models in `llm_policy.model`; the report schema from
the dataclasses in `llm_policy.findings`. Both are post-processed into the plain, readable form an
IDE or another language expects: no `anyOf [X, null]` for optional fields (an absent key is how a
manifest says "not set"), no auto-generated titles.
"""

from __future__ import annotations

import json
from typing import Any

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE_URL = "https://raw.githubusercontent.com/llm-policy/llm-policy/main/schemas/"


def _simplify(node: Any, keep_title: bool = False, strip_null: bool = True) -> Any:
    """Drop auto-generated titles and, for manifests, `anyOf [X, null]` (absent means unset).

    Reports do write `null` for unset optional fields, so their schema keeps the null branch.
    """
    if isinstance(node, list):
        return [_simplify(item, strip_null=strip_null) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    any_of = node.get("anyOf")
    if strip_null and isinstance(any_of, list) and len(any_of) == 2 and {"type": "null"} in any_of:
        inner = next(item for item in any_of if item != {"type": "null"})
        merged = {**{k: v for k, v in node.items() if k != "anyOf"}, **inner}
        if merged.get("default", "") is None:
            del merged["default"]
        node = merged
    for key, value in node.items():
        if key == "title" and not keep_title and isinstance(value, str):
            continue
        if key in ("properties", "$defs", "patternProperties"):
            out[key] = {name: _simplify(sub, strip_null=strip_null) for name, sub in value.items()}
        else:
            out[key] = _simplify(value, strip_null=strip_null)
    return out


def manifest_schema() -> dict[str, Any]:
    from llm_policy.model import Manifest

    raw = Manifest.model_json_schema(by_alias=True, mode="validation")
    schema = _simplify(raw, keep_title=True)
    return {"$schema": DRAFT, **schema}


def report_schema() -> dict[str, Any]:
    from pydantic import TypeAdapter

    from llm_policy import findings

    defs: dict[str, Any] = {}

    def ref(cls: type) -> dict[str, str]:
        schema = TypeAdapter(cls).json_schema(ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        defs[cls.__name__] = schema
        return {"$ref": f"#/$defs/{cls.__name__}"}

    finding, fault = ref(findings.Finding), ref(findings.Fault)
    file_result = {
        "type": "object",
        "description": "Everything found in one manifest.",
        "required": ["path", "status", "findings", "faults"],
        "additionalProperties": False,
        "properties": {
            "path": {"type": "string", "description": "Manifest path relative to the root, forward slashes."},
            "status": {"type": "string", "enum": ["passed", "failed", "error"]},
            "findings": {"type": "array", "items": finding},
            "faults": {"type": "array", "items": fault},
        },
    }
    schema = {
        "$schema": DRAFT,
        "$id": BASE_URL + "report.schema.json",
        "title": "llm-policy report",
        "description": "The versioned result of one `llm-policy check` run; every output format is rendered from it.",
        "type": "object",
        "required": ["report_version", "tool", "evaluation_date", "summary", "rules", "faults", "files"],
        "additionalProperties": False,
        "properties": {
            "report_version": {"type": "string", "const": findings.REPORT_VERSION},
            "frameworks": {
                "type": "array",
                "items": {"type": "string"},
                "description": "The frameworks `--framework` selected for the run (absent without the flag); the compliance formats show them.",
            },
            "tool": {
                "type": "object",
                "required": ["name", "version", "information_uri"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "const": "llm-policy"},
                    "version": {"type": "string"},
                    "information_uri": {"type": "string"},
                },
            },
            "evaluation_date": {"type": "string", "format": "date"},
            "summary": ref(findings.Summary),
            "rules": {"type": "array", "items": ref(findings.RuleInfo)},
            "faults": {"type": "array", "items": fault},
            "files": {"type": "array", "items": file_result},
        },
    }
    _baseline_fields(schema, defs)
    for definition in defs.values():
        definition.setdefault("additionalProperties", False)
    schema["$defs"] = dict(sorted(defs.items()))
    return _simplify(schema, keep_title=True, strip_null=False)


def _baseline_fields(schema: dict[str, Any], defs: dict[str, Any]) -> None:
    """What `check --baseline` adds to a report (llm_policy.review.baseline); absent without a baseline."""
    defs["Finding"]["properties"]["baseline_state"] = {
        "type": "string", "enum": ["new", "unchanged", "absent"],
        "description": "With --baseline: new (fails the run as usual), unchanged (in the baseline: never fails), "
                       "absent (only under baseline.absent: in the baseline, gone now).",
    }
    defs["Summary"]["properties"]["baseline"] = {
        "type": "integer", "description": "With --baseline: unwaived findings also in the baseline (not counted in errors/warnings/infos)."}
    schema["properties"]["baseline"] = {
        "type": "object",
        "description": "With --baseline: where the baseline came from and its findings this run no longer has.",
        "required": ["source", "absent"],
        "additionalProperties": False,
        "properties": {"source": {"type": "string"}, "absent": {"type": "array", "items": {"$ref": "#/$defs/Finding"}}},
    }


def diff_schema() -> dict[str, Any]:
    """schemas/diff.schema.json from the dataclasses of llm_policy.review.model."""
    from pydantic import TypeAdapter

    from llm_policy.review import model

    raw = TypeAdapter(model.DiffReport).json_schema(ref_template="#/$defs/{model}")
    defs = raw.pop("$defs", {})
    for definition in [raw, *defs.values()]:
        definition.setdefault("additionalProperties", False)
    defs["FindingsDelta"]["required"] = ["new", "fixed", "unchanged"]
    defs["Change"]["required"] = sorted(defs["Change"]["properties"])  # the diff always writes every field
    raw["properties"]["diff_version"] = {"type": "string", "const": model.DIFF_VERSION}
    schema = {
        "$schema": DRAFT,
        "$id": BASE_URL + "diff.schema.json",
        "title": "llm-policy diff",
        "description": "The versioned result of `llm-policy diff BASE [HEAD]`: sourcing changes and the findings delta.",
        **{k: v for k, v in raw.items() if k not in ("title", "description")},
        "$defs": dict(sorted(defs.items())),
    }
    return _simplify(schema, keep_title=True, strip_null=False)


def _type_of(spec: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in spec:
        target = defs[spec["$ref"].split("/")[-1]]
        if "enum" in target:
            return " \\| ".join(f"`{v}`" for v in target["enum"])
        return "mapping"
    if "const" in spec:
        return f"`{spec['const']}`"
    if spec.get("type") == "array":
        return f"list of {_type_of(spec.get('items', {}), defs)}"
    if spec.get("format") == "date":
        return "date (YYYY-MM-DD)"
    return str(spec.get("type", "any"))


def manifest_reference() -> str:
    """docs/manifest.md: every field of the manifest, from the schema's own descriptions."""
    schema = manifest_schema()
    defs = schema["$defs"]
    lines = [
        "# Manifest reference: `llm-sourcing.yaml`",
        "",
        "<!-- Generated by `python -m llm_policy.schema_gen` from llm_policy/model.py; do not edit. -->",
        "",
        schema.get("description", ""),
        "",
        "Unknown keys are errors. Dates are ISO dates (`2025-01-10`). Cross-references (`routes[].to`,",
        "`fallbacks[].from`/`to`, `sources[].data_classes` within `data.classes`) are checked as LP002.",
        "Patterns have their JSON Schema (ECMA-262) meaning: a value never matches with a trailing newline.",
        "Identifiers (`id`, `provider`, `license`, `model`, `region`, `jurisdictions`, route and fallback ids)",
        "are ASCII: a look-alike letter such as Cyrillic `о` is an LP001 that names the character.",
        "",
    ]
    sections = [("(top level)", schema), *[(f"`{name}`", definition) for name, definition in defs.items() if "properties" in definition]]
    for title, definition in sections:
        lines += [f"## {title}", ""]
        if definition is not schema and definition.get("description"):
            lines += [definition["description"], ""]
        lines += ["| key | type | required | default | description |", "|---|---|---|---|---|"]
        required = set(definition.get("required", []))
        for key, spec in definition["properties"].items():
            target = defs.get(spec.get("$ref", "").split("/")[-1], {})
            description = (spec.get("description") or target.get("description") or "").replace("|", "\\|")
            default = f"`{json.dumps(spec['default'])}`" if "default" in spec else ""
            lines.append(f"| `{key}` | {_type_of(spec, defs)} | {'yes' if key in required else ''} | {default} | {description} |")
        for condition in definition.get("allOf", []):
            sector = condition["if"]["properties"]["sector"]
            values = sector.get("enum") or [sector.get("const")]
            lines.append("")
            lines.append(f"When `sector` is {' or '.join(f'`{v}`' for v in values)}: `{'`, `'.join(condition['then']['required'])}` is required.")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
