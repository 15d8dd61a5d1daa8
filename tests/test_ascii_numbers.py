"""Only ASCII decimal text is read as a number (issue 11, item 16).

`"²".isdigit()` is true and `int("²")` raises, so a custom policy whose finding `path` held "²"
crashed the whole run; `"١"` (Arabic-Indic one) passed `isdigit` and `int()` read it as 1, placing
a finding on the wrong node. Array indexes in paths follow RFC 6901 (ASCII digits, no leading zero),
menu numbers and counts in `init`'s answers are ASCII digits.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINIMAL, write
from llm_policy.util.chars import array_index, ascii_decimal
from llm_policy.load import parse_document

TWO_SOURCES = MINIMAL + "  - id: t\n    sector: open_source\n    model: m/m\n    license: MIT\n    hosting: on_prem\n    region: DE\n"


@pytest.mark.parametrize("text, index", [("0", 0), ("7", 7), ("12", 12), ("01", None), ("-1", None), ("+1", None), (" 1", None),
                                         ("\u00b2", None), ("\u0661", None), ("\uff11", None), ("1\n", None), ("", None), ("1_0", None)])
def test_array_index_is_rfc6901_ascii(text: str, index: object) -> None:
    assert array_index(text) == index


@pytest.mark.parametrize("text, number", [("0", 0), ("007", 7), ("1000", 1000), ("\u00b2", None), ("\u0661", None), ("", None), ("1e3", None)])
def test_ascii_decimal(text: str, number: object) -> None:
    assert ascii_decimal(text) == number


@pytest.mark.parametrize("part, line", [("1", 14), ("\u00b2", 7), ("\u0661", 7), ("\u00b9", 7), ("01", 7)])
def test_positions_read_only_ascii_indexes(part: str, line: int) -> None:
    """sources[1] starts on line 14; anything that is not an index falls back to `sources` (line 7)."""
    positions = parse_document(TWO_SOURCES, Path("m.yaml")).positions
    span, _ = positions.locate(["sources", part])
    assert span.line == line


POLICY = """package main

import rego.v1

deny contains {"msg": "odd path", "path": ["sources", "%s", "region"]} if true
"""


@pytest.mark.parametrize("part, line", [("\u00b2", 7), ("\u0661", 7), ("1", 19)])
def test_a_custom_policy_path_with_a_superscript_digit_is_located_not_a_crash(cli, tmp_path: Path, part: str, line: int) -> None:
    write(tmp_path / "p" / "odd.rego", POLICY % part)
    manifest = write(tmp_path / "llm-sourcing.yaml", TWO_SOURCES)
    result = cli("check", str(manifest), "--policy", str(tmp_path / "p"), "--no-builtin", "--format", "json")
    assert result.code == 1, result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert [(f["rule_id"], f["line"]) for f in result.findings()] == [("main.deny", line)]


def test_init_answers_take_ascii_numbers_only() -> None:
    from llm_policy.advisor.answers import AnswerError, coerce
    from llm_policy.advisor.tree import questions

    number_question = next(q for q in questions("recommend") + questions("init") if q.type == "int")
    assert coerce(number_question, "1_000") == 1000
    for text in ("\u00b2", "\u0661\u0662", "\uff15"):
        with pytest.raises(AnswerError):
            coerce(number_question, text)


def test_init_menu_numbers_are_ascii_only() -> None:
    import io

    from llm_policy.advisor.answers import AnswerError
    from llm_policy.advisor.prompts import TerminalPrompter
    from llm_policy.advisor.tree import questions

    choice = next(q for q in questions("recommend") + questions("init") if q.type == "choice")
    prompter = TerminalPrompter(stdin=io.StringIO(), out=io.StringIO())
    assert prompter._interpret(choice, "1") == list(choice.choices)[0]
    with pytest.raises(AnswerError):
        prompter._interpret(choice, "\u00b9")
    with pytest.raises(AnswerError):
        prompter._interpret(choice, "\u0661")
