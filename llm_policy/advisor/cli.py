"""The options `recommend` and `init` share, generated from the questions, and answer gathering.

Every question becomes a flag (`--data-classes personal,internal`, `--customer-facing`), so
scripts and tests can answer without a file; `--answers FILE` and `--defaults` complete the set.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Mapping

from llm_policy.advisor.tree import questions


def _flag_help(question: Any) -> str:
    text = question.prompt
    if question.choices:
        text += (" One of: " if question.type == "choice" else " Any of: ") + ", ".join(question.choices) + "."
    default = question.default
    if question.when:
        from llm_policy.advisor.answers import _condition_text

        text += f" Asked only when {_condition_text(question)}; elsewhere the flag is an error."
    if default is None and question.when:
        default = "unanswered: init writes a TODO marker or a commented template that check fails"
    elif default is None:
        default = "a TODO marker" if question.optional else None
    elif default == "{cwd_name}":
        default = "the project directory's name"
    elif isinstance(default, bool):
        default = "yes" if default else "no"
    elif isinstance(default, list):
        default = ",".join(default)
    if default is not None:
        text += f" [default: {default}]"
    return text.replace("%", "%%")


def add_question_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    """Add `--answers`, `--defaults` and one flag per question of `command`."""
    group = parser.add_argument_group(
        "answers",
        "Answer the questions with flags or --answers FILE; unanswered ones are asked on a terminal, "
        "taken from the defaults with --defaults, and otherwise reported missing (exit 2).",
    )
    group.add_argument(
        "--answers",
        metavar="FILE",
        help="YAML or JSON mapping of question id to answer (e.g. team: mlops); flags override it",
    )
    group.add_argument(
        "--defaults",
        action="store_true",
        help="use the default for every question not answered by a flag or --answers, without asking",
    )
    for question in questions(command):
        dest = question.id
        if question.type == "bool":
            group.add_argument(question.flag, dest=dest, action=argparse.BooleanOptionalAction, default=None,
                               help=_flag_help(question))
        else:
            metavar = {"int": "N", "list": "CLASSES", "codes": "CODES", "choice": "CHOICE"}.get(question.type, "TEXT")
            group.add_argument(question.flag, dest=dest, metavar=metavar, default=None, help=_flag_help(question))


def stdin_is_terminal() -> bool:
    """CI often runs with stdin closed or redirected: only a real terminal gets prompts."""
    stream = sys.stdin
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # closed or detached stream
        return False


def gather_answers(args: argparse.Namespace, command: str, context: Mapping[str, str]) -> dict[str, Any]:
    """Validated answers for `command`, or `UsageError` (exit 2) with a message naming what is wrong."""
    from llm_policy.advisor.answers import AnswerError, collect, load_answers_file
    from llm_policy.cli import UsageError

    try:
        from_file = load_answers_file(args.answers) if args.answers else {}
        prompter = None
        if not args.defaults and stdin_is_terminal():
            from llm_policy.advisor.prompts import TerminalPrompter

            prompter = TerminalPrompter()
        flags = {q.id: getattr(args, q.id, None) for q in questions(command)}
        return collect(
            questions(command), flags, from_file, use_defaults=args.defaults, prompter=prompter, context=context
        )
    except AnswerError as exc:
        raise UsageError(str(exc)) from None
