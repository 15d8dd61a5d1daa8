"""GitHub annotations: the exact workflow-command syntax, escaping, and the job summary file."""

from __future__ import annotations

import pytest

from llm_policy.findings import FileResult
from llm_policy.output import RenderOptions, get_renderer
from llm_policy.output.github import escape_data, escape_property, write_step_summary
from llm_policy.output.writer import OutputError
from report_builders import MANIFEST_A, MANIFEST_B, erroring_report, failing_report, finding, passing_report, report


def annotations(report_dict: dict) -> list[str]:
    return get_renderer("github")(report_dict, RenderOptions()).splitlines()


def _unescape(value: str, prop: bool) -> str:
    # The order the Actions runner uses: %25 last, so "%253A" stays a literal "%3A".
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else []) + [("%25", "%")]
    for escaped, raw in pairs:
        value = value.replace(escaped, raw)
    return value


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """Parse one workflow command the way the Actions runner does (`::name k=v,k=v::data`)."""
    assert line.startswith("::"), line
    end = line.index("::", 2)
    head, data = line[2:end], line[end + 2:]
    name, _, props = head.partition(" ")
    properties = {}
    for pair in filter(None, props.split(",")):
        key, _, value = pair.partition("=")
        properties[key] = _unescape(value, prop=True)
    return name, properties, _unescape(data, prop=False)


def test_finding_annotation_has_file_position_and_title():
    first = annotations(failing_report())[0]
    assert first == (f"::error file={MANIFEST_A},line=12,col=7,endLine=12,endColumn=15,"
                     "title=LP101 Data class vs sector::source 'gpt4o' receives personal data")


def test_severity_maps_to_command_and_waived_findings_are_notices():
    lines = annotations(failing_report())
    commands = [parse(line) for line in lines if line.startswith("::")]
    assert [(name, props["title"]) for name, props, _ in commands] == [
        ("error", "LP101 Data class vs sector"),
        ("error", "LP101 Data class vs sector"),
        ("warning", "LP104 DPA expires soon"),
        ("notice", "LP204 License obligations (waived)"),
    ]
    name, props, message = commands[-1]
    assert props["file"] == MANIFEST_B and props["line"] == "5" and props["col"] == "14"
    assert message.startswith("Waived (Attribution is in the product's about page; approved by legal@example.com;"
                              " expires 2026-03-01): ")
    assert lines[-1] == ("llm-policy: 2 manifests checked, 2 errors, 1 warning, 0 info, 1 waived, "
                         "0 tool errors: failed")


def test_info_findings_are_notices():
    info = finding("LP204", "info", "attribution required", pointer="/sources/0/license")
    assert annotations(report([FileResult(MANIFEST_A, findings=[info])]))[0].startswith("::notice ")


def test_faults_are_error_annotations_with_or_without_a_file():
    lines = annotations(erroring_report())
    assert lines[0] == ("::error file=policies/custom/deny.rego,line=7,col=3,title=llm-policy policy error"
                        "::rego_parse_error: unexpected eof token")
    assert lines[1] == f"::error file={MANIFEST_B},title=llm-policy io error::cannot read llm-sourcing.yml: permission denied"
    assert lines[-1].endswith(": error")


def test_clean_run_prints_only_the_summary():
    assert annotations(passing_report()) == [
        "llm-policy: 2 manifests checked, 0 errors, 0 warnings, 0 info, 0 waived, 0 tool errors: passed"]


def test_escaping_functions():
    assert escape_data("100% done: a, b\r\nnext") == "100%25 done: a, b%0D%0Anext"
    assert escape_property("100% done: a, b\r\nnext") == "100%25 done%3A a%2C b%0D%0Anext"
    assert escape_data("%0A literal") == "%250A literal"  # an already-escaped-looking value stays literal


def test_message_and_properties_with_percent_colon_comma_and_newlines_round_trip():
    message = "DPA 'a,b' is 100% expired:\nrenew it\r\nnow, please"
    path = "teams/a,b:c/llm-sourcing.yaml"
    tricky = finding(message=message, file=path, title="Title: with, commas")
    (line, _summary) = annotations(report([FileResult(path, findings=[tricky])], rules=[]))
    assert "\n" not in line and "\r" not in line
    name, props, data = parse(line)
    assert name == "error"
    # The finding escaped its message's line breaks when it was made (llm_policy.util.safe_text), so
    # the annotation is one line whose text shows them.
    assert data == "DPA 'a,b' is 100% expired:\\nrenew it\\r\\nnow, please"
    assert props == {"file": path, "line": "12", "col": "7", "title": "LP101 Title: with, commas"}


def test_a_message_cannot_inject_a_second_command():
    evil = finding(message="harmless\n::error file=x.yaml::fake\n::stop-commands::token")
    lines = annotations(report([FileResult(MANIFEST_A, findings=[evil])]))
    assert len(lines) == 2  # the annotation and the summary, nothing injected
    assert sum(line.startswith("::") for line in lines) == 1


def test_step_summary_is_appended_when_the_variable_is_set(tmp_path):
    summary = tmp_path / "step_summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    assert write_step_summary(failing_report(), RenderOptions(), environ=env) == summary
    write_step_summary(passing_report(), RenderOptions(), environ=env)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n")
    assert "## ❌ llm-policy: failed with 2 findings at or above `error`" in text
    assert text.index("❌") < text.index("## ✅ llm-policy: passed")


def test_step_summary_does_nothing_without_the_variable(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert write_step_summary(failing_report(), environ={}) is None
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    assert write_step_summary(failing_report()) is None
    assert list(tmp_path.iterdir()) == []


def test_unwritable_step_summary_is_a_tool_error(tmp_path):
    env = {"GITHUB_STEP_SUMMARY": str(tmp_path / "missing-dir" / "summary.md")}
    with pytest.raises(OutputError, match="cannot append the job summary"):
        write_step_summary(failing_report(), environ=env)


def test_mapping_span_ends_on_its_last_line():
    block = finding(line=10, column=5, end_line=16, end_column=1, pointer="/sources/0/dpa")
    (line, _summary) = annotations(report([FileResult(MANIFEST_A, findings=[block])]))
    _, props, _ = parse(line)
    assert (props["line"], props["col"], props["endLine"]) == ("10", "5", "15") and "endColumn" not in props
