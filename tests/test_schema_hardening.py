"""Schema holes that let a manifest that must fail pass the gate (issue 11, items 2, 3 and 13).

- Patterns have ECMA-262 meaning in both validation paths: `"RU\\n"` is not `^[A-Z]{2}$`.
- Every array item and every leaf of every shipped schema has an explicit `type`: `[[RU]]`, `[7]`
  and `to: [{a: b}]` are LP001, and the cross-reference stage never crashes on any shape.
- Identifiers (ids, provider, license, model, region, jurisdictions) are ASCII; a look-alike
  character is an LP001 that names it.
Each case asserts what a user sees: rule id, line:col and the message.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINIMAL, REPO, write
from llm_policy.load import parse_document
from llm_policy.validate import validate_document
from llm_policy.validate.crossrefs import crossref_findings
from llm_policy.validate.schema import _validator, fast_is_valid

OWNER = "  owner: o@example.com\n"
CLOUD = MINIMAL.replace("    sector: open_source\n", "    sector: cloud_api\n    provider: openai\n")


def _findings(text: str) -> list[tuple[str, int, int, str]]:
    document = parse_document(text, Path("llm-sourcing.yaml"))
    return [(f.rule_id, f.line, f.column, f.message) for f in validate_document(document, "llm-sourcing.yaml")]


def _both_reject(text: str) -> None:
    """The generated gate and jsonschema must both call it invalid (either alone would be a hole)."""
    data = parse_document(text, Path("m.yaml")).data
    assert fast_is_valid(data) is False, "the fast validator accepts it"
    assert _validator().is_valid(data) is False, "jsonschema accepts it"


# --- #11.2 patterns mean what ECMA-262 says ----------------------------------------------------

TRAILING_NEWLINE = [
    (MINIMAL.replace(OWNER, OWNER + '  jurisdictions: ["RU\\n"]\n'), 5, 19, "`project.jurisdictions[0]` has an invalid value 'RU\\n'"),
    (MINIMAL.replace("region: DE", 'region: "EU\\n"'), 13, 13, "`sources[0].region` has an invalid value 'EU\\n'"),
    (MINIMAL.replace("region: DE", "region: |\n      EU"), 13, 13, "`sources[0].region` has an invalid value 'EU\\n'"),
    (MINIMAL.replace("id: s", 'id: "s\\n"'), 8, 9, "`sources[0].id` has an invalid value 's\\n'"),
    (MINIMAL.replace("license: Apache-2.0", 'license: "Apache-2.0\\n"'), 11, 14, "`sources[0].license` has an invalid value 'Apache-2.0\\n'"),
    (MINIMAL.replace("model: mistralai/Mistral-7B-Instruct-v0.2", 'model: "gpt-4o\\n"'), 10, 12, "`sources[0].model` has an invalid value 'gpt-4o\\n'"),
    (MINIMAL + 'routing:\n  strategy: single\n  routes:\n    - {name: all, to: "s\\n"}\n', 17, 23, "`routing.routes[0].to` has an invalid value 's\\n'"),
    (MINIMAL + 'routing:\n  strategy: fallback\n  fallbacks:\n    - {from: "s\\n", to: [s]}\n', 17, 14, "`routing.fallbacks[0].from` has an invalid value 's\\n'"),
    (MINIMAL + 'routing:\n  strategy: fallback\n  fallbacks:\n    - {from: s, to: ["s\\n"]}\n', 17, 22, "`routing.fallbacks[0].to[0]` has an invalid value 's\\n'"),
]


@pytest.mark.parametrize("text, line, column, message", TRAILING_NEWLINE, ids=lambda v: str(v)[:12] if isinstance(v, str) else None)
def test_a_trailing_newline_never_matches_a_pattern(text: str, line: int, column: int, message: str) -> None:
    findings = _findings(text)
    assert [(rule, ln, col) for rule, ln, col, _ in findings] == [("LP001", line, column)], findings
    assert findings[0][3].startswith(message), findings[0][3]
    assert "remove the whitespace or line break" in findings[0][3]
    _both_reject(text)


def test_residency_cannot_be_skipped_with_a_trailing_newline(cli, tmp_path: Path) -> None:
    """The attack from the issue: personal data of Russian citizens to a US API, with "RU\\n"."""
    manifest = CLOUD.replace(OWNER, OWNER + '  jurisdictions: ["RU\\n"]\n').replace("classes: [public]", "classes: [personal]").replace("region: DE", "region: US")
    write(tmp_path / "llm-sourcing.yaml", manifest)
    result = cli("check", str(tmp_path / "llm-sourcing.yaml"), "--format", "json")
    assert result.code == 1
    assert ("LP001", 5, 19) in [(f["rule_id"], f["line"], f["column"]) for f in result.findings()]


@pytest.mark.parametrize("text, message", [
    (CLOUD.replace("provider: openai", 'provider: "openai "'), "`sources[0].provider` has an invalid value 'openai ' (remove the whitespace or line break around it)"),
    (CLOUD.replace("provider: openai", 'provider: "\\topenai"'), "`sources[0].provider` has an invalid value '\\topenai' (remove the whitespace or line break around it)"),
    (MINIMAL.replace("license: Apache-2.0", 'license: ""'), "`sources[0].license` has an invalid value ''"),
])
def test_padded_or_empty_identifiers_are_lp001(text: str, message: str) -> None:
    """`"openai "` is not in the catalog either: padding hides a known name as well as a look-alike does."""
    findings = _findings(text)
    assert [(rule, msg.startswith(message)) for rule, _, _, msg in findings] == [("LP001", True)], findings
    _both_reject(text)


def test_identifiers_may_contain_inner_spaces() -> None:
    assert _findings(CLOUD.replace("provider: openai", "provider: Yandex Cloud")) == []


@pytest.mark.parametrize("value", ["EU", "RU", "DE"])
def test_clean_values_still_pass(value: str) -> None:
    text = MINIMAL.replace(OWNER, OWNER + f"  jurisdictions: [{value}]\n").replace("region: DE", f"region: {value}")
    assert _findings(text) == []


@pytest.mark.parametrize("rule, problem", [("LP103\n", "rule"), ("LP103", None)])
def test_waiver_rule_ids_are_ecma_patterns_too(tmp_path: Path, rule: str, problem: Any) -> None:
    from llm_policy.waivers import WaiverFileError, load_waivers

    entry = {"rule": rule, "manifest": "a/llm-sourcing.yaml", "justification": "ok", "approved_by": "JIRA-1", "expires": "2030-01-01"}
    path = write(tmp_path / "llm-policy-waivers.yaml", json.dumps({"waivers": [entry]}))
    if problem is None:
        assert load_waivers(path, "w.yaml", tmp_path).entries[0].rule == "LP103"
        return
    with pytest.raises(WaiverFileError) as info:
        load_waivers(path, "w.yaml", tmp_path)
    assert [f.message for f in info.value.faults] == ["`waivers[0].rule` has an invalid value 'LP103\\n' (remove the whitespace or line break around it) (the rule id as reports show it, e.g. LP103 or main.deny)"]


@pytest.mark.parametrize("justification", ["\x1c", "\u0085", " \u00a0\ufeff"])
def test_waiver_justification_needs_a_visible_character(tmp_path: Path, justification: str) -> None:
    from llm_policy.waivers import WaiverFileError, load_waivers

    entry = {"rule": "LP103", "manifest": "a/llm-sourcing.yaml", "justification": justification, "approved_by": "x", "expires": "2030-01-01"}
    path = write(tmp_path / "llm-policy-waivers.yaml", json.dumps({"waivers": [entry]}))
    with pytest.raises(WaiverFileError):
        load_waivers(path, "w.yaml", tmp_path)


# --- #11.3 every item and leaf is typed ----------------------------------------------------------

UNTYPED_ITEMS = [
    (MINIMAL.replace(OWNER, OWNER + "  jurisdictions: [[RU]]\n"), 5, 19, "`project.jurisdictions[0]` must be a string, got a list"),
    (MINIMAL.replace(OWNER, OWNER + "  jurisdictions: [7]\n"), 5, 19, "`project.jurisdictions[0]` must be a string, got number 7"),
    (MINIMAL.replace(OWNER, OWNER + "  jurisdictions: [true]\n"), 5, 19, "`project.jurisdictions[0]` must be a string, got boolean true"),
    (MINIMAL + "routing:\n  strategy: fallback\n  fallbacks:\n    - from: s\n      to: [{a: b}]\n", 18, 12, "`routing.fallbacks[0].to[0]` must be a string, got a mapping"),
    (MINIMAL + "routing:\n  strategy: fallback\n  fallbacks:\n    - from: s\n      to: [[s]]\n", 18, 12, "`routing.fallbacks[0].to[0]` must be a string, got a list"),
    (MINIMAL + "routing:\n  strategy: fallback\n  fallbacks:\n    - from: s\n      to: [null]\n", 18, 12, "`routing.fallbacks[0].to[0]` must be a string, got null"),
]


@pytest.mark.parametrize("text, line, column, message", UNTYPED_ITEMS)
def test_untyped_items_are_lp001_not_a_crash(text: str, line: int, column: int, message: str) -> None:
    assert _findings(text) == [("LP001", line, column, message)]
    _both_reject(text)


def test_a_batch_with_an_unhashable_fallback_target_checks_every_file(cli, tmp_path: Path) -> None:
    write(tmp_path / "bad" / "llm-sourcing.yaml", MINIMAL + "routing:\n  strategy: fallback\n  fallbacks:\n    - from: s\n      to: [{a: b}]\n")
    write(tmp_path / "good" / "llm-sourcing.yaml", MINIMAL)
    result = cli("check", "bad", "good", "--format", "json", "--jobs", "2", cwd=tmp_path)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    statuses = {r["path"]: r["status"] for r in result.report["files"]}
    assert statuses == {"bad/llm-sourcing.yaml": "failed", "good/llm-sourcing.yaml": "passed"}


def _untyped(schema: Any, where: str, defs: dict[str, Any]) -> list[str]:
    """Places in `schema` where a value could be anything: no `type`, no `$ref`, no typed branches."""
    problems: list[str] = []
    if not isinstance(schema, dict):
        return problems
    branches = schema.get("anyOf") or schema.get("oneOf")
    if "type" not in schema and "$ref" not in schema:
        if branches:
            for i, branch in enumerate(branches):
                problems += _untyped(branch, f"{where}/anyOf/{i}", defs) if isinstance(branch, dict) and ("type" in branch or "$ref" in branch or "anyOf" in branch) else [f"{where}/anyOf/{i}"]
        else:
            problems.append(where or "/")
    for key in ("properties", "$defs"):
        for name, sub in (schema.get(key) or {}).items():
            problems += _untyped(sub, f"{where}/{key}/{name}", defs)
    if "items" in schema:
        problems += _untyped(schema["items"], f"{where}/items", defs) if isinstance(schema["items"], dict) else [f"{where}/items"]
    for i, sub in enumerate(schema.get("prefixItems") or []):
        problems += _untyped(sub, f"{where}/prefixItems/{i}", defs)
    if isinstance(schema.get("additionalProperties"), dict):
        problems += _untyped(schema["additionalProperties"], f"{where}/additionalProperties", defs)
    if branches and ("type" in schema or "$ref" in schema):
        for i, branch in enumerate(branches):
            problems += [p for p in _untyped(branch, f"{where}/anyOf/{i}", defs) if p != f"{where}/anyOf/{i}"]
    return problems


SCHEMAS = sorted((REPO / "schemas").glob("*.json"))


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_leaf_and_item_of_every_shipped_schema_has_a_type(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert _untyped(schema, "", schema.get("$defs", {})) == []


def test_the_type_walker_finds_what_the_issue_reported() -> None:
    """The walker itself: the old manifest schema's untyped items and an `items: {}` are caught."""
    old = {"type": "object", "properties": {"jurisdictions": {"type": "array", "items": {"pattern": "^[A-Z]{2}$"}},
                                            "json_path": {"type": "array", "items": {}}, "status": {"enum": ["a"]}}}
    assert _untyped(old, "", {}) == ["/properties/jurisdictions/items", "/properties/json_path/items", "/properties/status"]


shapes = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 2) | st.sampled_from(["s", "a", "public", "personal", "s\n"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["sources", "id", "data", "classes", "data_classes", "routing", "routes", "fallbacks", "from", "to", "name"]),
        inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.dictionaries(st.sampled_from(["sources", "data", "routing"]), shapes, max_size=3))
def test_crossrefs_never_crash_on_any_shape(data: dict[str, Any]) -> None:
    """The cross-reference stage runs after the schema, but a shape it rejected must not crash it."""
    document = parse_document(json.dumps(data), Path("m.yaml"))
    for finding in crossref_findings(document, "m.yaml"):
        assert finding.rule_id == "LP002" and finding.line >= 1


# --- #11.13 identifiers are ASCII ----------------------------------------------------------------

CYRILLIC_O = "\u043e"
LOOK_ALIKES = [
    (CLOUD.replace("provider: openai", f"provider: {CYRILLIC_O}penai"), 10, 15, "sources[0].provider",
     "contains the non-ASCII character 'о' (U+043E CYRILLIC SMALL LETTER O) at position 1; identifiers are ASCII"),
    (MINIMAL.replace("region: DE", "region: \u0415U"), 14 - 1, 13, "sources[0].region",
     "contains the non-ASCII character 'Е' (U+0415 CYRILLIC CAPITAL LETTER IE) at position 1; identifiers are ASCII"),
    (MINIMAL.replace(OWNER, OWNER + "  jurisdictions: [R\u0423]\n"), 5, 19, "project.jurisdictions[0]",
     "contains the non-ASCII character 'У' (U+0423 CYRILLIC CAPITAL LETTER U) at position 2; identifiers are ASCII"),
    (MINIMAL.replace("id: s", "id: s\u0455"), 8, 9, "sources[0].id",
     "contains the non-ASCII character 'ѕ' (U+0455 CYRILLIC SMALL LETTER DZE) at position 2; identifiers are ASCII"),
    (MINIMAL.replace("license: Apache-2.0", "license: Apache\u20102.0"), 11, 14, "sources[0].license",
     "contains the non-ASCII character '‐' (U+2010 HYPHEN) at position 7; identifiers are ASCII"),
    (MINIMAL.replace("model: mistralai", "model: mistr\u0430lai"), 10, 12, "sources[0].model",
     "contains the non-ASCII character 'а' (U+0430 CYRILLIC SMALL LETTER A) at position 6; identifiers are ASCII"),
    (MINIMAL.replace("license: Apache-2.0", 'license: "Apache-2.0\\u200b"'), 11, 14, "sources[0].license",
     "contains the non-ASCII character U+200B ZERO WIDTH SPACE at position 11; identifiers are ASCII"),
]


@pytest.mark.parametrize("text, line, column, where, message", LOOK_ALIKES, ids=lambda v: v if isinstance(v, str) and v.startswith(("sources", "project")) else None)
def test_look_alike_identifiers_are_lp001_naming_the_character(text: str, line: int, column: int, where: str, message: str) -> None:
    assert _findings(text) == [("LP001", line, column, f"`{where}` {message}")]
    _both_reject(text)


def test_the_look_alike_provider_no_longer_downgrades_lp401(cli, tmp_path: Path) -> None:
    """The attack from the issue: `оpenai` made the catalog miss the provider, errors became warnings."""
    manifest = CLOUD.replace(OWNER, OWNER + "  jurisdictions: [RU]\n").replace("classes: [public]", "classes: [personal]")
    write(tmp_path / "llm-sourcing.yaml", manifest.replace("provider: openai", f"provider: {CYRILLIC_O}penai"))
    result = cli("check", str(tmp_path / "llm-sourcing.yaml"), "--format", "json")
    assert result.code == 1
    assert [(f["rule_id"], f["severity"]) for f in result.findings()] == [("LP001", "error")]


def test_free_text_stays_unicode() -> None:
    """Names, owners and notes are people's words: any script is fine there."""
    text = MINIMAL.replace("name: p", "name: Проект «Ассистент»").replace("owner: o@example.com", "owner: Иван Петров").replace(
        "    region: DE\n", "    region: DE\n    notes: модель для внутренних документов\n")
    assert _findings(text) == []
