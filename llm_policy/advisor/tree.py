"""Load the decision tree and the catalog-backed choices, and match their `when` conditions.

The advisor's knowledge lives in two JSON files beside this module (`decision_tree.json`,
`choices.json`) so that changing a recommendation is a data edit that a reviewer can read, not
a code change. This module is the only place that knows how a condition is spelled.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Optional

_HERE = Path(__file__).resolve().parent

QUESTION_TYPES = ("string", "list", "codes", "choice", "bool", "int")


@dataclass(frozen=True)
class Question:
    """One question of the decision tree, as declared in `decision_tree.json`."""

    id: str
    commands: tuple[str, ...]
    type: str
    step: int
    prompt: str
    help: str
    choices: Mapping[str, str]
    default: Any
    optional: bool
    # Asked only when these facts hold (`matches`): e.g. the EU AI Act questions only when the
    # answers so far imply eu-ai-act. Empty: always asked.
    when: Mapping[str, Any] = field(default_factory=dict)

    @property
    def flag(self) -> str:
        """The command-line flag that answers this question (`requests_per_hour` -> `--requests-per-hour`)."""
        return "--" + self.id.replace("_", "-")


@lru_cache(maxsize=None)
def _read(name: str) -> dict[str, Any]:
    with open(_HERE / name, encoding="utf-8") as handle:
        return json.load(handle)


def country_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> country name (`iso3166.json`): `XX` looks like a code and is not one."""
    return _read("iso3166.json")["codes"]  # type: ignore[no-any-return]


def decision_tree() -> dict[str, Any]:
    """The parsed `decision_tree.json` (cached; callers must not mutate it)."""
    return _read("decision_tree.json")


def choices() -> dict[str, Any]:
    """The parsed `choices.json` (cached; callers must not mutate it)."""
    return _read("choices.json")


def questions(command: str) -> list[Question]:
    """The questions `command` ("recommend" or "init") asks, in the order they are asked."""
    result = []
    for raw in decision_tree()["questions"]:
        if command not in raw["for"]:
            continue
        if raw["type"] not in QUESTION_TYPES:  # a data error, caught by the tests
            raise ValueError(f"question {raw['id']!r} has unknown type {raw['type']!r}")
        result.append(
            Question(
                id=raw["id"],
                commands=tuple(raw["for"]),
                type=raw["type"],
                step=int(raw["step"]),
                prompt=raw["prompt"],
                help=raw.get("help", ""),
                choices=raw.get("choices", {}),
                default=raw.get("default"),
                optional=bool(raw.get("optional", False)),
                when=raw.get("when", {}),
            )
        )
    return result


def condition_facts(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The facts a question's `when` may name: the answers so far, plus the regulatory frameworks
    their jurisdictions and data classes imply (policies/data/frameworks.json, the table the rules use)."""
    from llm_policy.compliance.frameworks import implied_frameworks

    facts = dict(answers)
    facts["frameworks"] = sorted(
        implied_frameworks(list(answers.get("jurisdictions") or []), list(answers.get("data_classes") or []))
    )
    return facts


def applies(question: Question, answers: Mapping[str, Any]) -> bool:
    """Whether `question` is asked given the answers so far (its `when` holds)."""
    return not question.when or matches({"when": question.when}, condition_facts(answers))


def all_question_ids() -> list[str]:
    return [raw["id"] for raw in decision_tree()["questions"]]


def _value_matches(actual: Any, expected: Any) -> bool:
    """A scalar condition must equal the fact; a list condition matches any of its values.

    When the fact itself is a list (data classes, jurisdictions) the condition holds if the fact
    contains the value, or any of the values of a list condition.
    """
    wanted = expected if isinstance(expected, list) else [expected]
    if isinstance(actual, (list, tuple, set, frozenset)):
        return any(item in actual for item in wanted)
    return actual in wanted


def matches(rule: Mapping[str, Any], facts: Mapping[str, Any]) -> bool:
    """Whether a table row applies: every key of `when` holds and, if present, `unless` does not.

    An unknown fact name never matches, so a typo in the data makes a rule inert rather than
    universally true; the tests check every fact name used in the data exists.
    """
    when: Mapping[str, Any] = rule.get("when", {})
    for key, expected in when.items():
        if key not in facts or not _value_matches(facts[key], expected):
            return False
    unless: Optional[Mapping[str, Any]] = rule.get("unless")
    if unless and all(key in facts and _value_matches(facts[key], value) for key, value in unless.items()):
        return False
    return True


def first_match(rows: list[dict[str, Any]], facts: Mapping[str, Any]) -> dict[str, Any]:
    """The first row whose condition holds; the tables end with a catch-all row."""
    for row in rows:
        if matches(row, facts):
            return row
    raise LookupError("no row matches; the table must end with a row without conditions")
