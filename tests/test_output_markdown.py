"""Markdown PR comment: verdict heading, counts, findings linked to rule docs, safe table cells."""

from __future__ import annotations

from llm_policy.findings import Fault, FileResult
from llm_policy.output import RenderOptions, get_renderer
from llm_policy.output.markdown import MARKER, build, cell
from report_builders import MANIFEST_A, MANIFEST_B, erroring_report, failing_report, finding, passing_report, report


def markdown(report_dict: dict, fail_on: str = "error") -> str:
    return get_renderer("markdown")(report_dict, RenderOptions(fail_on=fail_on))


def section(text: str, title: str) -> list[str]:
    """The table rows under `### title` (header and separator excluded)."""
    lines = text.splitlines()
    start = lines.index(f"### {title}") + 4
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def test_failing_report_heading_counts_and_findings_table():
    text = markdown(failing_report())
    lines = text.splitlines()
    assert lines[0] == MARKER
    assert lines[1] == "## ❌ llm-policy: failed with 2 findings at or above `error`"
    assert "| Manifests | Passed | Failed | Errored | Errors | Warnings | Info | Waived | Tool errors |" in lines
    assert "| 2 | 1 | 1 | 0 | 2 | 1 | 0 | 1 | 0 |" in lines
    rows = section(text, "Findings")
    assert rows[0] == (f"| 🔴 error | [LP101](https://llm-policy.example/rules/LP101) Data class vs sector | "
                       f"`{MANIFEST_A}:12:7` | source 'gpt4o' receives personal data |")
    assert rows[2].startswith("| 🟡 warning | [LP104](https://llm-policy.example/rules/LP104) DPA expires soon |")
    assert len(rows) == 3
    assert "Tool errors" not in text.replace("| Tool errors |", "")


def test_rule_without_docs_link_is_plain_text():
    info = finding("LP204", "info", "attribution required", pointer="/sources/0/license")
    rows = section(markdown(report([FileResult(MANIFEST_A, findings=[info])])), "Findings")
    assert rows == [f"| 🔵 info | LP204 License obligations | `{MANIFEST_A}:12:7` | attribution required |"]


def test_waived_section_shows_justification_approver_and_expiry():
    rows = section(markdown(failing_report()), "Waived findings")
    assert rows == [f"| LP204 License obligations | `{MANIFEST_B}:5:14` | llama3-community requires 'Built with Llama' "
                    "attribution | Attribution is in the product's about page | `legal@example.com` | 2026-03-01 |"]


def test_verdict_follows_fail_on():
    assert "## ✅ llm-policy: passed with 3 findings below the threshold" in markdown(failing_report(), "never")
    assert "## ❌ llm-policy: failed with 3 findings at or above `warning`" in markdown(failing_report(), "warning")
    assert "Report only (`--fail-on never`)" in markdown(failing_report(), "never")


def test_faults_section_and_error_heading():
    text = markdown(erroring_report())
    assert text.splitlines()[1] == "## ⛔ llm-policy: 2 tool errors, the check did not complete"
    assert section(text, "Tool errors") == [
        "| policy | `policies/custom/deny.rego:7:3` | rego_parse_error: unexpected eof token |",
        f"| io | `{MANIFEST_B}` | cannot read llm-sourcing.yml: permission denied |",
    ]
    assert text.index("### Tool errors") < text.index("### Findings")


def test_clean_run_says_so_without_empty_tables():
    text = markdown(passing_report())
    assert text.splitlines()[1] == "## ✅ llm-policy: passed"
    assert "No findings: 3 rules passed on 2 manifests." in text
    assert "### " not in text


def test_nothing_checked_is_not_a_pass():
    text = markdown(report([]))
    assert "## ⛔ llm-policy: no manifest was checked" in text
    assert "No findings" not in text


def test_cells_escape_pipes_newlines_and_html():
    # line breaks are shown as escapes: a value never spans lines (llm_policy.util.safe_text)
    assert cell("a | b\nc\r\nd <script>&") == "a \\| b\\\\nc\\\\r\\\\nd &lt;script&gt;&amp;"
    nasty = finding(message="uses | pipes\nand <b>html</b>", file="dir|x/llm-sourcing.yaml")
    rows = section(markdown(report([FileResult("dir|x/llm-sourcing.yaml", findings=[nasty])])), "Findings")
    assert len(rows) == 1
    assert rows[0].endswith("| `dir\\|x/llm-sourcing.yaml:12:7` | uses \\| pipes\\\\nand &lt;b&gt;html&lt;/b&gt; |")
    assert rows[0].replace("\\|", "").count("|") == 5  # exactly four cells


def test_long_reports_are_cut_with_a_note_to_stay_under_the_comment_limit():
    many = [finding(line=i, message="x" * 200) for i in range(1, 2001)]
    text = build(report([FileResult(MANIFEST_A, findings=many)]), max_chars=20_000)
    assert len(text) < 20_000
    assert "more rows not shown; see the SARIF or JSON report" in text
    assert text.rstrip().endswith("</sub>")


def test_run_level_fault_without_file():
    text = markdown(report([FileResult(MANIFEST_A)], faults=[Fault("config", "unknown key `fail_on` in .llm-policy.yaml")]))
    assert section(text, "Tool errors") == ["| config | — | unknown key `fail_on` in .llm-policy.yaml |"]
