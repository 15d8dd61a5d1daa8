"""Print a recommendation for a person: sectors, pattern, reasons per answer, sources, the table.

The JSON form is `Recommendation.to_dict()`; this module only lays the same facts out as text,
wrapped to a terminal-friendly width.
"""

from __future__ import annotations

import textwrap

from llm_policy.advisor.decide import Recommendation
from llm_policy.advisor.tree import decision_tree

WIDTH = 100


def _wrap(text: str, indent: str, first: str = "") -> list[str]:
    return textwrap.wrap(
        text, width=WIDTH, initial_indent=indent + first, subsequent_indent=indent + " " * len(first)
    ) or [indent + first]


def _answer_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _source_line(source: dict) -> str:
    where = source.get("provider") or "self-hosted"
    parts = [f"{source['id']}: {source['sector']}", where, source["model"]]
    if source.get("license"):
        parts.append(f"license {source['license']}")
    parts.append(f"{source['hosting']} in {source['region']}")
    line = ", ".join(parts)
    if source.get("route"):
        line += f" -- route '{source['route']}': {source['route_description']}"
    return line


def render_text(rec: Recommendation) -> str:
    lines: list[str] = []
    sectors = " + ".join(rec.sectors)
    lines.append(f"Recommended sector(s): {sectors}")
    hybrid = " (hybrid)" if len(rec.sectors) > 1 else ""
    lines.append(f"Pattern: {rec.pattern['title']}{hybrid}")
    lines += _wrap(rec.pattern["description"], "  ")
    if rec.pattern.get("next_step"):
        lines += _wrap(rec.pattern["next_step"], "  ")

    lines.append("")
    lines.append("Why:")
    for reason in rec.reasons:
        answered = "; ".join(f"{k.replace('_', ' ')}: {_answer_text(v)}" for k, v in reason["answers"].items())
        lines += _wrap(f"{reason['topic']} ({answered})", "  ", f"{reason['step']}. ")
        lines += _wrap(reason["text"], "     ")
    for caveat in rec.caveats:
        lines += _wrap(caveat, "  ", "! ")

    lines.append("")
    lines.append("Suggested sources (what `llm-policy init` writes):")
    for source in rec.sources:
        lines += _wrap(_source_line(source), "  ", "- ")
    for fallback in rec.routing["fallbacks"]:
        lines.append(f"  fallback: {fallback['from']} -> {', '.join(fallback['to'])}")

    lines.append("")
    lines += _table(rec)
    return "\n".join(lines) + "\n"


def _table(rec: Recommendation) -> list[str]:
    criteria = decision_tree()["evaluation"]["criteria"]
    headers = ["option"] + [c.replace("_", " ") for c in criteria] + ["allowed"]
    rows = []
    for row in rec.evaluation:
        mark = "* " if row["recommended"] else "  "
        allowed = "yes" if row["allowed"] else "no"
        if row["condition"]:
            allowed += f" ({row['condition']})" if row["allowed"] else f": {row['condition']}"
        rows.append([mark + row["label"]] + [str(row["scores"][c]) for c in criteria] + [allowed])
    widths = [max(len(r[i]) for r in rows + [headers]) for i in range(len(headers) - 1)]
    out = ["Options for this project (1-5, higher is better; * = recommended):"]
    fmt = "  " + "  ".join(f"{{:<{w}}}" for w in widths) + "  {}"
    out.append(fmt.format(*headers).rstrip())
    for r in rows:
        out.append(fmt.format(*r).rstrip())
    notes = []
    for row in rec.evaluation:
        for criterion, texts in row["notes"].items():
            notes.append(f"{row['label']}, {criterion.replace('_', ' ')}: {'; '.join(texts)}")
    if notes:
        out.append("  Adjusted for your answers:")
        for note in notes:
            out += _wrap(note, "    ", "- ")
    return out
