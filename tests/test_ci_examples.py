"""The ready-to-copy CI configurations: schema-valid for their CI system and consistent with the CLI."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from llm_policy.output.writer import parse_output_spec

REPO = Path(__file__).resolve().parents[1]
ACTION = REPO / "action.yml"
GITHUB_WORKFLOW = REPO / "examples" / "ci" / "github-workflow.yml"
GITLAB_CI = REPO / "examples" / "ci" / "gitlab-ci.yml"
PR_REVIEW = REPO / "examples" / "ci" / "github-pr-review.yml"


def load(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path, schema", [
    (ACTION, "vendor.github-actions"),
    (GITHUB_WORKFLOW, "vendor.github-workflows"),
    (GITLAB_CI, "vendor.gitlab-ci"),
    (PR_REVIEW, "vendor.github-workflows"),
])
def test_config_is_valid_for_its_ci_system(path, schema):
    pytest.importorskip("check_jsonschema")
    # The vendored schemas ship inside check-jsonschema: no network.
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def _output_flags(command: str) -> dict[str, str]:
    """FORMAT -> FILE for every `--output FORMAT=FILE` in a shell command line."""
    words = shlex.split(command.replace("\\\n", " "))
    specs = [words[i + 1] for i, word in enumerate(words) if word in ("--output", "-o")]
    return {fmt: str(path) for fmt, path in map(parse_output_spec, specs)}


def test_gitlab_job_publishes_the_junit_file_it_writes():
    job = load(GITLAB_CI)["llm-policy"]
    command = next(line for line in job["script"] if "llm-policy check" in line)
    outputs = _output_flags(command)
    assert job["artifacts"]["reports"]["junit"] == outputs["junit"]
    assert job["artifacts"]["when"] == "always"  # reports of a failing check are the ones that matter


def test_action_annotates_uploads_sarif_and_keeps_the_exit_code():
    action = load(ACTION)
    steps = action["runs"]["steps"]
    check = next(step for step in steps if step.get("id") == "check")
    assert "--format github" in check["run"]
    assert '--output "sarif=$LLM_POLICY_SARIF"' in check["run"]
    upload = next(step for step in steps if str(step.get("uses", "")).startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    assert upload["if"].startswith("always()")  # uploads even when the check found violations
    gate = steps[-1]
    assert "exit 1" in gate["run"] and "exit 2" in gate["run"]


def test_workflow_gates_pull_requests_with_code_scanning_permission():
    workflow = load(GITHUB_WORKFLOW)
    assert "pull_request" in workflow["on"]  # YAML 1.2: `on` is a plain key, not a boolean
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["llm-policy"]["steps"]
    assert any(str(step.get("uses", "")).startswith("llm-policy/llm-policy@") for step in steps)


def _run_lines(step: dict) -> list[str]:
    return [line.strip() for line in str(step.get("run", "")).splitlines() if line.strip().startswith("llm-policy ")]


def test_pr_review_comments_the_diff_and_gates_on_new_findings_only():
    from llm_policy.cli import build_parser
    from llm_policy.review.render import MARKER

    workflow = load(PR_REVIEW)
    review, gate = workflow["jobs"]["review"], workflow["jobs"]["gate"]
    for job in (review, gate):  # the base commit must be there: a shallow clone exits 2
        checkout = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/checkout@"))
        assert checkout["with"]["fetch-depth"] == 0
    assert review["permissions"]["pull-requests"] == "write"
    assert gate["permissions"]["security-events"] == "write"

    diff_line = next(line for s in review["steps"] for line in _run_lines(s) if line.startswith("llm-policy diff"))
    words = shlex.split(diff_line.split(">")[0].replace('"$BASE_SHA"', "BASE"))
    args = build_parser("diff").parse_args(words[1:])
    assert (args.base, args.head, args.format) == ("BASE", "HEAD", "markdown")
    comment = next(s for s in review["steps"] if str(s.get("uses", "")).startswith("actions/github-script@"))
    assert MARKER in comment["with"]["script"] and "updateComment" in comment["with"]["script"]
    assert diff_line.split(">")[1].strip() in comment["with"]["script"]  # posts the file the diff wrote

    check_line = next(line for s in gate["steps"] for line in _run_lines(s) if line.startswith("llm-policy check"))
    args = build_parser("check").parse_args(shlex.split(check_line.replace('"$BASE_SHA"', "BASE"))[1:])
    assert args.baseline == "BASE" and ("sarif", "llm-policy.sarif") in [(n, str(p)) for n, p in map(parse_output_spec, args.output)]
    upload = next(s for s in gate["steps"] if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == "llm-policy.sarif" and upload["if"].startswith("always()")
