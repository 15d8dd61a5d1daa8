"""Text, JSON and Markdown views of the diff report (the JSON document is the source of all three).

Markdown is shaped for a pull-request comment: a hidden marker so a workflow updates its own
comment, a one-line headline (the riskiest change), risk-relevant changes and new findings first,
everything else in collapsible `<details>`. Every value that comes from a manifest (ids, models,
providers, rule messages that quote them) is rendered inert: inside a code span, where GitHub
makes no links, @mentions or HTML, with backticks, pipes and line breaks neutralised.
"""

from __future__ import annotations

import json
import re
from typing import Any

from llm_policy.output._report import location, plural

MARKER = "<!-- llm-policy-diff -->"
MAX_CHARS = 60_000  # GitHub caps a comment at 65,536 characters
MAX_VALUE = 300  # characters of one value shown in Markdown
RISK_LABELS = {"high": "🔴 high", "medium": "🟡 medium", "low": "⚪ low"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def render_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def _plain(text: Any) -> str:
    """One line, no control characters (a manifest value cannot fake extra report lines)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def _sides(report: dict[str, Any]) -> str:
    def one(side: dict[str, Any]) -> str:
        commit = f" ({side['commit'][:12]})" if side.get("commit") else ""
        return f"{side['spec']}{commit}"
    return f"{one(report['base'])} -> {one(report['head'])}"


def _counts(summary: dict[str, Any]) -> str:
    return (f"{plural(summary['files'], 'manifest')} changed, {plural(summary['high_risk'], 'high-risk change')}, "
            f"{plural(summary['new_findings'], 'new finding')}, {summary['fixed_findings']} fixed, "
            f"{summary['unchanged_findings']} unchanged")


def render_text(report: dict[str, Any]) -> str:
    lines = [f"llm-policy diff {_plain(_sides(report))}: {_counts(report['summary'])}"]
    for fault in report["faults"]:
        lines.append(f"{_plain(location(fault.get('file'), fault.get('line'), fault.get('column')))}: error "
                     f"[{fault['kind']}] {_plain(fault['message'])}")
    if report["changes"]:
        lines += ["", "Sourcing changes:"]
        lines += [f"  {c['risk']:<6} {_plain(c['file'])}{_plain(c['pointer']) and ' ' + _plain(c['pointer'])}: {_plain(c['message'])}"
                  for c in report["changes"]]
    for state, title in (("new", "New findings"), ("fixed", "Fixed findings")):
        findings = report["findings"][state]
        if findings:
            lines += ["", f"{title}:"]
            lines += [f"  {_plain(location(f['file'], f.get('line'), f.get('column')))}: {f['severity']} {f['rule_id']} "
                      f"{_plain(f['message'])}" for f in findings]
    if not report["files"] and not report["faults"]:
        lines += ["", "No manifest changed."]
    return "\n".join(lines) + "\n"


def code(text: Any) -> str:
    """`text` as an inert inline code span that is also safe inside a table cell."""
    value = _CONTROL.sub(" ", str(text)).strip() or " "
    if len(value) > MAX_VALUE:
        value = value[:MAX_VALUE] + "…"  # one huge value must not eat the comment (the JSON has it whole)
    value = value.replace("|", "\\|")  # GFM splits cells on | even inside code spans unless escaped
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def _escape(text: str) -> str:
    """Our own template text: escaped all the same, so nothing in it can turn into markup."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]|#!@~])", r"\\\1", text)


def change_markdown(item: dict[str, Any]) -> str:
    """A change's message with every manifest value in a code span."""
    pieces = re.split(r"(\{\})", item.get("template") or "{}")
    values = iter(item.get("values") or [item["message"]])
    return "".join(code(next(values, "")) if piece == "{}" else _escape(piece) for piece in pieces)


def _headline(report: dict[str, Any]) -> str:
    summary = report["summary"]
    if report["faults"]:
        return f"## ⛔ llm-policy diff: {plural(summary['faults'], 'tool error')}, the comparison is incomplete"
    if not report["files"]:
        return "## ✅ llm-policy diff: no manifest changed"
    icon = "⚠️" if summary["high_risk"] or summary["new_findings"] else "✅"
    top = report["changes"][0] if report["changes"] else None
    if top is not None and top["risk"] == "high":
        return f"## {icon} {change_markdown(top)}"
    if summary["new_findings"]:
        return f"## {icon} llm-policy diff: {plural(summary['new_findings'], 'new finding')}"
    return f"## {icon} llm-policy diff: {plural(summary['changes'], 'sourcing change')}, no new findings"


def _finding_row(finding: dict[str, Any]) -> str:
    where = location(finding["file"], finding.get("line"), finding.get("column"))
    return f"| {finding['severity']} | {code(finding['rule_id'])} | {code(where)} | {code(finding['message'])} |"


def _change_row(item: dict[str, Any]) -> str:
    return f"| {RISK_LABELS[item['risk']]} | {code(item['file'])} | {change_markdown(item)} |"


class _Budget:
    def __init__(self, chars: int) -> None:
        self.left, self.dropped = chars, 0

    def rows(self, rows: list[str]) -> list[str]:
        kept = []
        for row in rows:
            if len(row) + 1 > self.left:
                self.dropped += 1
                continue
            self.left -= len(row) + 1
            kept.append(row)
        return kept


def render_markdown(report: dict[str, Any], max_chars: int = MAX_CHARS) -> str:
    summary = report["summary"]
    lines = [MARKER, _headline(report), "",
             f"**{_escape(_counts(summary))}** · base {code(report['base']['spec'])}"
             f"{' ' + code(report['base']['commit'][:12]) if report['base'].get('commit') else ''} → head "
             f"{code(report['head']['spec'])}"]
    budget = _Budget(max_chars - 2000)
    change_header = ["", "| Risk | Manifest | Change |", "|---|---|---|"]
    finding_header = ["", "| Severity | Rule | Location | Message |", "|---|---|---|---|"]
    if report["faults"]:
        lines += ["", "### Tool errors", "", "| Location | Message |", "|---|---|"]
        lines += budget.rows([f"| {code(location(f.get('file'), f.get('line'), f.get('column')))} | {code(f['message'])} |"
                              for f in report["faults"]])
    risky = [c for c in report["changes"] if c["risk"] != "low"]
    if risky:
        lines += ["", "### Risk-relevant sourcing changes", *change_header, *budget.rows([_change_row(c) for c in risky])]
    if report["findings"]["new"]:
        lines += ["", "### New findings", *finding_header, *budget.rows([_finding_row(f) for f in report["findings"]["new"]])]
    low = [c for c in report["changes"] if c["risk"] == "low"]
    for title, header, rows in (
        (f"Other changes ({len(low)})", change_header, [_change_row(c) for c in low]),
        (f"Fixed findings ({summary['fixed_findings']})", finding_header, [_finding_row(f) for f in report["findings"]["fixed"]]),
        (f"Unchanged findings ({summary['unchanged_findings']})", finding_header,
         [_finding_row(f) for f in report["findings"]["unchanged"]]),
        (f"Manifests ({summary['files']})", ["", "| Manifest | Status |", "|---|---|"],
         [f"| {code(f['path'])} | {f['status']}{' from ' + code(f['base_path']) if f.get('base_path') else ''} |"
          for f in report["files"]]),
    ):
        if rows:
            lines += ["", f"<details><summary>{title}</summary>", *header, *budget.rows(rows), "", "</details>"]
    if budget.dropped:
        lines += ["", f"_… {plural(budget.dropped, 'more row')} not shown; run `llm-policy diff --format json` for all of them._"]
    tool = report["tool"]
    lines += ["", f"<sub>{_escape(tool['name'])} {_escape(tool['version'])} · diff v{report['diff_version']} · "
                  f"evaluated {_escape(report['evaluation_date'])}</sub>"]
    return "\n".join(lines) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}
