"""Nothing a manifest holds can forge report lines, drive a terminal, run a workflow command,
render live Markdown, or leak what a symlink points at (issue 11, items 18, 19 and 20).

Every test runs the real CLI on a hostile manifest and checks what a CI log, a PR comment or a
SARIF consumer would get.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from conftest import FIXED_DATE, MINIMAL, write

from llm_policy.util.safe_text import UNSAFE, escape_controls, excerpt, quoted

FORGED = "x\n::error file=a::forged\r\nllm-sourcing.yaml: passed\x1b[2J\x9b31m\u2028\u202eevil\u2066"
# Identifier fields (provider, model, ...) are ASCII by schema (item 13), so hostile text reaches
# messages through a free-text field that a policy quotes: here a custom rule echoing project.name.
ECHO_POLICY = """\
# METADATA
# title: Echo the project name
# custom:
#   id: XP001
#   severity: warning
package llm_policy.rules.echo

findings contains {"msg": sprintf("project %s is named", [input.project.name]), "path": ["project", "name"]}
"""
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def hostile(tmp_path: Path) -> Path:
    return write(tmp_path / "llm-sourcing.yaml", MINIMAL.replace("name: p", f"name: {json.dumps(FORGED)}"))


def run(cli: Any, tmp_path: Path, fmt: str, *paths: Path) -> Any:
    policy = write(tmp_path / "policy" / "echo.rego", ECHO_POLICY)
    return cli("check", "--date", FIXED_DATE, "-f", fmt, "--policy", str(policy.parent), *(str(p) for p in paths), cwd=tmp_path)


# --- item 19: control characters ------------------------------------------------------------------


def test_text_output_cannot_forge_lines_or_drive_the_terminal(cli: Any, tmp_path: Path) -> None:
    result = run(cli, tmp_path, "text", hostile(tmp_path))
    assert result.code == 0  # warnings only: the point is the shape of the output
    lines = result.out.splitlines()
    findings = len(re.findall(r"^llm-sourcing\.yaml:\d+:\d+: (?:error|warning|info) ", result.out, re.M))
    assert len(lines) == findings + 1, lines  # one line per finding and the summary, nothing forged
    assert all(line.startswith("llm-sourcing.yaml:") for line in lines[:-1])
    assert lines[-1].startswith("1 manifest checked")
    assert not any(line.startswith("::") or line == "llm-sourcing.yaml: passed" for line in lines)
    assert not RAW_CONTROLS.search(result.out)
    assert "\\n::error file=a::forged\\r\\nllm-sourcing.yaml: passed\\x1b[2J\\x9b31m\\u2028\\u202eevil\\u2066" in result.out


def test_an_unknown_key_with_a_newline_cannot_forge_a_line(cli: Any, tmp_path: Path) -> None:
    manifest = write(tmp_path / "llm-sourcing.yaml",
                     MINIMAL.replace("  owner: o@example.com\n", '  owner: o@example.com\n  "k\\nllm-sourcing.yaml: passed": 1\n'))
    result = run(cli, tmp_path, "text", manifest)
    assert result.code == 1
    assert [line for line in result.out.splitlines() if "LP001" in line] == [
        "llm-sourcing.yaml:5:3: error LP001 `project` has unknown key 'k\\nllm-sourcing.yaml: passed'"]
    assert "\nllm-sourcing.yaml: passed" not in result.out


def test_github_annotations_are_one_command_each_without_escape_sequences(cli: Any, tmp_path: Path) -> None:
    result = run(cli, tmp_path, "github", hostile(tmp_path))
    lines = result.out.splitlines()
    assert {line.split(" ", 1)[0] for line in lines[:-1]} <= {"::warning", "::notice"}
    assert len(lines) == len(re.findall(r"title=(?:LP|XP)", result.out)) + 1 and lines[-1].startswith("llm-policy:")
    assert "\x1b" not in result.out and not RAW_CONTROLS.search(result.out)
    assert "::error" not in result.out.replace("\\n::error", "")  # only as escaped text inside a message


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit"])
def test_machine_formats_carry_no_raw_control_characters(cli: Any, tmp_path: Path, fmt: str) -> None:
    result = run(cli, tmp_path, fmt, hostile(tmp_path))
    if fmt == "junit":
        text = result.out  # XML: any raw control would be in the text itself
    else:
        text = json.dumps(json.loads(result.out), ensure_ascii=False)  # decode \u escapes, re-encode raw
        text = text.replace("\\n", "").replace("\\r", "").replace("\\u001b", "\x1b")
    assert "forged" in text
    assert not RAW_CONTROLS.search(text) and "\x1b" not in text


def test_a_file_name_cannot_start_a_workflow_command(cli: Any, tmp_path: Path) -> None:
    manifest = write(tmp_path / "::error title=x::forged" / "llm-sourcing.yaml", MINIMAL.replace("owner: o@example.com", "owner: [1]"))
    result = run(cli, tmp_path, "text", manifest.parent)
    assert not any(line.startswith("::") for line in result.out.splitlines()), result.out
    assert "./::error title=x::forged/llm-sourcing.yaml:4:3: error LP001" in result.out


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_escaping_removes_every_unsafe_character_and_is_idempotent(text: str) -> None:
    escaped = escape_controls(text)
    assert UNSAFE.search(escaped) is None
    assert escape_controls(escaped) == escaped
    if UNSAFE.search(text) is None:
        assert escaped is text  # clean text is untouched, byte for byte


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1))
def test_any_message_renders_as_exactly_one_text_line(message: str) -> None:
    from llm_policy.findings import FileResult, Finding, Report
    from llm_policy.output import RenderOptions
    from llm_policy.output.text import render

    finding = Finding("LP101", "error", message, "llm-sourcing.yaml", 1, 1)
    out = render(Report("0", FIXED_DATE, files=[FileResult("llm-sourcing.yaml", findings=[finding])]).to_dict(), RenderOptions())
    assert len(out.splitlines()) == 2 and out.count("\n") == 2, repr(out)
    assert not RAW_CONTROLS.search(out)


# --- item 20: Markdown ----------------------------------------------------------------------------

LIVE = "[click](https://evil.example/x) ![i](https://evil.example/i.png) @octocat <img src=x> www.evil.example #1 a|b"


def _outside_code_spans(line: str) -> str:
    """The line with every inline code span removed (fence-aware, as CommonMark matches them)."""
    return re.sub(r"(`+)(?:(?!\1).)+?\1(?!`)", "", line)


def test_markdown_renders_manifest_values_inert(cli: Any, tmp_path: Path) -> None:
    manifest = write(tmp_path / "llm-sourcing.yaml", MINIMAL.replace("name: p", f"name: {json.dumps(LIVE)}"))
    result = run(cli, tmp_path, "markdown", manifest)
    rows = [line for line in result.out.splitlines() if "XP001" in line]
    assert len(rows) == 1
    row = rows[0]
    live = _outside_code_spans(row)
    for needle in ("](https://evil", "@octocat", "<img", "www.evil", "#1"):
        assert needle not in live, (needle, row)
    assert row.replace("\\|", "").count("|") == 5, row  # the `|` in the value does not add a cell


@pytest.mark.parametrize("text", ["a`b", "``x``", "`", "x` ", "@a|b\\|c"])
def test_code_spans_survive_backticks_and_pipes(text: str) -> None:
    from llm_policy.output.markdown import code_span

    span = code_span(text)
    fence = re.match(r"`+", span).group()
    assert span.endswith(fence) and "`" * len(fence) not in span[len(fence):-len(fence)]
    assert "|" not in span.replace("\\|", "")


def test_clean_messages_render_as_before() -> None:
    from llm_policy.output.markdown import cell

    plain = "Source \"gpt4o\" has no DPA (training_opt_out: false); see `sources[0]`"
    assert cell("Cloud API source \"gpt4o\" has no fallback.") == "Cloud API source \"gpt4o\" has no fallback."
    assert cell(plain) == plain  # brackets alone make no link
    assert cell("see [x](https://e.example)").startswith("`")


# --- item 18: symlinks and long values ------------------------------------------------------------

TOKEN = "eyJhbGciOiJIUzI1NiJ9." + "A" * 400 + ".sig"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    write(tmp_path / "secret" / "hosts.yml", TOKEN + "\n")
    write(tmp_path / "outside" / "llm-sourcing.yaml", TOKEN + "\n")
    return root


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown", "github", "junit"])
def test_a_manifest_symlink_leaving_the_root_is_refused_without_reading_it(cli: Any, repo: Path, fmt: str) -> None:
    os.symlink(repo.parent / "secret" / "hosts.yml", repo / "llm-sourcing.yaml")
    result = cli("check", "-f", fmt, cwd=repo)
    assert result.code == 2
    assert "TOKEN" not in result.out and "eyJhbGci" not in result.out + result.err
    assert "symbolic link" in result.out and "llm-sourcing.yaml" in result.out


def test_a_symlinked_directory_leaving_the_root_is_refused(cli: Any, repo: Path) -> None:
    write(repo / "svc" / "llm-sourcing.yaml", MINIMAL)
    os.symlink(repo.parent / "outside", repo / "linked")
    result = cli("check", "-f", "json", cwd=repo)
    assert result.code == 2
    faults = {r["path"]: [f["message"] for f in r["faults"]] for r in result.report["files"]}
    assert "symbolic link" in faults["linked"][0]
    assert faults["svc/llm-sourcing.yaml"] == []  # the rest is still checked
    assert "eyJhbGci" not in result.out
    through = cli("check", "-f", "json", "linked/llm-sourcing.yaml", cwd=repo)
    assert through.code == 2 and "eyJhbGci" not in through.out
    assert "symbolic link" in through.report["files"][0]["faults"][0]["message"]


def test_the_root_reached_through_a_symlinked_working_directory_still_contains(cli: Any, repo: Path) -> None:
    os.symlink(repo.parent / "secret" / "hosts.yml", repo / "llm-sourcing.yaml")
    os.symlink(repo, repo.parent / "alias")
    result = cli("check", "-f", "json", "--root", str(repo), str(repo.parent / "alias" / "llm-sourcing.yaml"), cwd=repo.parent)
    assert result.code == 2 and "eyJhbGci" not in result.out
    assert "symbolic link" in result.report["files"][0]["faults"][0]["message"]


def test_a_symlink_inside_the_root_is_checked_as_usual(cli: Any, repo: Path) -> None:
    write(repo / "real" / "llm-sourcing.yaml", MINIMAL)
    (repo / "svc").mkdir()
    os.symlink(repo / "real" / "llm-sourcing.yaml", repo / "svc" / "llm-sourcing.yaml")
    result = cli("check", "-f", "json", "svc/llm-sourcing.yaml", cwd=repo)
    assert result.code == 0, result.out


def test_a_long_scalar_is_echoed_only_as_a_short_escaped_excerpt(cli: Any, tmp_path: Path) -> None:
    manifest = write(tmp_path / "llm-sourcing.yaml", TOKEN + "\n")
    result = cli("check", "-f", "json", str(manifest), cwd=tmp_path)
    message = result.findings()[0]["message"]
    assert message == f"a manifest must be a YAML mapping, got str {quoted(TOKEN)}"
    assert TOKEN[:40] in message and TOKEN[:41] not in message and "(425 characters)" in message


@pytest.mark.parametrize(
    "edit,needle",
    [
        (lambda m: m.replace("  owner: o@example.com\n", f"  owner: o@example.com\n  {'k' * 300}: 1\n"), "k" * 41),
        (lambda m: m.replace("region: DE", f"region: {'Z' * 300}"), "Z" * 41),
        (lambda m: m.replace("    region: DE\n", "    region: DE\n    dpa: {reference: r, signed: " + "9" * 300 + "}\n"), "9" * 41),
        (lambda m: m + "routing:\n  strategy: single\n  routes:\n    - {name: " + "n" * 300 + ", to: nope}\n", "n" * 41),
    ],
)
def test_schema_and_reference_messages_quote_only_excerpts(cli: Any, tmp_path: Path, edit: Any, needle: str) -> None:
    manifest = write(tmp_path / "llm-sourcing.yaml", edit(MINIMAL))
    result = cli("check", "-f", "json", str(manifest), cwd=tmp_path)
    assert result.code == 1, result.out
    messages = [f["message"] for f in result.findings()]
    assert messages and all(needle not in m for m in messages), messages
    assert any("(300 characters)" in m or "… (" in m for m in messages), messages


def test_excerpt_helpers() -> None:
    assert excerpt("abc") == "abc" and quoted("abc") == "'abc'"
    assert excerpt("a\nb") == "a\\nb"
    assert excerpt("x" * 50) == "x" * 40 + "… (50 characters)"
