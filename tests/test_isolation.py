"""An internal error while checking one file never aborts the others (issue 11.15).

A bug met in any stage for one manifest (here: a TypeError injected into the policy results
stage) becomes an `internal` fault on that file with its path; every other manifest is still
checked and reported, and the run exits 2. Sequential, parallel (fork workers) and the streamed
text path all behave the same.
"""

from __future__ import annotations

import pytest

import llm_policy.engines as evaluate
from conftest import MINIMAL, write

BROKEN = "services/broken/llm-sourcing.yaml"


@pytest.fixture
def batch(tmp_path, monkeypatch):
    """60 manifests (enough for worker processes), one of which makes a stage crash."""
    for index in range(60):
        write(tmp_path / "services" / f"s{index:02d}" / "llm-sourcing.yaml", MINIMAL.replace("owner: o@example.com", "owner: 7") if index == 59 else MINIMAL)
    write(tmp_path / BROKEN, MINIMAL)
    (tmp_path / ".git").mkdir()
    real = evaluate.policy_findings

    def crash_on_one(policy_set, documents, document, shown, evidence=None):
        if shown == BROKEN:
            raise TypeError("unhashable type: 'dict'")
        return real(policy_set, documents, document, shown, evidence)

    monkeypatch.setattr(evaluate, "policy_findings", crash_on_one)
    return tmp_path


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_crashing_file_is_a_fault_and_the_report_is_complete(cli, batch, jobs):
    result = cli("check", "-f", "json", "--jobs", jobs, cwd=batch)
    assert result.code == 2, result.err
    files = {f["path"]: f for f in result.report["files"]}
    assert len(files) == 61
    assert files[BROKEN]["status"] == "error"
    [fault] = files[BROKEN]["faults"]
    assert fault["kind"] == "internal" and fault["file"] == BROKEN and "TypeError" in fault["message"]
    assert [f["rule_id"] for f in files["services/s59/llm-sourcing.yaml"]["findings"]] == ["LP001"]
    assert sum(1 for f in files.values() if f["status"] == "passed") == 59
    assert result.report["summary"]["faults"] == 1


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_streamed_text_reports_the_crash_and_every_other_file(cli, batch, jobs):
    result = cli("check", "--no-color", "--jobs", jobs, cwd=batch)
    assert result.code == 2, result.err
    assert f"{BROKEN}: error [internal] internal error while checking this file: TypeError" in result.out
    assert "services/s59/llm-sourcing.yaml:4:10: error LP001" in result.out
    assert result.out.rstrip().splitlines()[-1].startswith("61 manifests checked")
