"""Turn flags, an answers file, interactive prompts or defaults into one validated set of answers.

Precedence, highest first: command-line flags, `--answers FILE`, then for whatever is still open:
the defaults when `--defaults` is given, interactive prompts when stdin is a terminal, and
otherwise a `MissingAnswers` error naming every unanswered question. The last rule is what keeps
CI from hanging on a prompt nobody will ever answer.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Callable, Mapping, Optional

from llm_policy.advisor.tree import Question, all_question_ids, applies, country_codes
from llm_policy.util.chars import ascii_decimal

_CODE = re.compile(r"^[A-Z]{2}$")
# Codes people use that ISO 3166-1 does not assign (or reserves for something else).
_CODE_HINTS = {"UK": "GB", "EL": "GR"}
_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


class AnswerError(ValueError):
    """An answer that cannot be used; the message names the question and the accepted values."""


class MissingAnswers(AnswerError):
    """Questions left unanswered where nobody can be asked (stdin is not a terminal)."""

    def __init__(self, missing: list[Question]):
        self.missing = missing
        names = ", ".join(f"{q.id} ({q.flag})" for q in missing)
        super().__init__(
            f"missing answers: {names}; pass them as flags or in --answers FILE, "
            "or add --defaults to use the defaults (stdin is not a terminal, so nobody can be asked)"
        )


def _split(value: Any, question: Question) -> list[Any]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, (list, tuple)):
        return list(value)
    raise AnswerError(f"{question.id}: expected a list or a comma-separated string, got {value!r}")


MAX_TEXT = 500  # characters of a text answer: init would otherwise write a manifest that check refuses (LP001)


def _choice_key(text: str) -> str:
    return text.strip().lower().replace("-", "_")


def coerce(question: Question, value: Any) -> Any:
    """Validate one answer and bring it to its canonical form; raise `AnswerError` with a clear message."""
    kind = question.type
    if kind == "string":
        if value is None and question.optional:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise AnswerError(f"{question.id}: expected text, got {value!r}")
        text = str(value).strip()
        if not text:
            if question.optional:
                return None
            raise AnswerError(f"{question.id}: must not be empty")
        if len(text) > MAX_TEXT:  # the manifest's longest text field (a reference) takes 500 characters
            raise AnswerError(f"{question.id}: at most {MAX_TEXT} characters, got {len(text)}")
        return text
    if kind == "list":
        items = []
        for item in _split(value, question):
            key = _choice_key(str(item))
            if key not in question.choices:
                raise AnswerError(
                    f"{question.id}: unknown value {item!r}; choose from {', '.join(question.choices)}"
                )
            if key not in items:
                items.append(key)
        if not items:
            raise AnswerError(f"{question.id}: give at least one of {', '.join(question.choices)}")
        return items
    if kind == "codes":
        codes = []
        for item in _split(value, question):
            code = str(item).strip().upper()
            if not _CODE.match(code) or (code != "EU" and code not in country_codes()):
                hint = _CODE_HINTS.get(code)
                raise AnswerError(
                    f"{question.id}: {item!r} is not an ISO 3166-1 alpha-2 country code or EU (e.g. RU, DE, EU)"
                    + (f"; did you mean {hint}?" if hint else "")
                )
            if code not in codes:
                codes.append(code)
        if not codes:
            raise AnswerError(f"{question.id}: give at least one country code or EU")
        return codes
    if kind == "choice":
        if not isinstance(value, str) or _choice_key(value) not in question.choices:
            raise AnswerError(f"{question.id}: unknown value {value!r}; choose from {', '.join(question.choices)}")
        return _choice_key(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise AnswerError(f"{question.id}: expected yes or no, got {value!r}")
    if kind == "int":
        if isinstance(value, bool):
            raise AnswerError(f"{question.id}: expected a whole number, got {value!r}")
        if isinstance(value, str):
            number = ascii_decimal(value.strip().replace("_", "").replace(",", ""))
            if number is None:  # ASCII digits only: "²" passes str.isdigit() and then breaks int()
                raise AnswerError(f"{question.id}: expected a whole number >= 0, got {value!r}")
            value = number
        if not isinstance(value, int) or value < 0:
            raise AnswerError(f"{question.id}: expected a whole number >= 0, got {value!r}")
        return value
    raise AnswerError(f"{question.id}: unsupported question type {kind!r}")


def default_for(question: Question, context: Mapping[str, str]) -> Any:
    """The question's default with `{placeholders}` filled from `context` (e.g. the directory name)."""
    default = question.default
    if isinstance(default, str):
        default = default.format(**context)
    return None if default is None else coerce(question, default)


def load_answers_file(path: str) -> dict[str, Any]:
    """Read `--answers FILE` (JSON, or YAML for any other extension); keys are question ids."""
    file_path = Path(path)
    try:
        text = file_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AnswerError(f"answers file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AnswerError(f"cannot read answers file {path}: {exc}") from None
    try:
        if file_path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            from ruamel.yaml import YAML
            from ruamel.yaml.error import YAMLError

            try:
                data = YAML(typ="safe", pure=True).load(text)
            except YAMLError as exc:
                raise AnswerError(f"answers file {path} is not valid YAML: {exc}") from None
    except json.JSONDecodeError as exc:
        raise AnswerError(f"answers file {path} is not valid JSON: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise AnswerError(f"answers file {path} must be a mapping of question id to answer")
    known = all_question_ids()
    unknown = [str(key) for key in data if key not in known]
    if unknown:
        raise AnswerError(
            f"answers file {path}: unknown question(s) {', '.join(unknown)}; known: {', '.join(known)}"
        )
    return {str(key): value for key, value in data.items()}


Prompter = Callable[[Question, Any, int, int], Any]


def collect(
    questions: list[Question],
    flags: Mapping[str, Any],
    from_file: Mapping[str, Any],
    *,
    use_defaults: bool,
    prompter: Optional[Prompter],
    context: Mapping[str, str],
) -> dict[str, Any]:
    """Resolve every question to a validated answer, or raise `AnswerError` / `MissingAnswers`.

    `prompter` is None when nobody can be asked (stdin is not a terminal). Optional questions
    (the owner, the regulatory declarations) are never reported missing: an unanswered one becomes
    a TODO marker or a commented template later, which `check` fails until a person supplies it.

    A question with a `when` condition (the EU AI Act classification, the Russian declarations) is
    asked only when the answers before it make it apply; it is then None. Answering it anyway, by
    flag or file, is an error (exit 2): a declaration the project's frameworks do not call for is a
    misunderstanding to fix, never something to drop silently.
    """
    given: dict[str, Any] = {}
    for question in questions:
        if flags.get(question.id) is not None:
            given[question.id] = coerce(question, flags[question.id])
        elif question.id in from_file:
            given[question.id] = coerce(question, from_file[question.id])
    answers: dict[str, Any] = {}
    missing: list[Question] = []
    pending = [q for q in questions if q.id not in given]
    asked = 0
    for question in questions:
        if not applies(question, {**answers, **given}):
            if question.id in given:
                raise AnswerError(
                    f"{question.id} ({question.flag}) does not apply to these answers: "
                    f"it is asked only when {_condition_text(question)}"
                )
            answers[question.id] = None
            continue
        if question.id in given:
            answers[question.id] = given[question.id]
        elif use_defaults or prompter is None:
            if not question.optional and not use_defaults:
                missing.append(question)
            answers[question.id] = default_for(question, context)
        else:
            asked += 1
            total = asked + sum(1 for q in pending[pending.index(question) + 1:] if not q.when)
            answers[question.id] = prompter(question, default_for(question, context), asked, total)
    if missing:
        raise MissingAnswers(missing)
    return {q.id: answers[q.id] for q in questions}


def _condition_text(question: Question) -> str:
    parts = []
    for key, value in question.when.items():
        values = " or ".join(str(v) for v in (value if isinstance(value, list) else [value]))
        if key == "frameworks":
            parts.append(f"the jurisdictions or data classes imply the framework {values}")
        else:
            parts.append(f"{key} is {values}")
    return " and ".join(parts)
