"""An explicit YAML tag must fit its text (issue 11, item 12).

`commercial: !!bool yes` used to load as `false` (the builder read any non-"true" text as false),
which silenced LP201. A core tag whose text is not a value of that tag is LP000 at the tag, in both
loader backends (PyYAML/libyaml, the fast path, and ruamel.yaml, the reference), which must agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINIMAL, write
from llm_policy.load import LoadError, parse_document, yaml_loader

MISFITS = [
    ("a: !!bool yes\n", 1, 4, "YAML tag '!!bool' does not fit the value 'yes': expected true or false"),
    ("a: !!bool no\n", 1, 4, "YAML tag '!!bool' does not fit the value 'no': expected true or false"),
    ("a: !!bool 1\n", 1, 4, "YAML tag '!!bool' does not fit the value '1': expected true or false"),
    ("a: !!bool\n", 1, 4, "YAML tag '!!bool' does not fit the value '': expected true or false"),
    ("a: !!int abc\n", 1, 4, "YAML tag '!!int' does not fit the value 'abc': expected an integer such as 42, 0x2A or 0o52"),
    ("a: !!int 1.5\n", 1, 4, "YAML tag '!!int' does not fit the value '1.5': expected an integer such as 42, 0x2A or 0o52"),
    ("a: !!int 0x_\n", 1, 4, "YAML tag '!!int' does not fit the value '0x_': expected an integer such as 42, 0x2A or 0o52"),
    ("a: !!float x\n", 1, 4, "YAML tag '!!float' does not fit the value 'x': expected a number such as 1.5 or 1e3"),
    ("a: !!float 1,5\n", 1, 4, "YAML tag '!!float' does not fit the value '1,5': expected a number such as 1.5 or 1e3"),
    ("a: !!null foo\n", 1, 4, "YAML tag '!!null' does not fit the value 'foo': expected null, ~ or nothing"),
    ("a: !!timestamp soon\n", 1, 4, "YAML tag '!!timestamp' does not fit the value 'soon': expected a date such as 2025-01-10 or a date and time"),
    ("a: &x !!bool yes\n", 1, 7, "YAML tag '!!bool' does not fit the value 'yes': expected true or false"),
    ("a: !!bool &x yes\n", 1, 4, "YAML tag '!!bool' does not fit the value 'yes': expected true or false"),
    ("a: &x\n  # why\n  !!int many\n", 3, 3, "YAML tag '!!int' does not fit the value 'many': expected an integer such as 42, 0x2A or 0o52"),
    ("a:\n  - ok\n  - !!bool 'yes'\n", 3, 5, "YAML tag '!!bool' does not fit the value 'yes': expected true or false"),
    ("a: !!bool |\n  true\n", 1, 4, "YAML tag '!!bool' does not fit the value 'true\\n': expected true or false"),
    ("a: [x, !!bool on]\n", 1, 8, "YAML tag '!!bool' does not fit the value 'on': expected true or false"),
    ("a: {b: !!null x}\n", 1, 8, "YAML tag '!!null' does not fit the value 'x': expected null, ~ or nothing"),
]
FITS = [
    ("a: !!bool true\n", True), ("a: !!bool FALSE\n", False), ("a: !!bool 'true'\n", True), ("a: !!int 42\n", 42),
    ("a: !!int '2'\n", 2), ("a: !!int 0x2A\n", 42), ("a: !!int 1_000\n", 1000), ("a: !!int -7\n", -7),
    ("a: !!float 1\n", 1.0), ("a: !!float 1.5\n", 1.5), ("a: !!float 1e3\n", 1000.0), ("a: !!null\n", None),
    ("a: !!null ~\n", None), ("a: !!str yes\n", "yes"), ("a: !!str 12\n", "12"), ("a: !!timestamp 2025-01-10\n", "2025-01-10"),
    ("a: ! yes\n", "yes"), ("a: yes\n", "yes"), ("a: 0x_\n", "0x_"), ("a: &x 0x_\n", "0x_"),
]


@pytest.fixture(params=["libyaml", "ruamel"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "ruamel":
        monkeypatch.setattr(yaml_loader, "_libyaml_loader", False)
    else:
        assert yaml_loader._libyaml(), "PyYAML with libyaml is a dependency of llm-policy"
    return str(request.param)


@pytest.mark.parametrize("text, line, column, message", MISFITS)
def test_a_tag_that_does_not_fit_its_text_is_lp000_at_the_tag(backend: str, text: str, line: int, column: int, message: str) -> None:
    with pytest.raises(LoadError) as info:
        parse_document(text, Path("m.yaml"))
    assert (info.value.message, info.value.line, info.value.column) == (message, line, column)


@pytest.mark.parametrize("text, value", FITS)
def test_tags_that_fit_and_untagged_scalars_load_as_before(backend: str, text: str, value: Any) -> None:
    assert parse_document(text, Path("m.yaml")).data == {"a": value}


def test_commercial_bool_yes_no_longer_silences_lp201(cli, tmp_path: Path) -> None:
    """The attack from the issue, through the CLI: LP000 at the tag, exit 1, no policy ran on a guess."""
    manifest = MINIMAL.replace("  owner: o@example.com\n", "  owner: o@example.com\n  commercial: !!bool no\n")
    write(tmp_path / "llm-sourcing.yaml", manifest)
    result = cli("check", str(tmp_path / "llm-sourcing.yaml"), "--format", "json")
    assert result.code == 1
    assert [(f["rule_id"], f["line"], f["column"]) for f in result.findings()] == [("LP000", 5, 15)]


def test_the_misfit_message_quotes_only_a_short_excerpt(backend: str) -> None:
    with pytest.raises(LoadError) as info:
        parse_document("a: !!int " + "9x" * 500 + "\n", Path("m.yaml"))
    assert len(info.value.message) < 150


TAGS = ["!!bool", "!!int", "!!float", "!!null", "!!str", "!!timestamp"]
VALUES = ["yes", "no", "true", "False", "1", "-1", "0x1F", "0o7", "1_0", "_", "0x_", "1.5", "1e3", ".5", ".inf", "~", "null", "",
          "abc", "2025-01-10", "2025-13-45", "'yes'", '"1"', "|\n  true", "é", "1 2", "--1"]


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tag=st.sampled_from(TAGS), value=st.sampled_from(VALUES), anchor=st.booleans(),
       shape=st.sampled_from(["a: {}\n", "a:\n  - {}\n", "a: [{}]\n", "a: {{k: {}}}\n"]))
def test_both_backends_agree_on_tagged_scalars(monkeypatch: pytest.MonkeyPatch, tag: str, value: str, anchor: bool, shape: str) -> None:
    if "\n" in value and not shape.startswith("a: {}"):
        value = value.replace("\n", " ")
    node = ("&x " if anchor else "") + f"{tag} {value}"
    text = shape.format(node)

    def outcome() -> Any:
        try:
            return ("ok", parse_document(text, Path("m.yaml")).data)
        except LoadError as exc:
            return ("error", exc.message, exc.line, exc.column)

    fast = outcome()
    with monkeypatch.context() as patch:
        patch.setattr(yaml_loader, "_libyaml_loader", False)
        reference = outcome()
    assert fast == reference, text
    if fast[0] == "ok" and tag == "!!bool":  # whatever loads under !!bool is a real boolean
        assert isinstance(next(iter(_leaves(fast[1]))), bool), text


def _leaves(data: Any) -> Any:
    if isinstance(data, dict):
        for value in data.values():
            yield from _leaves(value)
    elif isinstance(data, list):
        for value in data:
            yield from _leaves(value)
    else:
        yield data
