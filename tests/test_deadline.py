"""The deadline worker: evaluation is bounded, a stuck worker is replaced, nothing is left running."""

from __future__ import annotations

import os
import time

import pytest

from llm_policy.engines import EngineError, create_engine
from llm_policy.policy import load_policy_set
from llm_policy.engines.deadline import DeadlineEngine, supported, with_deadline

pytestmark = pytest.mark.skipif(not supported(), reason="needs os.fork")

POLICY = """\
package main

import rego.v1

deny contains "slow" if {
	input.slow
	count([1 | some i in numbers.range(1, 5000); some j in numbers.range(1, 5000)]) > 0
}

deny contains sprintf("hello %s", [input.name]) if input.name
"""


@pytest.fixture
def engine(tmp_path):
    (tmp_path / "p.rego").write_text(POLICY)
    policy_set = load_policy_set([tmp_path], builtin=False)
    engine = with_deadline(create_engine("regorus"), 1.0)
    assert isinstance(engine, DeadlineEngine)
    engine.prepare(policy_set)
    yield engine
    engine.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_results_match_in_process_evaluation(engine, tmp_path):
    in_process = create_engine("regorus")
    in_process.prepare(engine._policy_set)
    for manifest in ({"name": "a"}, {"name": "b"}, {}):
        assert engine.evaluate(manifest) == in_process.evaluate(manifest)


def test_one_worker_serves_the_whole_batch(engine):
    engine.evaluate({"name": "a"})
    pid = engine._worker.pid
    for i in range(50):
        assert engine.evaluate({"name": str(i)})["main"]["deny"] == [f"hello {i}"]
    assert engine._worker.pid == pid


def test_stuck_worker_is_killed_and_replaced(engine):
    engine.evaluate({"name": "a"})
    first = engine._worker.pid
    started = time.monotonic()
    with pytest.raises(EngineError, match=r"timed out after 1 s \(--timeout\)"):
        engine.evaluate({"slow": True})
    assert time.monotonic() - started < 5
    assert not _alive(first)  # killed and reaped, not a zombie
    assert engine.evaluate({"name": "after"})["main"]["deny"] == ["hello after"]
    assert engine._worker.pid != first


def test_close_stops_the_worker(engine):
    engine.evaluate({})
    pid = engine._worker.pid
    engine.close()
    assert not _alive(pid)


def test_a_forked_copy_starts_its_own_worker(engine):
    """A parallel job forked from the checking process must not talk to its parent's worker."""
    engine.evaluate({})
    parent_worker = engine._worker.pid
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            ok = engine.evaluate({"name": "child"})["main"]["deny"] == ["hello child"]
            ok = ok and engine._worker.pid != parent_worker
            os.write(write, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert os.read(read, 1) == b"1"
    os.close(read)
    assert engine.evaluate({"name": "parent"})["main"]["deny"] == ["hello parent"]
    assert engine._worker.pid == parent_worker


def test_compile_errors_keep_their_location(tmp_path):
    (tmp_path / "p.rego").write_text("package main\n\nimport rego.v1\n\ndeny contains x if {\n\tx := nope(1)\n}\n")
    engine = with_deadline(create_engine("regorus"), 5.0)
    with pytest.raises(EngineError) as info:
        engine.prepare(load_policy_set([tmp_path], builtin=False))
    assert info.value.message == "could not find function nope"
    assert info.value.file is not None and info.value.file.endswith("p.rego")
    assert info.value.line == 6


def test_only_fork_safe_in_process_engines_are_wrapped():
    assert isinstance(with_deadline(create_engine("regorus")), DeadlineEngine)
    assert not isinstance(with_deadline(create_engine("regorus"), 0), DeadlineEngine)  # --timeout 0

    class Remote:
        name = "opa"

    remote = Remote()
    assert with_deadline(remote, 10) is remote


def test_timeout_zero_evaluates_in_process(cli, tmp_path):
    from conftest import write
    from test_fail_closed import GOOD

    write(tmp_path / "llm-sourcing.yaml", GOOD)
    write(tmp_path / "p" / "w.rego", 'package main\n\nimport rego.v1\n\nwarn contains "w" if true\n')
    result = cli("check", "llm-sourcing.yaml", "--no-builtin", "-p", "p", "--timeout", "0", cwd=tmp_path)
    assert result.code == 0 and "warning main.warn w" in result.out
