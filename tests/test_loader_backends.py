"""The fast composer (PyYAML's libyaml binding) must be invisible: same data, positions and errors
as ruamel.yaml on every document, or the loader falls back to ruamel.yaml.

The property checked is the one users rely on: `parse_document(text)` gives exactly what it gives
with ruamel.yaml alone (data, the span of every node and key, or the same LoadError), for tricky
plain scalars (YAML 1.1 vs 1.2 booleans, octals, underscores, timestamps), generated documents in
block and flow style, and random YAML-ish character soup.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llm_policy.load import LoadError, parse_document, yaml_loader

PLAIN_SCALARS = [
    "yes", "no", "on", "off", "NO", "No", "y", "n", "true", "True", "TRUE", "tRue", "false", "~", "null", "Null",
    "NULL", "nULL", "0o17", "0o", "0o_", "0x1F", "0x_", "0b101", "0b", "017", "09", "1_000", "_", "__1", "1e3",
    "1E3", "1e+3", ".5", "+.5", "-.5", "._", "1.", "-.inf", ".inf", ".Inf", ".NaN", ".nan", "+.nan", "2025-01-10",
    "2025-1-1 10:00:00", "2025-01-10T10:00:00Z", "2025-13-45", "1:20", "1:20:30.5", "=", "<<", "-", "+1", "+",
    "0.", "+0b1_0", "12e", "0x", "1__2", "0", "-0", "+0", "00", "EU", "RU", "llm-policy/v1", "a b", "#x",
]
KEYS = ["a", "id", "region", "on", "yes", "1x", "k-1"]


def _spans(view: Any) -> dict[str, Any]:
    return {json.dumps(list(path)): tuple(vars(view[path]).values()) for path in view}


def _outcome(text: str) -> Any:
    """Everything observable about parsing `text`: data and every span, or the error."""
    try:
        document = parse_document(text, Path("m.yaml"))
    except LoadError as exc:
        return ("error", exc.message, exc.line, exc.column)
    except RecursionError:
        return ("recursion",)
    positions = document.positions
    return ("ok", json.dumps(document.data, sort_keys=True), _spans(positions.values), _spans(positions.keys), sorted(map(json.dumps, map(list, positions.collections))))


@pytest.fixture
def ruamel_only(monkeypatch: pytest.MonkeyPatch):
    def outcome(text: str) -> Any:
        with monkeypatch.context() as patch:
            patch.setattr(yaml_loader, "_libyaml_loader", False)
            return _outcome(text)

    return outcome


def _same(text: str, ruamel_only: Any) -> None:
    fast = _outcome(text)
    reference = ruamel_only(text)
    assert fast == reference, f"text={text!r}"


def test_libyaml_is_available_here() -> None:
    """Otherwise every other test here compares ruamel.yaml with itself."""
    assert yaml_loader._libyaml(), "PyYAML with libyaml is a dependency of llm-policy"


@pytest.mark.parametrize("scalar", PLAIN_SCALARS)
def test_plain_scalars_resolve_like_ruamel(scalar: str, ruamel_only: Any) -> None:
    for text in (f"a: {scalar}\n", f"a:\n  - {scalar}\n  - [{scalar}, x]\n", f"a: {{k: {scalar}}}\n", f"{scalar}: 1\n"):
        _same(text, ruamel_only)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n", "a: [1\nb: 2\n", "a:\n\tb: 1\n", "a: !!python/object:os.system x\n", "a: !custom x\n",
        "- 1\n", "just text\n", "", "# only a comment\n", "a: 1\n---\nb: 2\n", "1: x\n", "? [a]\n: x\n",
        "a: .nan\n", "base: &b {x: 1}\nother:\n  <<: *b\n", "%YAML 1.1\n---\na: yes\n", "%YAML 1.2\n---\na: yes\n",
        "a: 'unterminated\n", "a: \"caf\u00e9 \u2603\"\nb: [\u00e9, \u00fc]\n", "a: |\n  text\n  more\nb: >-\n  folded\n",
        "a: &x 1\nb: *x\n", "a: *nope\n", "a: 1\n...\n", "--- \na: 1\n", "a: [1, 2,]\n", "{a: 1, b: [2, {c: 3}]}\n",
        "a: " + "[" * 70 + "]" * 70 + "\n", "a: " + "[" * 1100 + "]" * 1100 + "\n", "\ufeffa: 1\n", "a: 1 # c\n#x\n",
        "a: !!str 1\nb: !!int '2'\nc: !!binary aGk=\n", "a:\n- b\n-  c\n", "a: b: c\n", "? a\n? b\n",
    ],
)
def test_documents_parse_like_ruamel(text: str, ruamel_only: Any) -> None:
    _same(text, ruamel_only)


json_scalars = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(-1e6, 1e6).filter(lambda f: f == f) | st.text(max_size=8) | st.sampled_from(PLAIN_SCALARS)
json_docs = st.dictionaries(
    st.sampled_from(KEYS) | st.text(min_size=1, max_size=6),
    st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=3), max_leaves=10),
    min_size=1, max_size=4,
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(doc=json_docs, flow=st.sampled_from([None, False, True]), quote=st.sampled_from([None, "'", '"']))
def test_generated_documents_parse_like_ruamel(doc: dict[str, Any], flow: Any, quote: Any, ruamel_only: Any) -> None:
    import yaml

    text = yaml.safe_dump(doc, default_flow_style=flow, default_style=quote, allow_unicode=True, sort_keys=False)
    _same(text, ruamel_only)


yaml_soup = st.text(alphabet="ab1:- []{},#&*!|>'\"\n\t%?.~<=_0xoe\u00e9", max_size=40)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=yaml_soup)
def test_random_yaml_soup_parses_like_ruamel(text: str, ruamel_only: Any) -> None:
    _same(text, ruamel_only)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.sampled_from(["a:", " b:", "  - x", "- y", "c: 1", "  d: [1, 2]", "e: {f: g}", "   ", "# c", "h: |", "  text", "? k", ": v", "&a i: 1", "j: *a", "---", "..."]), min_size=1, max_size=8))
def test_random_block_documents_parse_like_ruamel(lines: list[str], ruamel_only: Any) -> None:
    _same("\n".join(lines) + "\n", ruamel_only)
