"""Ask the decision-tree questions on a terminal, each with its default in brackets.

Prompts go to stderr so that `llm-policy recommend --format json > plan.json` still works
interactively; answers are read line by line from stdin. A wrong answer is explained and the
question asked again; end of input aborts cleanly instead of looping.
"""

from __future__ import annotations

import sys
from typing import Any, Optional, TextIO

from llm_policy.advisor.answers import AnswerError, coerce
from llm_policy.util.chars import ascii_decimal
from llm_policy.advisor.tree import Question, decision_tree


class PromptAborted(AnswerError):
    """Input ended (Ctrl-D) before every question was answered."""


def _show_default(question: Question, default: Any) -> str:
    if default is None and question.when:
        return "leave empty to declare it later; check fails until then"
    if default is None:
        return "leave empty for a TODO marker" if question.optional else ""
    if question.type == "bool":
        return "Y/n" if default else "y/N"
    if isinstance(default, list):
        return ",".join(default)
    return str(default)


class TerminalPrompter:
    """Callable used by `answers.collect` when stdin is a terminal."""

    def __init__(self, stdin: Optional[TextIO] = None, out: Optional[TextIO] = None):
        self.stdin = stdin or sys.stdin
        self.out = out or sys.stderr
        self._last_step: Optional[int] = None
        self._steps = decision_tree().get("steps", {})

    def _write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()

    def _header(self, question: Question, index: int, total: int) -> None:
        if index == 1:
            self._write("Answer a few questions; press Enter to accept the default in [brackets].\n")
        if question.step != self._last_step:
            self._last_step = question.step
            title = self._steps.get(str(question.step), "Project")
            self._write(f"\n== {title} ==\n")

    def _options(self, question: Question) -> None:
        width = max((len(key) for key in question.choices), default=0) + 1
        if question.type == "choice":
            for number, (key, text) in enumerate(question.choices.items(), start=1):
                self._write(f"  {number}) {key:<{width}} {text}\n")
        elif question.type == "list":
            for key, text in question.choices.items():
                self._write(f"  - {key:<{width}} {text}\n")
        if question.help:
            self._write(f"  ({question.help})\n")

    def _interpret(self, question: Question, raw: str) -> Any:
        """Map what was typed to an answer; numbers pick a choice by position, unless the number is
        itself a choice (the CII categories 1-3: typing 2 means category 2, not the second line)."""
        if question.type == "choice" and raw.strip().lower() in question.choices:
            return coerce(question, raw)
        position = ascii_decimal(raw) if question.type == "choice" else None
        if position is not None:  # "²" passes str.isdigit() but is no menu number
            keys = list(question.choices)
            if not 1 <= position <= len(keys):
                raise AnswerError(f"{question.id}: pick a number from 1 to {len(keys)}")
            return keys[position - 1]
        return coerce(question, raw)

    def __call__(self, question: Question, default: Any, index: int, total: int) -> Any:
        self._header(question, index, total)
        self._write(f"{question.prompt}\n")
        self._options(question)
        shown = _show_default(question, default)
        while True:
            self._write(f"> [{shown}] " if shown else "> ")
            line = self.stdin.readline()
            if not line:
                self._write("\n")
                raise PromptAborted("input ended before every question was answered; nothing was written")
            raw = line.strip()
            if not raw:
                if default is not None or question.optional:
                    return default
                self._write("  ! an answer is required\n")
                continue
            try:
                return self._interpret(question, raw)
            except AnswerError as exc:
                self._write(f"  ! {exc}\n")
