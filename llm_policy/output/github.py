"""`--format github`: GitHub Actions workflow commands, so findings show as annotations on the PR diff.

Each finding becomes `::error|warning|notice file=…,line=…,col=…,endLine=…,endColumn=…,title=RULE Title::message`
(error -> error, warning -> warning, info -> notice). Waived findings are notices that say they are
waived and why; tool faults are errors. Values are escaped exactly as the Actions toolkit does
(`%`, CR, LF in the message; additionally `:` and `,` in properties), so a message cannot end the
command early or smuggle in a second command; before that every control character (ESC
included), line separator and bidi control becomes a visible escape (`llm_policy.util.safe_text`),
so nothing a manifest holds reaches the log as a raw control. A plain summary line closes the output.

`render` stays pure (it returns text); `write_step_summary` is the side effect: it appends the
Markdown report to the file named by `$GITHUB_STEP_SUMMARY` when that variable is set. The CLI
calls it when a `github` output is requested, so the summary is written once per run.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping, Optional

from llm_policy.output import RenderOptions
from llm_policy.output._report import all_faults, iter_findings, plural, rule_title, rules_by_id, span_end, verdict
from llm_policy.util.safe_text import escape_controls

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
SUMMARY_ENV = "GITHUB_STEP_SUMMARY"


def escape_data(value: Any) -> str:
    """Escape a command's message (after `::`): the toolkit's escapes (`%`, CR, LF), then every other
    control character (ESC included), line separator and bidi control as a visible escape."""
    text = str(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return escape_controls(text)


def escape_property(value: Any) -> str:
    """Escape a property value (`file=`, `title=`, ...): data escaping plus `:` and `,`."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: Any) -> str:
    """One workflow command line; properties whose value is None or 0 are left out."""
    props = ",".join(f"{key}={escape_property(val)}" for key, val in properties.items() if val)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def _position(item: dict[str, Any]) -> dict[str, Any]:
    line, col = item.get("line"), item.get("column")
    end_line, end_col = span_end(line, item.get("end_line"), item.get("end_column"))
    pos: dict[str, Any] = {"line": line, "col": col}
    if line and end_line and end_line >= line:
        pos["endLine"] = end_line
        # GitHub ignores columns on multi-line annotations; keep them only on one line.
        if end_line == line and end_col and col and end_col >= col:
            pos["endColumn"] = end_col
    return pos


def _finding_command(finding: dict[str, Any], rules: dict[str, dict[str, Any]]) -> str:
    title = rule_title(finding, rules)
    label = f"{finding['rule_id']} {title}" if title else finding["rule_id"]
    waiver = finding.get("waiver")
    if waiver is None and finding.get("baseline_state") == "unchanged":  # check --baseline: known, not failing
        return command("notice", f"In the baseline: {finding['message']}", file=finding["file"], **_position(finding),
                       title=f"{label} (baseline)")
    if waiver is None:
        return command(COMMANDS[finding["severity"]], finding["message"], file=finding["file"],
                       **_position(finding), title=label)
    why = waiver.get("justification") or "no justification given"
    by = waiver.get("approved_by")
    expires = waiver.get("expires")
    note = f"Waived ({why}" + (f"; approved by {by}" if by else "") + (f"; expires {expires}" if expires else "")
    return command("notice", f"{note}): {finding['message']}", file=finding["file"], **_position(finding),
                   title=f"{label} (waived)")


def _fault_command(fault: dict[str, Any]) -> str:
    return command("error", fault["message"], file=fault.get("file"), line=fault.get("line"),
                   col=fault.get("column"), title=f"llm-policy {fault['kind']} error")


def _summary_line(report: dict[str, Any], fail_on: str) -> str:
    s = report["summary"]
    parts = [plural(s["files"], "manifest") + " checked", plural(s["errors"], "error"),
             plural(s["warnings"], "warning"), f"{s['infos']} info", f"{s['waived']} waived",
             plural(s["faults"], "tool error")]
    return f"llm-policy: {', '.join(parts)}: {verdict(report, fail_on)}"


def render(report: dict[str, Any], options: RenderOptions) -> str:
    rules = rules_by_id(report)
    lines = [_fault_command(fault) for fault in all_faults(report)]
    lines += [_finding_command(finding, rules) for _, finding in iter_findings(report)]
    lines.append(_summary_line(report, options.fail_on))
    return "\n".join(lines) + "\n"


def write_step_summary(report: dict[str, Any], options: Optional[RenderOptions] = None,
                       environ: Optional[Mapping[str, str]] = None) -> Optional[Path]:
    """Append the Markdown report to `$GITHUB_STEP_SUMMARY`; return the path written, or None if unset.

    Raises `llm_policy.output.writer.OutputError` when the file cannot be written (fail closed: a
    gate that was asked for a summary and could not write one is a tool error).
    """
    from llm_policy.output.markdown import build
    from llm_policy.output.writer import OutputError

    target = (os.environ if environ is None else environ).get(SUMMARY_ENV)
    if not target:
        return None
    body = build(report, (options or RenderOptions()).fail_on)
    path = Path(target)
    try:
        with path.open("a", encoding="utf-8", newline="\n") as handle:
            handle.write(body + "\n")
    except OSError as exc:
        raise OutputError(f"cannot append the job summary to {path} (${SUMMARY_ENV}): {exc.strerror or exc}") from exc
    return path
