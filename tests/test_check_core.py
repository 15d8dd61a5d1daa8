"""`llm-policy check` end to end on the examples: exit codes, rule ids, messages, positions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, FIXED_DATE, MINIMAL, REPO, write

VALID = sorted(p.parent.name for p in (EXAMPLES / "valid").glob("*/llm-sourcing.yaml"))


def test_there_is_a_valid_example_per_sourcing_pattern():
    assert {"open-source-self-hosted", "cloud-api", "private-deployment", "specialised-code-model",
            "hybrid-layered-fallback"} <= set(VALID)


@pytest.mark.parametrize("name", VALID)
def test_valid_examples_pass(cli, name):
    result = cli("check", f"examples/valid/{name}", "--date", FIXED_DATE, "--format", "json")
    assert result.code == 0, result.out
    errors = [f for f in result.findings() if f["severity"] == "error"]
    assert errors == []


def located(result):
    return [(f["rule_id"], f["line"], f["column"]) for f in result.findings()]


def test_yaml_syntax_error_is_a_located_finding(cli):
    result = cli("check", "examples/invalid/yaml-syntax", "--format", "json")
    assert result.code == 1
    assert located(result) == [("LP000", 8, 8)]
    assert "flow sequence started at line 7, column 12" in result.findings()[0]["message"]


def test_schema_errors_each_point_at_their_node(cli):
    result = cli("check", "examples/invalid/schema-errors", "--format", "json")
    assert result.code == 1
    assert located(result) == [
        ("LP001", 3, 1),  # missing owner: the mapping that lacks it
        ("LP001", 6, 20),  # wrong type: the value
        ("LP001", 9, 23),  # bad enum: the list item
        ("LP001", 18, 7),  # unknown key: the key itself
        ("LP001", 20, 16),  # bad date: the value
    ]
    messages = [f["message"] for f in result.findings()]
    assert messages == [
        "`project` is missing required key 'owner'",
        "`project.customer_facing` must be a boolean (true or false), got string 'yes'",
        "`data.classes[1]` must be one of public, internal, confidential, personal, special_category, payment, "
        "financial, state_secret; got string 'secret' (did you mean 'state_secret'?)",
        "`sources[0].dpa` has unknown key 'singed' (did you mean 'signed'?)",
        "`sources[0].dpa.expires` is not a date: '2027-13-01' (expected YYYY-MM-DD)",
    ]
    pointers = [f["pointer"] for f in result.findings()]
    assert pointers[-1] == "/sources/0/dpa/expires"
    assert result.findings()[-1]["source_id"] == "gpt4o"


def test_dangling_references(cli):
    result = cli("check", "examples/invalid/dangling-reference", "--format", "json")
    assert result.code == 1
    assert located(result) == [("LP002", 16, 28), ("LP002", 22, 34)]
    assert "unknown source 'mistral-large'" in result.findings()[1]["message"]




@pytest.mark.parametrize(
    ("old", "new", "rule", "line", "column", "message"),
    [
        ("apiVersion: llm-policy/v1", "apiVersion: v1", "LP001", 1, 13, "`apiVersion` must be 'llm-policy/v1'"),
        ("    license: Apache-2.0\n", "", "LP001", 8, 5, "`sources[0]` is missing required key 'license'"),
        ("sector: open_source", "sector: opensource", "LP001", 9, 13, "did you mean 'open_source'?"),
        ("region: DE", "region: Germany", "LP001", 13, 13, "`sources[0].region` has an invalid value 'Germany'"),
        ("  - id: s", "  - id: My_Source", "LP001", 8, 9, "`sources[0].id` has an invalid value 'My_Source'"),
        ("classes: [public]", "classes: []", "LP001", 6, 3, "`data.classes` must not be empty"),
        ("    hosting: on_prem\n", "    hosting: on_prem\n    data_classes: [personal]\n", "LP002", 13, 20,
         "receives data class 'personal', which data.classes does not declare"),
    ],
)
def test_each_kind_of_mistake(cli, tmp_path, old, new, rule, line, column, message):
    assert old in MINIMAL
    manifest = write(tmp_path / "llm-sourcing.yaml", MINIMAL.replace(old, new))
    result = cli("check", str(manifest), "--format", "json")
    assert result.code == 1
    finding = result.findings()[0]
    assert (finding["rule_id"], finding["line"], finding["column"]) == (rule, line, column)
    assert message in finding["message"]


def test_text_format_is_one_parseable_line_per_finding(cli):
    result = cli("check", "examples/invalid/schema-errors", "--no-color")
    lines = result.out.splitlines()
    assert lines[0] == "examples/invalid/schema-errors/llm-sourcing.yaml:3:1: error LP001 `project` is missing required key 'owner'"
    assert lines[-1] == "1 manifest checked, 5 errors, 0 warnings, 0 info"
    assert "\033[" not in result.out


def test_colour_only_when_asked_or_on_a_tty(cli):
    assert "\033[31m" in cli("check", "examples/invalid/schema-errors", "--color", "always").out
    assert "\033[" not in cli("check", "examples/invalid/schema-errors").out  # captured stdout is not a TTY


def test_directories_are_searched_and_excludes_respected(cli, tmp_path):
    write(tmp_path / "a" / "llm-sourcing.yaml", MINIMAL)
    write(tmp_path / "b" / "llm-sourcing.yml", MINIMAL)
    write(tmp_path / "node_modules" / "x" / "llm-sourcing.yaml", "broken: [")
    write(tmp_path / ".git" / "llm-sourcing.yaml", "broken: [")
    write(tmp_path / "other.yaml", "broken: [")
    result = cli("check", "--format", "json", cwd=tmp_path)
    assert result.code == 0
    assert [f["path"] for f in result.report["files"]] == ["a/llm-sourcing.yaml", "b/llm-sourcing.yml"]


def test_nothing_to_check_is_an_error_unless_allowed(cli, tmp_path):
    result = cli("check", str(tmp_path))
    assert result.code == 2
    assert "no llm-sourcing.yaml found" in result.err
    assert cli("check", str(tmp_path), "--allow-empty").code == 0


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "markdown"])
def test_missing_path_is_a_fault_and_the_others_are_still_checked(cli, tmp_path, fmt):
    """Issue 11.14: `check good.yaml nope.yaml` used to stop before checking good.yaml."""
    write(tmp_path / "good.yaml", MINIMAL.replace("owner: o@example.com", "owner: 7"))
    result = cli("check", "--no-color", "-f", fmt, "good.yaml", "nope.yaml", cwd=tmp_path)
    assert result.code == 2, result.err
    assert "good.yaml" in result.out and "nope.yaml" in result.out
    assert "LP001" in result.out  # good.yaml's own finding is reported, not lost
    assert "no such file" in result.out
    if fmt == "json":
        files = {f["path"]: f for f in result.report["files"]}
        assert files["nope.yaml"]["faults"][0]["kind"] == "io"
        assert [x["rule_id"] for x in files["good.yaml"]["findings"]] == ["LP001"]


def test_missing_directory_is_a_fault_too(cli, tmp_path):
    write(tmp_path / "a" / "llm-sourcing.yaml", MINIMAL)
    result = cli("check", "a", "gone/", "-f", "json", cwd=tmp_path)
    assert result.code == 2
    assert {f["path"]: f["status"] for f in result.report["files"]}.keys() == {"a/llm-sourcing.yaml", "gone"}


def test_unreadable_manifest_is_a_fault_and_others_are_still_checked(cli, tmp_path):
    write(tmp_path / "good" / "llm-sourcing.yaml", MINIMAL)
    (tmp_path / "dir" / "llm-sourcing.yaml").mkdir(parents=True)
    result = cli("check", "good/llm-sourcing.yaml", "dir/llm-sourcing.yaml", "--format", "json", cwd=tmp_path)
    assert result.code == 2
    statuses = {f["path"]: f["status"] for f in result.report["files"]}
    assert statuses == {"good/llm-sourcing.yaml": "passed", "dir/llm-sourcing.yaml": "error"}
    fault = result.report["files"][1]["faults"][0]
    assert fault["kind"] == "io" and "is a directory" in fault["message"]


@pytest.mark.parametrize(("fail_on", "code"), [("error", 0), ("warning", 1), ("info", 1), ("never", 0)])
def test_fail_on_threshold(cli, tmp_path, fail_on, code):
    policy = write(tmp_path / "policy" / "warn.rego", 'package main\n\nwarn contains "always warn" if input.apiVersion\n')
    manifest = write(tmp_path / "llm-sourcing.yaml", MINIMAL)
    result = cli("check", str(manifest), "--no-builtin", "--policy", str(policy.parent), "--fail-on", fail_on)
    assert result.code == code


def test_config_file_supplies_policies_and_threshold(cli, tmp_path):
    write(tmp_path / "policy" / "warn.rego", 'package main\n\nwarn contains "always warn" if input.apiVersion\n')
    write(tmp_path / ".llm-policy.yaml", "policy: [policy]\nno_builtin: true\nfail_on: warning\n")
    write(tmp_path / "llm-sourcing.yaml", MINIMAL)
    result = cli("check", cwd=tmp_path)
    assert result.code == 1
    assert "warning main.warn always warn" in result.out


def test_bad_config_file_is_a_usage_error(cli, tmp_path):
    write(tmp_path / ".llm-policy.yaml", "polcy: [x]\n")
    write(tmp_path / "llm-sourcing.yaml", MINIMAL)
    result = cli("check", cwd=tmp_path)
    assert result.code == 2
    assert "unknown option 'polcy'" in result.err


def test_console_script_runs_as_a_process(tmp_path):
    script = Path(sys.executable).parent / "llm-policy"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "llm_policy"]
    proc = subprocess.run(
        [*command, "check", "examples/invalid/schema-errors", "--format", "json"],
        cwd=REPO, capture_output=True, text=True, timeout=60, env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["summary"]["errors"] == 5


def test_config_exclude_skips_matching_manifests_in_a_search_but_not_named_ones(cli, tmp_path):
    """`exclude:` in .llm-policy.yaml was accepted and ignored; it now narrows directory searches."""
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".llm-policy.yaml", "exclude: [\"examples/*\", legacy]\n")
    write(tmp_path / "services" / "chat" / "llm-sourcing.yaml", MINIMAL)
    broken = MINIMAL.replace("owner: o@example.com", "owner: [1]")
    write(tmp_path / "examples" / "bad" / "llm-sourcing.yaml", broken)
    write(tmp_path / "old" / "legacy" / "llm-sourcing.yaml", broken)
    searched = cli("check", "--format", "json", cwd=tmp_path)
    assert searched.code == 0, searched.out
    assert [f["path"] for f in searched.report["files"]] == ["services/chat/llm-sourcing.yaml"]
    named = cli("check", "--format", "json", "examples/bad/llm-sourcing.yaml", cwd=tmp_path)
    assert named.code == 1 and named.report["files"][0]["findings"][0]["rule_id"] == "LP001"


def test_a_malformed_config_exclude_is_a_usage_error(cli, tmp_path):
    write(tmp_path / ".llm-policy.yaml", "exclude: [\"\"]\n")
    write(tmp_path / "llm-sourcing.yaml", MINIMAL)
    result = cli("check", cwd=tmp_path)
    assert result.code == 2 and "exclude" in result.err
