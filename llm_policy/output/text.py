"""`--format text`: one `path:line:col: severity RULE-ID message` line per finding, then a summary.

The line format is what editors' and CI problem matchers parse, so it never changes shape; colour
is added only around whole tokens and only when the caller decided colour is wanted.

Every value printed goes through `escape_controls` (no newline, CR, ESC or bidi control from a
manifest, a file name or a saved report can start a line of its own or drive the terminal), and a
path that would start a line with `::` or `##` (a GitHub workflow command when this output is
shown in an Actions step) is printed as `./path`.
"""

from __future__ import annotations

from typing import Any

from llm_policy.output import RenderOptions
from llm_policy.util.safe_text import escape_controls as _e

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m", "waived": "\033[2m"}
_BOLD, _RESET = "\033[1m", "\033[0m"


def _paint(text: str, style: str, options: RenderOptions) -> str:
    return f"{style}{text}{_RESET}" if options.color else text


def _path(path: Any) -> str:
    """A file path as the first token of a line: escaped, and never the start of a workflow command."""
    text = _e(path)
    return "./" + text if text.startswith(("::", "##")) else text


def _finding_line(finding: dict[str, Any], options: RenderOptions) -> str:
    severity = finding["severity"]
    location = f"{_path(finding['file'])}:{finding['line']}:{finding['column']}"
    line = (
        f"{_paint(location, _BOLD, options)}: {_paint(severity, _COLORS[severity], options)} "
        f"{_e(finding['rule_id'])} {_e(finding['message'])}"
    )
    waiver = finding.get("waiver")
    if waiver:
        note = f" [waived: {_e(waiver['justification'])} (approved by {_e(waiver['approved_by'])}"
        note += f", expires {_e(waiver['expires'])})]" if waiver.get("expires") else ")]"
        line = _paint(line + note, _COLORS["waived"], options) if options.color else line + note
    if finding.get("baseline_state") == "unchanged":
        line += " [baseline]"  # check --baseline: known before, does not fail the run
    return line


def _fault_line(fault: dict[str, Any], options: RenderOptions) -> str:
    where = _path(fault["file"]) if fault.get("file") else "llm-policy"
    if fault.get("line"):
        where += f":{fault['line']}"
        if fault.get("column"):
            where += f":{fault['column']}"
    return f"{_paint(where, _BOLD, options)}: {_paint('error', _COLORS['error'], options)} [{_e(fault['kind'])}] {_e(fault['message'])}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render(report: dict[str, Any], options: RenderOptions) -> str:
    lines = fault_lines(report["faults"], options)
    for result in report["files"]:
        lines += file_lines(result, options)
    lines.append(summary_line(report["summary"], options))
    return "\n".join(lines) + "\n"


# The pieces of `render`, in its order, for a run that streams results as they come (`llm_policy.run.batch`):
# run-level faults, then each file's lines, then the summary. Same functions, so the same bytes.


def fault_lines(faults: list[dict[str, Any]], options: RenderOptions) -> list[str]:
    return [_fault_line(fault, options) for fault in faults]


def file_lines(result: dict[str, Any], options: RenderOptions) -> list[str]:
    """The lines of one entry of the report's `files`."""
    lines = [_fault_line(fault, options) for fault in result["faults"]]
    lines += [_finding_line(finding, options) for finding in result["findings"]]
    if options.verbose and result["status"] == "passed":
        lines.append(f"{_path(result['path'])}: passed")
    return lines


def summary_line(s: dict[str, Any], options: RenderOptions) -> str:
    parts = [
        _plural(s["files"], "manifest") + " checked",
        _plural(s["errors"], "error"),
        _plural(s["warnings"], "warning"),
        f"{s['infos']} info",
    ]
    if s["waived"]:
        parts.append(f"{s['waived']} waived")
    if s.get("baseline"):
        parts.append(f"{s['baseline']} in baseline")
    if s["faults"]:
        parts.append(_plural(s["faults"], "tool error"))
    summary = ", ".join(parts)
    if s["faults"]:
        summary = _paint(summary, _COLORS["error"], options)
    elif s["errors"] == 0 and s["warnings"] == 0:
        summary = _paint(summary, "\033[32m", options)
    return summary
