"""Every numeric flag and configuration key is a finite number inside its range, or exit 2 (issue 11.10).

`--timeout -1` and `--timeout nan` used to switch the evaluation deadline and memory cap off
(`timeout > 0` is False for both); `--threshold nan` made any coverage pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES, MINIMAL

VALID = str(EXAMPLES / "valid")
BAD = ["-1", "nan", "NaN", "inf", "-inf", "1e999", "", " ", "0x10", "1_000", "٣", "²", "ten"]


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize("flag", ["--timeout", "--max-file-size", "--jobs"])
def test_check_numeric_flags_reject_what_is_not_a_limit(cli, flag, value):
    result = cli("check", f"{flag}={value}", VALID)
    assert result.code == 2, result.err
    assert flag in result.err and "must be" in result.err


@pytest.mark.parametrize("flag, value", [
    ("--timeout", "100000"), ("--max-file-size", "0"), ("--max-file-size", str(2**40)),
    ("--jobs", "0"), ("--jobs", "100000"),
])
def test_check_numeric_flags_reject_out_of_range(cli, flag, value):
    result = cli("check", f"{flag}={value}", VALID)
    assert result.code == 2 and "must be" in result.err


@pytest.mark.parametrize("flag, value", [("--timeout", "0"), ("--timeout", "2.5"), ("--max-file-size", "65536"), ("--jobs", "2")])
def test_check_numeric_flags_accept_real_limits(cli, flag, value):
    assert cli("check", f"{flag}={value}", VALID).code == 0


def test_timeout_zero_stays_unbounded():
    from llm_policy.engines.deadline import DeadlineEngine, with_deadline

    class Fake:
        name = "regorus"

    assert not isinstance(with_deadline(Fake(), 0), DeadlineEngine)


@pytest.mark.parametrize("argv", [
    ["waivers", "--timeout=-1"], ["waivers", "--timeout=nan"], ["waivers", "--expiring-days=-1"],
    ["waivers", "--expiring-days=99999999999"],
    ["verify", "--coverage", "--threshold=nan"], ["verify", "--coverage", "--threshold=-5"],
    ["verify", "--coverage", "--threshold=101"],
    ["check", "--engine=opa", "--opa-url=http://127.0.0.1:9", "--opa-timeout=inf", VALID],
    ["check", "--engine=opa", "--opa-url=http://127.0.0.1:9", "--opa-timeout=0", VALID],
    ["check", "--engine=opa", "--opa-url=http://127.0.0.1:9", "--opa-retries=-1", VALID],
    ["check", "--engine=opa", "--opa-url=http://127.0.0.1:9", "--opa-retries=1000000000", VALID],
])
def test_other_numeric_flags(cli, argv):
    result = cli(*argv)
    assert result.code == 2 and "must be" in result.err, result.err


@pytest.mark.parametrize("body", [
    "max_file_size: -1", "max_file_size: 0", "max_file_size: 99999999999999", "max_file_size: .nan",
    "max_file_size: .inf", "max_file_size: ''", "max_file_size: true",
    "jobs: 0", "jobs: -3", "jobs: 1000000", "jobs: .nan", "jobs: 2.5",
])
def test_config_file_numbers(cli, tmp_path, body):
    (tmp_path / "llm-sourcing.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".llm-policy.yaml").write_text(body + "\n", encoding="utf-8")
    result = cli("check", cwd=tmp_path)
    assert result.code == 2 and ".llm-policy.yaml" in result.err, result.err


@pytest.mark.parametrize("body", ["max_file_size = -1", "jobs = 0", "max_file_size = nan", "jobs = inf"])
def test_pyproject_numbers(cli, tmp_path, body):
    (tmp_path / "llm-sourcing.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(f"[tool.llm-policy]\n{body}\n", encoding="utf-8")
    result = cli("check", cwd=tmp_path)
    assert result.code == 2 and "pyproject.toml" in result.err, result.err


def test_config_numbers_in_range_are_used(cli, tmp_path):
    (tmp_path / "llm-sourcing.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".llm-policy.yaml").write_text("max_file_size: 10\njobs: 1\n", encoding="utf-8")
    result = cli("check", "-f", "json", cwd=tmp_path)
    assert result.code == 1 and "10-byte limit" in result.out


@pytest.mark.parametrize("value", ["²", "-1", "1e3", "nan"])
def test_recommend_requests_per_hour_is_an_ascii_whole_number(cli, value):
    result = cli("recommend", "--defaults", f"--requests-per-hour={value}")
    assert result.code == 2 and "internal error" not in result.err, result.err
