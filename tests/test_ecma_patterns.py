"""`llm_policy.validate.ecma` gives schema patterns exactly their ECMA-262 meaning (issue 11, item 2).

The oracle is regress, a real ECMA-262 engine (the one check-jsonschema uses, `u` flag as JSON Schema
2020-12 asks). Every pattern of every shipped schema, plus each construct the translator accepts,
must match exactly the strings regress matches: hand-picked traps, every character of the Basic
Multilingual Plane's first 12,500 code points, and generated strings. Anything outside the audited
subset must be refused, never translated approximately.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from llm_policy.validate import ecma

regress = pytest.importorskip("regress")

SHIPPED = sorted({p for path in (REPO / "schemas").glob("*.json") for p in ecma.patterns_in(json.loads(path.read_text(encoding="utf-8")))})
CONSTRUCTS = [
    ".", "^.+$", "\\s", "\\S", "^\\S+$", "\\d", "^\\d+$", "\\w", "\\W", "\\D", "[^a]", "^a|b$", "^(?!x).+$", "(?=a)a",
    "[\\x00-\\x1f]", "\\u00e9", "^a{2,3}?$", "^a{2,}$", "[\\s\\d]", "[^\\s\\x00-\\x1f]", "^[\\x20-\\x7E]*$", "[.$^]", "\\.\\$",
    "^(?:ab)*$", "[a\\-z]", "[-a]", "[a-]", "^[a-z-0]+$", "^(a|b)+$", "[\\t-\\r]", "^x??y$", "\\t\\n\\r\\f\\v", "é", "^[а-я]+$", "^$", "a\\/b", "[\\]\\[]",
]
TRAPS = [
    "", "a", "RU", "RU\n", "RU\r", "RU\r\n", "\nRU", "EU\u2028", "\u2029", "a\x85", "\x1c", "\x1f", "\ufeff", "\u00a0", "\u200b",
    "\u0661", "\u00b2", "\U0001d7d8", "\U0001f600", "LP103\n", "a/../b", "../x", "C:/x", "/abs", "x/*.yaml", "/sources/0",
    "/a~2", "2025-01-01", "2025-01-01\n", "oрenai", "o\u0301", "ab", "aab", "aaa", "aaaa", " ", "\t", "$", ".", "-", "]",
]
ALPHABET = "aAbz09-_./~*?[]\\:$^ \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u2029\ufeff\u200b\u0661\u00b2\u00e9\u0430\U0001f600"


def _regress(pattern: str, text: str) -> bool:
    return regress.Regex(pattern, flags="u").find(text) is not None


def test_the_shipped_schemas_have_patterns_to_check() -> None:
    assert "^[A-Z]{2}$" in SHIPPED and "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$" in SHIPPED and len(SHIPPED) >= 6


@pytest.mark.parametrize("pattern", SHIPPED + CONSTRUCTS)
def test_translation_matches_what_an_ecma_engine_matches(pattern: str) -> None:
    texts = TRAPS + [chr(c) for c in range(0x3100) if not 0xD800 <= c <= 0xDFFF] + [f"x{chr(c)}" for c in range(0x2000, 0x2100)]
    wrong = [t for t in texts if ecma.search(pattern, t) != _regress(pattern, t)]
    assert wrong == [], f"{pattern!r} -> {ecma.python_pattern(pattern)!r} disagrees with ECMA-262 on {wrong[:5]!r}"


@settings(max_examples=300, deadline=None, derandomize=True)
@given(pattern=st.sampled_from(SHIPPED + CONSTRUCTS), text=st.text(alphabet=ALPHABET, max_size=12))
def test_translation_agrees_on_generated_strings(pattern: str, text: str) -> None:
    assert ecma.search(pattern, text) == _regress(pattern, text), (pattern, text)


@pytest.mark.parametrize(
    "pattern",
    ["\\bword", "(a)\\1", "(?<=a)b", "(?<!a)b", "(?<name>a)", "(?i)a", "\\p{L}", "\\u{1F600}", "[]", "[^]", "a{", "a]", "}",
     "[\\d-z]", "[a-\\d]", "[[a]]", "a**", "*a", "(a", "a)", "\\", "\\0", "\\cA", "\\k<n>", "[\\D]", "[z-a]", "\\ud800"],
)
def test_constructs_outside_the_audited_subset_are_refused(pattern: str) -> None:
    with pytest.raises(ecma.UnsupportedPattern):
        ecma.translate(pattern)


@pytest.mark.parametrize("pattern, ascii_only", [
    ("^[A-Z]{2}$", True), ("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", True), ("^[\\x20-\\x7E]*$", True), ("^[\\x21-\\x7E]([\\x20-\\x7E]*[\\x21-\\x7E])?$", True), ("^\\d+$", True),
    ("[A-Z]{2}", False), ("^a|b$", False), ("^.+$", False), ("^[^a]$", False), ("^\\s$", False), ("^é$", False),
])
def test_ascii_only_is_claimed_only_when_no_non_ascii_string_can_match(pattern: str, ascii_only: bool) -> None:
    assert ecma.translate(pattern).ascii_only is ascii_only


def test_the_jsonschema_path_refuses_pattern_properties() -> None:
    """They would match with Python's meaning; no shipped schema uses them, and none may silently."""
    validator = ecma.validator_for({"type": "object", "patternProperties": {"^a$": {"type": "string"}}})
    with pytest.raises(ecma.UnsupportedPattern):
        validator.is_valid({"a\n": 1})


def test_both_paths_use_one_translation() -> None:
    """The generated gate compiles exactly what the jsonschema path searches with."""
    from llm_policy.validate import _fast_validator

    for pattern, compiled in _fast_validator.REGEX_PATTERNS.items():
        if pattern != "date_re_pattern":
            assert compiled.pattern == ecma.python_pattern(pattern)


def test_generation_fails_on_an_unsupported_pattern() -> None:
    from llm_policy.gen.fast_validator import generate

    with pytest.raises(ecma.UnsupportedPattern):
        generate({"type": "object", "properties": {"a": {"type": "string", "pattern": "\\bx"}}})


def test_no_python_only_regex_is_left_in_the_sources() -> None:
    """Every jsonschema validator of a shipped schema goes through `ecma.validator_for`."""
    offenders = [
        str(path.relative_to(REPO)) for path in (REPO / "llm_policy").rglob("*.py")
        if "Draft202012Validator(" in path.read_text(encoding="utf-8") and path.name != "ecma.py"
    ]
    assert offenders == []

