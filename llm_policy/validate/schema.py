"""JSON Schema validation (LP001) with messages a person understands and exact positions.

jsonschema's own messages name schema keywords; ours name the manifest field the user typed
(`sources[1].dpa.expires`), what was expected and what was found, and point at the offending
node: the unknown key itself, the bad value, or for a missing property the mapping that lacks it.

Most manifests are valid, and importing jsonschema costs more than checking one. So a generated
validator (`_fast_validator`, plain Python from the same schema) answers "valid?" first, and only
an invalid manifest pays for jsonschema and its error reporting.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Iterable, Iterator

from llm_policy.findings import RULE_SCHEMA, Finding
from llm_policy.load import Document, Span, to_pointer
from llm_policy.util.resources import schema_path
from llm_policy.util.safe_text import excerpt, quoted, value_repr

_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean (true or false)",
    "array": "a list",
    "object": "a mapping",
    "null": "null",
}


@lru_cache(maxsize=None)
def manifest_schema() -> dict[str, Any]:
    with open(schema_path("llm-sourcing.schema.json"), encoding="utf-8") as handle:
        return json.load(handle)  # type: ignore[no-any-return]


@lru_cache(maxsize=None)
def _validator() -> Any:
    from llm_policy.validate.ecma import validator_for

    return validator_for(manifest_schema())  # ECMA-262 patterns, like the generated gate


MESSAGE_LIMIT = 120  # characters of a jsonschema message, which quotes the offending value


def display_path(path: Iterable[Any]) -> str:
    """["sources", 1, "dpa"] -> "sources[1].dpa" (how people write it in reviews)."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return f"number {excerpt(str(value))}"
    if isinstance(value, str):
        return f"string {value_repr(value)}"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _suggest(word: str, choices: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _most_relevant(error: Any) -> Any:
    """For anyOf/oneOf failures jsonschema reports one umbrella error; show the deepest cause."""
    if error.context:
        from jsonschema.exceptions import best_match

        return _most_relevant(best_match(error.context))
    return error


def _messages(error: Any) -> list[tuple[list[Any], str]]:
    """(path to locate, message) pairs for one jsonschema error."""
    path = list(error.absolute_path)
    where = display_path(path)
    keyword, value, instance = error.validator, error.validator_value, error.instance
    if keyword == "required":
        missing = [name for name in value if isinstance(instance, dict) and name not in instance]
        return [(path, f"`{where}` is missing required key '{name}'") for name in missing] or [(path, excerpt(error.message, MESSAGE_LIMIT))]
    if keyword == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        extras = [key for key in instance if key not in allowed]
        return [
            (path + [key], f"`{where}` has unknown key {quoted(key)}{_suggest(key, allowed)}") for key in extras
        ]
    if keyword == "type":
        expected = value if isinstance(value, list) else [value]
        names = " or ".join(_TYPE_NAMES.get(t, t) for t in expected)
        return [(path, f"`{where}` must be {names}, got {_describe(instance)}")]
    if keyword == "enum":
        options = ", ".join(str(v) for v in value)
        hint = _suggest(str(instance), [str(v) for v in value]) if isinstance(instance, str) else ""
        return [(path, f"`{where}` must be one of {options}; got {_describe(instance)}{hint}")]
    if keyword == "const":
        return [(path, f"`{where}` must be {value!r}, got {_describe(instance)}")]
    if keyword == "format" and value == "date":
        return [(path, f"`{where}` is not a date: {value_repr(str(instance))} (expected YYYY-MM-DD)")]
    if keyword == "pattern":
        non_ascii = _non_ascii(value, instance)
        if non_ascii:
            return [(path, f"`{where}` {non_ascii}")]
        description = error.schema.get("description", "")
        hint = f" ({description})" if description else ""
        if isinstance(instance, str) and instance.strip() != instance and _matches(value, instance.strip()):
            hint = " (remove the whitespace or line break around it)" + hint
        shown = value_repr(instance) if isinstance(instance, str) else _describe(instance)
        return [(path, f"`{where}` has an invalid value {shown}{hint}")]
    if keyword == "minItems":
        return [(path, f"`{where}` must not be empty" if value == 1 else f"`{where}` needs at least {value} items")]
    if keyword == "minLength":
        return [(path, f"`{where}` must not be empty")]
    if keyword == "maxLength":
        return [(path, f"`{where}` is longer than {value} characters")]
    if keyword == "uniqueItems":
        return [(path, f"`{where}` lists the same item more than once")]
    if keyword in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        return [(path, f"`{where}` is out of range: {excerpt(error.message, MESSAGE_LIMIT)}")]
    return [(path, f"`{where}`: {excerpt(error.message, MESSAGE_LIMIT)}")]  # jsonschema's text quotes the value


def _matches(pattern: str, text: str) -> bool:
    from llm_policy.validate.ecma import search

    return search(pattern, text)


def _non_ascii(pattern: str, instance: Any) -> str:
    """Why an ASCII-only pattern failed, when the value holds a non-ASCII (often look-alike) character.

    'оpenai' with a Cyrillic 'о' reads exactly like 'openai'; naming the character is the only way
    a reviewer sees the problem. Only for patterns that can match ASCII alone (ids, regions, ...).
    """
    from llm_policy.util.chars import describe_char, first_non_ascii
    from llm_policy.validate.ecma import translate

    if not isinstance(instance, str) or not translate(pattern).ascii_only:
        return ""
    found = first_non_ascii(instance)
    if found is None:
        return ""
    position, char = found
    return f"contains the non-ASCII character {describe_char(char)} at position {position}; identifiers are ASCII"


def fast_is_valid(data: Any) -> bool:
    """The generated gate's verdict; anything unexpected from it counts as "not known valid"."""
    from llm_policy.validate._fast_validator import JsonSchemaValueException, validate

    try:
        validate(data)
    except JsonSchemaValueException:
        return False
    except Exception:  # noqa: BLE001 - a gate bug must never hide a violation: jsonschema decides
        return False
    return True


def schema_problems(validator: Any, document: Document) -> Iterator[tuple[list[Any], str, Span]]:
    """(path, readable message, span) for each distinct violation of `validator`'s schema.

    Shared by manifests (LP001 findings) and the waivers file (faults), so both read the same.
    """
    seen: set[tuple[str, str]] = set()
    for raw in validator.iter_errors(document.data):
        error = _most_relevant(raw)
        for path, message in _messages(error):
            span, _ = document.positions.locate(path)
            if error.validator == "additionalProperties":
                span = document.positions.keys.get(tuple(path), span)  # the unknown key itself
            key = (to_pointer(path), message)
            if key not in seen:
                seen.add(key)
                yield path, message, span


def schema_findings(document: Document, file: str) -> list[Finding]:
    """One LP001 finding per schema violation, each located in the file."""
    if fast_is_valid(document.data):
        return []  # the gate agrees with jsonschema on validity (tests/test_fast_validator.py)
    return [
        Finding.at(
            span,
            path,
            rule_id=RULE_SCHEMA,
            severity="error",
            message=message,
            file=file,
            source_id=_source_id(document.data, path),
            title="Manifest does not match the schema",
        )
        for path, message, span in schema_problems(_validator(), document)
    ]


def _source_id(data: dict[str, Any], path: list[Any]) -> Any:
    if len(path) >= 2 and path[0] == "sources" and isinstance(path[1], int):
        sources = data.get("sources")
        if isinstance(sources, list) and path[1] < len(sources) and isinstance(sources[path[1]], dict):
            source_id = sources[path[1]].get("id")
            return source_id if isinstance(source_id, str) else None
    return None


def is_valid(data: Any) -> bool:
    return fast_is_valid(data) or bool(_validator().is_valid(data))

