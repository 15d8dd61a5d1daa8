"""The framework table (`policies/data/frameworks.json`) as Python sees it."""

from __future__ import annotations

import argparse
import json
from functools import lru_cache
from typing import Any

from llm_policy.util.resources import builtin_policy_dir


@lru_cache(maxsize=1)
def framework_table() -> dict[str, Any]:
    """data.llm_policy.frameworks of the built-in pack."""
    path = builtin_policy_dir() / "data" / "frameworks.json"
    return json.loads(path.read_text(encoding="utf-8"))["llm_policy"]["frameworks"]


def framework_ids() -> list[str]:
    return sorted(framework_table()["frameworks"])


def framework_flag(value: str) -> str:
    """argparse type of `--framework`: a known framework id, else a usage error (exit 2).

    Fail closed: a misspelt id must not select nothing (which would silence every rule bound
    to the framework the user meant)."""
    ids = framework_ids()
    if value not in ids:
        raise argparse.ArgumentTypeError(f"unknown framework {value!r} (known: {', '.join(ids)})")
    return value


def implied_by_jurisdictions(jurisdictions: list[str]) -> set[str]:
    """The frameworks the jurisdictions imply (the table's by_jurisdiction; `init` asks for their fields)."""
    table = framework_table().get("by_jurisdiction", {})
    return {f for j in jurisdictions for f in table.get(j, [])}


def implied_frameworks(jurisdictions: list[str], classes: list[str]) -> set[str]:
    """The frameworks the jurisdictions and data classes imply (by_jurisdiction, by_data_class):
    what `init` and `recommend` ask declarations for."""
    by_class = framework_table().get("by_data_class", {})
    return implied_by_jurisdictions(jurisdictions) | {f for c in classes for f in by_class.get(c, [])}


def controls_of(rule_id: str) -> dict[str, list[str]]:
    """Framework id -> the controls `rule_id` implements (empty: the rule is framework-neutral)."""
    found: dict[str, list[str]] = {}
    for fw, spec in framework_table()["frameworks"].items():
        for control, entry in spec["controls"].items():
            if rule_id in entry["rules"]:
                found.setdefault(fw, []).append(control)
    return found


def controls_cell(rule_id: str) -> str:
    """The rule page's Frameworks cell (docs/rules/*.md)."""
    found = controls_of(rule_id)
    if not found:
        return "framework-neutral: runs whatever frameworks are selected ([docs/frameworks](../frameworks/README.md))"
    return "; ".join(f"[`{fw}`](../frameworks/{fw}.md) {', '.join(c)}" for fw, c in found.items())
