"""`check --format compliance-md` and `compliance-html` (and `llm-policy report`): the document an
auditor or DPO signs off, per manifest and framework. Both are views of the versioned JSON report
plus the manifests it names (llm_policy.compliance.model); the HTML is one self-contained file
(inline CSS, no script, no external asset) that prints to PDF."""

from __future__ import annotations

import html
from typing import Any

from llm_policy.compliance.model import Control, ManifestCompliance, build

STATUS_LABEL = {"fail": "FAIL", "needs evidence": "NEEDS EVIDENCE", "pass": "PASS", "not applicable": "N/A",
                "not in scope": "NOT IN SCOPE", "not selected": "NOT SELECTED (implied by the manifest; its rules did not run)"}


def _md(text: Any) -> str:
    """Plain text for a Markdown table cell: no pipe, no newline, no HTML."""
    return html.escape(str(text), quote=False).replace("|", "\\|").replace("\n", " ").replace("`", "'")


def _code(value: str) -> str:
    """A manifest value as a code span: it cannot render as a link, an image or a mention."""
    return "`" + _md(value).replace("`", "'") + "`"


def _waiver_text(finding: dict[str, Any]) -> str:
    w = finding["waiver"]
    expiry = f", expires {w['expires']}" if w.get("expires") else ", no expiry"
    return f"{finding['rule_id']} waived by {w.get('approved_by')}{expiry}: {w.get('justification')}"


def _finding_text(finding: dict[str, Any]) -> str:
    return f"{finding['severity']} {finding['rule_id']} at {finding['file']}:{finding['line']}:{finding['column']}: {finding['message']}"


def render_markdown(report: dict[str, Any], options: Any = None) -> str:
    out = ["# Compliance report", "",
           f"Evaluation date: {_md(report.get('evaluation_date'))}. Tool: llm-policy {_md(report['tool']['version'])}.", ""]
    if report.get("frameworks"):
        out += [f"Frameworks selected on the command line: {_md(', '.join(report['frameworks']))}.", ""]
    for fault in report.get("faults", []):
        out += [f"**Run fault ({_md(fault.get('kind'))}):** {_md(fault.get('message'))}", ""]
    for manifest in build(report):
        out += _manifest_md(manifest)
    out += ["Statuses: FAIL (an unwaived error), NEEDS EVIDENCE (an unwaived warning), PASS (no unwaived finding, "
            "and evidence cited or findings waived), N/A (no rule found a duty and nothing is cited). "
            "Coverage and limits of each framework: docs/frameworks/.", ""]
    return "\n".join(out)


def _manifest_md(m: ManifestCompliance) -> list[str]:
    out = [f"## {_md(m.path)}", ""]
    if m.scope_note:
        out += [f"> Note: {_md(m.scope_note)}", ""]
    out += ["| Framework | Status |", "| --- | --- |"]
    out += [f"| {_md(fw.title)} (`{fw.id}`) | {STATUS_LABEL[fw.status]} |" for fw in m.frameworks]
    out.append("")
    for fw in m.frameworks:
        if not fw.in_scope:
            continue
        out += [f"### {_md(fw.title)}", "", f"Source: {_md(fw.source)}", "",
                "| Control | Status | Rules | Findings | Evidence cited | Waivers |", "| --- | --- | --- | --- | --- | --- |"]
        for c in fw.controls:
            out.append("| " + " | ".join([
                f"{_md(c.id)}: {_md(c.title)}", STATUS_LABEL[c.status], ", ".join(c.rules),
                "<br>".join(_md(_finding_text(f)) for f in c.findings) or "none",
                "<br>".join(f"{_md(e.path)} = {_code(e.value)}" for e in c.evidence) or "none",
                "<br>".join(_md(_waiver_text(f)) for f in c.waived) or "none",
            ]) + " |")
        out.append("")
    if m.other:
        out += ["### Findings of framework-neutral rules", ""]
        out += [f"- {_md(_finding_text(f))}" + (f" (waived: {_md(_waiver_text(f))})" if f.get("waiver") else "") for f in m.other]
        out.append("")
    return out


CSS = """
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;margin:2rem auto;max-width:72rem;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;border-bottom:2px solid #333;padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.05rem;margin:1.4rem 0 .4rem}table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}
th,td{border:1px solid #bbb;padding:.3rem .45rem;text-align:left;vertical-align:top}th{background:#f0f0f0}
.status{font-weight:700;white-space:nowrap}.fail{color:#a40000}.needs-evidence{color:#8a5a00}.pass{color:#0b6b1d}
.not-applicable,.not-in-scope{color:#666}.not-selected{color:#8a5a00}.note{border-left:4px solid #8a5a00;padding:.3rem .6rem;background:#fff8e6}
ul{margin:0;padding-left:1.1rem}.meta{color:#555}code{font-size:.92em}
@media print{body{margin:0;max-width:none;font-size:10.5pt}h2{page-break-before:always}h2:first-of-type{page-break-before:avoid}
tr,td,th{page-break-inside:avoid}a{color:inherit;text-decoration:none}}
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _status_html(status: str) -> str:
    return f'<span class="status {status.replace(" ", "-")}">{STATUS_LABEL[status]}</span>'


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>" if items else "none"


def render_html(report: dict[str, Any], options: Any = None) -> str:
    parts = ['<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             "<title>Compliance report</title>", f"<style>{CSS}</style></head><body>",
             "<h1>Compliance report</h1>",
             f'<p class="meta">Evaluation date {_e(report.get("evaluation_date"))} &middot; llm-policy {_e(report["tool"]["version"])}</p>']
    if report.get("frameworks"):
        parts.append(f'<p class="meta">Frameworks selected on the command line: {_e(", ".join(report["frameworks"]))}</p>')
    for fault in report.get("faults", []):
        parts.append(f'<p class="note">Run fault ({_e(fault.get("kind"))}): {_e(fault.get("message"))}</p>')
    for m in build(report):
        parts.append(f"<h2>{_e(m.path)}</h2>")
        if m.scope_note:
            parts.append(f'<p class="note">{_e(m.scope_note)}</p>')
        parts.append("<table><thead><tr><th>Framework</th><th>Status</th></tr></thead><tbody>")
        parts += [f"<tr><td>{_e(fw.title)} (<code>{_e(fw.id)}</code>)</td><td>{_status_html(fw.status)}</td></tr>" for fw in m.frameworks]
        parts.append("</tbody></table>")
        for fw in m.frameworks:
            if fw.in_scope:
                parts.append(f'<h3 id="{_e(fw.id)}">{_e(fw.title)}</h3><p class="meta">Source: {_e(fw.source)}</p>')
                parts.append("<table><thead><tr><th>Control</th><th>Status</th><th>Rules</th><th>Findings</th>"
                             "<th>Evidence cited</th><th>Waivers</th></tr></thead><tbody>")
                parts += [_control_html(c) for c in fw.controls]
                parts.append("</tbody></table>")
        if m.other:
            parts.append("<h3>Findings of framework-neutral rules</h3>")
            parts.append(_list([_e(_finding_text(f)) + (f" (waived: {_e(_waiver_text(f))})" if f.get("waiver") else "") for f in m.other]))
    parts.append('<p class="meta">FAIL: an unwaived error. NEEDS EVIDENCE: an unwaived warning. PASS: no unwaived '
                 "finding, and evidence cited or findings waived. N/A: no rule found a duty and nothing is cited. "
                 "What each framework covers, and what it does not: docs/frameworks/.</p></body></html>\n")
    return "\n".join(parts)


def _control_html(c: Control) -> str:
    return ("<tr>" f"<td><strong>{_e(c.id)}</strong><br>{_e(c.title)}</td><td>{_status_html(c.status)}</td>"
            f"<td>{_e(', '.join(c.rules))}</td>"
            f"<td>{_list([_e(_finding_text(f)) for f in c.findings])}</td>"
            f"<td>{_list([f'<code>{_e(e.path)}</code> = {_e(e.value)}' for e in c.evidence])}</td>"
            f"<td>{_list([_e(_waiver_text(f)) for f in c.waived])}</td></tr>")
