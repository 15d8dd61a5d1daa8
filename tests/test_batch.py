"""Batch checks: the report does not depend on how the manifests were checked.

Parallel workers (`--jobs`), the streamed text output and checking files one at a time must give
the same bytes, on a generated monorepo with compliant, failing and broken manifests and with a
waivers file that waives, expires and goes unused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from batch_helpers import DATE, generator, run_check, write_waivers
from conftest import REPO

COUNT = 120  # above llm_policy.run.batch.MIN_PARALLEL, so --jobs 2 really forks workers


_run = run_check


@pytest.fixture(scope="module")
def monorepo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """COUNT generated manifests plus a waivers file with an active, an expired and an unused waiver."""
    root = tmp_path_factory.mktemp("monorepo")
    (root / ".git").mkdir()
    manifests = list(generator().generate(root / "services", COUNT, seed=11))
    assert {m.label for _, m in manifests} == {"valid", "LP000", "LP001", "LP002"}
    write_waivers(root, "--jobs", "1")
    return root


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_jobs_1_and_jobs_2_give_the_same_bytes(monorepo: Path, fmt: str) -> None:
    one = _run(monorepo, "--format", fmt, "--jobs", "1")
    two = _run(monorepo, "--format", fmt, "--jobs", "2")
    assert one.returncode == two.returncode == 1, one.stderr + two.stderr
    assert one.stdout == two.stdout
    assert one.stdout.count("services/") >= COUNT // 2


def test_streamed_text_equals_text_rendered_from_the_whole_report(monorepo: Path, tmp_path: Path) -> None:
    """`--format text` streams; beside a format that does not stream (Markdown) the same text is
    rendered from the complete report."""
    streamed = _run(monorepo, "--jobs", "2", "--verbose", "-o", f"json={tmp_path / 'report.json'}")
    whole = _run(monorepo, "--jobs", "2", "--verbose", "-o", f"markdown={tmp_path / 'report.md'}")
    assert streamed.returncode == whole.returncode == 1
    assert streamed.stdout == whole.stdout
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["summary"]["waived"] >= 1
    rules = {f["rule_id"] for r in report["files"] for f in r["findings"]}
    assert "LP900" in rules  # the expired waiver is reported, in both outputs
    assert "LP900" in streamed.stdout


def test_the_batch_report_equals_checking_each_file_alone(monorepo: Path, cli: Any) -> None:
    batch = json.loads(_run(monorepo, "--format", "json", "--jobs", "2").stdout)
    entries = {r["path"]: r for r in batch["files"]}
    sample = sorted(entries)[::6]
    for path in sample:
        alone = cli("check", path, "--date", DATE, "--format", "json", cwd=monorepo)
        assert (alone.code == 2) == bool(entries[path]["faults"])
        assert json.dumps(alone.report["files"], sort_keys=True) == json.dumps([entries[path]], sort_keys=True), path


def test_jobs_must_be_a_positive_number(cli: Any) -> None:
    for bad in ("0", "-1", "two"):
        assert cli("check", "--jobs", bad, "examples/valid").code == 2


BROKEN_POLICIES = {
    "compile": "package main\n\nimport rego.v1\n\ndeny contains msg if {\n\tmsg := undefined_var\n}\n",
    "metadata": "# METADATA\n# title: [unclosed\npackage main\n\nimport rego.v1\n\ndeny contains \"x\" if false\n",
}


@pytest.mark.parametrize("kind", sorted(BROKEN_POLICIES))
def test_a_broken_policy_is_a_run_fault_first_in_streamed_text(tmp_path: Path, cli: Any, kind: str) -> None:
    """The policies compile in the background while the manifest is read: a failure must still be
    the first line of the streamed text, exactly as in the text rendered from the whole report."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "llm-sourcing.yaml").write_text((REPO / "examples" / "valid" / "cloud-api" / "llm-sourcing.yaml").read_text())
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "bad.rego").write_text(BROKEN_POLICIES[kind])
    args = ("check", "llm-sourcing.yaml", "--no-builtin", "--policy", "policy", "--date", DATE, "--no-color")
    streamed = cli(*args, cwd=tmp_path)
    whole = cli(*args, "-o", f"markdown={tmp_path / 'report.md'}", cwd=tmp_path)
    assert streamed.code == whole.code == 2
    assert streamed.out == whole.out
    assert streamed.out.splitlines()[0].startswith("policy/bad.rego:"), streamed.out
    assert "error [policy]" in streamed.out.splitlines()[0]
