"""The check workers of a parallel batch (`--jobs 2`, `llm_policy.run.workers`) fail closed as the
serial path does: a manifest whose check overruns `--timeout` or kills its worker gets the same
fault as with `--jobs 1`, the rest of the batch is still checked, in order, and no worker outlives
the run.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import MINIMAL, write
from llm_policy.engines.deadline import DeadlineEngine, supported
from llm_policy.run import batch
from llm_policy.run.runner import Checker, CheckOptions

pytestmark = pytest.mark.skipif(not supported(), reason="check workers need os.fork")

COUNT = 60  # above batch.MIN_PARALLEL: --jobs 2 forks check workers
BAD = (7, 41)  # manifests whose check the policy makes overrun or blow up, early and late in the batch

POLICY = """\
package main

import rego.v1

warn contains "evaluated" if input.project.name != "bad"

deny contains msg if {
	input.project.name == "bad"
	n := count(BODY)
	msg := sprintf("counted %d", [n])
}
"""
SLOW = POLICY.replace("BODY", "[1 | some i in numbers.range(1, 5000); some j in numbers.range(1, 5000)]")
GREEDY = POLICY.replace("BODY", "[x | some x in numbers.range(1, 100000000)]")


def _project(root: Path, policy: str) -> Path:
    (root / ".git").mkdir()
    for i in range(COUNT):
        name = "bad" if i in BAD else f"p{i}"
        write(root / f"m{i:03d}" / "llm-sourcing.yaml", MINIMAL.replace("name: p", f"name: {name}"))
    write(root / "policy" / "p.rego", policy)
    return root


def _check(cli: Any, root: Path, jobs: str, *args: str) -> Any:
    return cli("check", "--no-builtin", "--policy", "policy", "--format", "json", "--jobs", jobs, *args, cwd=root)


def _faults(report: dict[str, Any]) -> dict[str, list[str]]:
    return {r["path"]: [f["message"] for f in r["faults"]] for r in report["files"] if r["faults"]}


def test_an_overrunning_manifest_is_faulted_and_the_batch_goes_on(cli: Any, tmp_path: Path) -> None:
    root = _project(tmp_path, SLOW)
    parallel = _check(cli, root, "2", "--timeout", "1")
    assert parallel.code == 2, parallel.err
    message = "policy evaluation failed: timed out after 1 s (--timeout): a policy loops or does far too much work"
    assert _faults(parallel.report) == {f"m{i:03d}/llm-sourcing.yaml": [message] for i in BAD}
    paths = [r["path"] for r in parallel.report["files"]]
    assert paths == [f"m{i:03d}/llm-sourcing.yaml" for i in range(COUNT)]  # in order, none lost
    evaluated = [r for r in parallel.report["files"] if [f["message"] for f in r["findings"]] == ["evaluated"]]
    assert len(evaluated) == COUNT - len(BAD)  # every other manifest went through evaluation
    serial = _check(cli, root, "1", "--timeout", "1")
    assert serial.out == parallel.out  # the report does not depend on --jobs, faults included
    assert "Traceback" not in parallel.err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the memory cap uses RLIMIT_AS and /proc")
def test_a_manifest_that_kills_its_worker_is_faulted_and_the_batch_goes_on(cli: Any, tmp_path: Path) -> None:
    root = _project(tmp_path, GREEDY)
    result = _check(cli, root, "2", "--timeout", "60")
    assert result.code == 2, result.err
    faults = _faults(result.report)
    assert sorted(faults) == [f"m{i:03d}/llm-sourcing.yaml" for i in BAD]
    for messages in faults.values():
        assert len(messages) == 1
        assert messages[0].startswith("policy evaluation failed: evaluation worker was killed by SIGABRT (out of memory?")
    assert len(result.report["files"]) == COUNT
    assert result.report["summary"]["warnings"] == COUNT - len(BAD)


def _children() -> set[int]:
    pid = os.getpid()
    found: set[int] = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as handle:
            found.update(int(c) for c in handle.read().split())
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="lists children through /proc")
def test_no_worker_outlives_a_batch_cut_short(tmp_path: Path) -> None:
    root = _project(tmp_path, POLICY.replace("BODY", "[1]"))
    files = sorted(root.glob("m*/llm-sourcing.yaml"))
    before = _children()
    checker = Checker(CheckOptions(root=root, evaluation_date="2026-11-27", builtin=False, policy_dirs=[root / "policy"]))
    results = batch.iter_results(checker, files, 2)
    first = [next(results) for _ in range(3)]
    assert len(_children() - before) >= 2  # the check workers
    results.close()  # a consumer that stops early: a closed pipe, ^C
    assert _children() - before == set()
    assert [r.path for r in first] == [p.relative_to(root).as_posix() for p in files[:3]]
    assert isinstance(checker.engine, DeadlineEngine)  # the parent still evaluates only under the deadline


def test_without_fork_a_spawned_pool_gives_the_same_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path, POLICY.replace("BODY", "[1]"))
    files = sorted(root.glob("m*/llm-sourcing.yaml"))
    options = CheckOptions(root=root, evaluation_date="2026-11-27", builtin=False, policy_dirs=[root / "policy"])
    forked = [r.to_dict() for r in batch.iter_results(Checker(options), files, 2)]
    monkeypatch.setattr(batch.deadline, "supported", lambda: False)
    spawned = [r.to_dict() for r in batch.iter_results(Checker(options), files, 2)]
    serial = [r.to_dict() for r in batch.iter_results(Checker(options), files, 1)]
    assert forked == spawned == serial
    assert json.dumps(serial).count('"evaluated"') == COUNT - len(BAD)


def test_a_slow_reader_of_the_report_does_not_time_manifests_out(tmp_path: Path) -> None:
    """The deadline is the worker's, not the consumer's: results that waited in the pipe while the
    report was written slowly (a paged or throttled stdout) are results, not timeouts."""
    import time

    root = _project(tmp_path, POLICY.replace("BODY", "[1]"))
    files = sorted(root.glob("m*/llm-sourcing.yaml"))
    options = CheckOptions(root=root, evaluation_date="2026-11-27", builtin=False, policy_dirs=[root / "policy"], timeout=1.0)
    results = batch.iter_results(Checker(options), files, 2)
    checked = [next(results)]
    time.sleep(2.5)  # longer than --timeout, while both workers' next manifests are done and waiting
    checked += list(results)
    assert [r.faults for r in checked] == [[]] * COUNT
    assert sum(1 for r in checked if r.findings) == COUNT  # "evaluated" for the good, "counted 1" for the bad
