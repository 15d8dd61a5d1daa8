"""`--format markdown`: a pull-request comment body (also the GitHub job summary).

Layout: a hidden marker (`<!-- llm-policy-report -->`, so a workflow can find and update its own
earlier comment), a heading with the verdict under `--fail-on`, a counts table, then tables of
findings, waived findings and tool errors, each only when non-empty. A clean run says so in one line.

Values are rendered inert (`cell`): control characters become visible escapes, text that GitHub
would turn into a link, an image, a mention or an issue reference is shown as a code span, and
everything else escapes `|`, HTML-special characters and backslashes, so a message can never
break the table, inject markup or notify anyone. Rule ids link to the rule's `help_uri`. GitHub caps a comment at 65,536
characters, so rows stop at `max_chars` with a note that points to the full SARIF/JSON report.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from llm_policy.output import RenderOptions
from llm_policy.output._report import (
    all_faults,
    fails_run,
    in_baseline,
    is_waived,
    iter_findings,
    location,
    plural,
    rule_title,
    rules_by_id,
    verdict,
)
from llm_policy.util.safe_text import escape_controls

MARKER = "<!-- llm-policy-report -->"
DEFAULT_MAX_CHARS = 60_000
SEVERITY_LABELS = {"error": "🔴 error", "warning": "🟡 warning", "info": "🔵 info"}
_NEWLINES = re.compile(r"\r\n|\r|\n")


# What GitHub would turn into something live: inline links and images (`](`; reference links
# need a definition at the start of a line, which a table cell cannot hold), @mentions and e-mail
# autolinks (@), URL autolinks (://, www.) and issue references (#123). A value holding any of
# these is shown as a code span, where none of them (nor HTML, emphasis or entities) is parsed.
_ACTIVE = re.compile(r"\]\(|@|://|www\.|#\d", re.IGNORECASE)
_BACKTICKS = re.compile(r"`+")


def code_span(text: str) -> str:
    """`text` as one inline code span that survives any backticks in it and a table cell's pipes."""
    if not text:
        return ""
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    # GFM splits table cells before inline parsing, even inside code spans: a pipe must be `\|`
    # (shown as `|`); a backslash right before a pipe is kept apart so it cannot escape the escape.
    body = text.replace("\\|", "\\ |").replace("|", "\\|")
    return f"{fence}{pad}{body}{pad}{fence}"


def cell(text: Any) -> str:
    """Make any text safe and inert inside one Markdown table cell.

    Control characters become visible escapes first (`llm_policy.util.safe_text`). Text that could
    render as a link, an image, a mention or a reference becomes a code span; anything else is
    escaped as plain text (HTML-special characters, `|`, backslashes), which leaves ordinary
    messages exactly as they were.
    """
    value = escape_controls(text if text is not None else "")
    if _ACTIVE.search(value):
        return code_span(value.strip())
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = value.replace("\\", "\\\\").replace("|", "\\|")
    return _NEWLINES.sub("<br>", value).strip()


def code_cell(text: str) -> str:
    """A location as inline code (escaped, with a fence longer than any backtick run in it)."""
    return code_span(escape_controls(text))


def _link(uri: Optional[str], label: str) -> str:
    if not uri or not re.match(r"^https?://", uri):
        return label
    safe = uri.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("|", "%7C")
    return f"[{label}]({safe})"


def _rule_cell(finding: dict[str, Any], rules: dict[str, dict[str, Any]]) -> str:
    rule = rules.get(finding["rule_id"], {})
    label = _link(rule.get("help_uri"), cell(finding["rule_id"]))
    title = rule_title(finding, rules)
    return f"{label} {cell(title)}" if title else label


def _heading(report: dict[str, Any], fail_on: str) -> str:
    outcome = verdict(report, fail_on)
    summary = report["summary"]
    if outcome == "error":
        return f"## ⛔ llm-policy: {plural(summary['faults'], 'tool error')}, the check did not complete"
    if outcome == "empty":
        return "## ⛔ llm-policy: no manifest was checked"
    if outcome == "failed":
        failing = sum(1 for _, f in iter_findings(report) if fails_run(f, fail_on))
        return f"## ❌ llm-policy: failed with {plural(failing, 'finding')} at or above `{fail_on}`"
    open_findings = summary["errors"] + summary["warnings"] + summary["infos"]
    if open_findings:
        return f"## ✅ llm-policy: passed with {plural(open_findings, 'finding')} below the threshold"
    return "## ✅ llm-policy: passed"


def _counts(summary: dict[str, Any]) -> list[str]:
    columns = [("Manifests", "files"), ("Passed", "passed"), ("Failed", "failed"), ("Errored", "errored"),
               ("Errors", "errors"), ("Warnings", "warnings"), ("Info", "infos"), ("Waived", "waived"),
               ("Tool errors", "faults")]
    return [
        "| " + " | ".join(name for name, _ in columns) + " |",
        "|" + "---:|" * len(columns),
        "| " + " | ".join(str(summary.get(key, 0)) for _, key in columns) + " |",
    ]


class _Budget:
    """Stops adding table rows once the body would exceed GitHub's comment size."""

    def __init__(self, max_chars: int) -> None:
        self.left = max_chars
        self.dropped = 0

    def take(self, row: str) -> bool:
        if len(row) + 1 > self.left:
            self.dropped += 1
            return False
        self.left -= len(row) + 1
        return True


def _table(title: str, header: list[str], rows: list[str], budget: _Budget) -> list[str]:
    if not rows:
        return []
    out = ["", f"### {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += [row for row in rows if budget.take(row)]
    return out


def build(report: dict[str, Any], fail_on: str = "error", max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """The Markdown document (what `render` prints and `write_step_summary` appends)."""
    rules = rules_by_id(report)
    lines = [MARKER, _heading(report, fail_on), ""]
    lines += _counts(report["summary"])
    if fail_on != "never":
        lines += ["", f"Fails on findings of severity `{fail_on}` and above; waived findings never fail."]
    else:
        lines += ["", "Report only (`--fail-on never`): findings do not fail the run."]
    budget = _Budget(max_chars - sum(len(line) + 1 for line in lines) - 500)

    open_rows, waived_rows, baseline_rows = [], [], []
    for _, finding in iter_findings(report):
        where = code_cell(location(finding["file"], finding.get("line"), finding.get("column")))
        if is_waived(finding):
            waiver = finding["waiver"]
            waived_rows.append(
                f"| {_rule_cell(finding, rules)} | {where} | {cell(finding['message'])} | "
                f"{cell(waiver.get('justification'))} | {cell(waiver.get('approved_by'))} | "
                f"{cell(waiver.get('expires') or '—')} |"
            )
        elif in_baseline(finding):
            baseline_rows.append(f"| {SEVERITY_LABELS.get(finding['severity'], cell(finding['severity']))} | "
                                 f"{_rule_cell(finding, rules)} | {where} | {cell(finding['message'])} |")
        else:
            open_rows.append(
                f"| {SEVERITY_LABELS.get(finding['severity'], cell(finding['severity']))} | "
                f"{_rule_cell(finding, rules)} | {where} | {cell(finding['message'])} |"
            )
    fault_rows = [
        f"| {cell(f['kind'])} | {code_cell(location(f['file'], f.get('line'), f.get('column'))) if f.get('file') else '—'} | "
        f"{cell(f['message'])} |"
        for f in all_faults(report)
    ]

    # Tool errors first: when the check did not complete, that is what the reader must see.
    lines += _table("Tool errors", ["Kind", "Location", "Message"], fault_rows, budget)
    lines += _table("Findings", ["Severity", "Rule", "Location", "Message"], open_rows, budget)
    lines += _table("Waived findings", ["Rule", "Location", "Message", "Justification", "Approved by", "Expires"],
                    waived_rows, budget)
    lines += _table("Findings in the baseline (do not fail the run)", ["Severity", "Rule", "Location", "Message"],
                    baseline_rows, budget)
    if report.get("baseline"):
        absent = len(report["baseline"].get("absent", []))
        lines += ["", f"Baseline {code_cell(str(report['baseline'].get('source', '')))}: {plural(absent, 'finding')} fixed since."]
    if budget.dropped:
        lines += ["", f"_… {plural(budget.dropped, 'more row')} not shown; see the SARIF or JSON report for all of them._"]
    if not (open_rows or waived_rows or baseline_rows or fault_rows) and report.get("files"):
        lines += ["", f"No findings: {plural(len(rules), 'rule')} passed on "
                      f"{plural(report['summary']['files'], 'manifest')}."]

    tool = report.get("tool", {})
    lines += ["", f"<sub>{cell(tool.get('name', 'llm-policy'))} {cell(tool.get('version', ''))} · "
                  f"report v{cell(report.get('report_version', ''))} · evaluated {cell(report.get('evaluation_date', ''))}</sub>"]
    return "\n".join(lines) + "\n"


def render(report: dict[str, Any], options: RenderOptions) -> str:
    return build(report, options.fail_on)
