"""`llm-policy verify --coverage`: every non-test policy file counts, untested ones as 0 % (#11.6, #14.5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write

TESTED = """\
package acme.tested

deny contains "cloud" if {
	some s in input.sources
	s.sector == "cloud_api"
}
"""

TESTED_TEST = """\
package acme.tested_test

import data.acme.tested

test_cloud_is_denied if {
	tested.deny == {"cloud"} with input as {"sources": [{"sector": "cloud_api"}]}
}
"""

UNTESTED = """\
package acme.untested

# A rule nobody tests: it must lower coverage, not vanish from it.
warn contains "no owner" if {
	not input.project.owner
}

warn contains "no name" if {
	not input.project.name
}
"""


def _pack(tmp_path: Path, untested: bool = True) -> Path:
    write(tmp_path / "acme" / "tested.rego", TESTED)
    write(tmp_path / "acme" / "tested_test.rego", TESTED_TEST)
    if untested:
        write(tmp_path / "acme" / "untested.rego", UNTESTED)
    return tmp_path / "acme"


def test_an_untested_file_counts_as_zero(cli, tmp_path):
    pack = _pack(tmp_path)
    result = cli("verify", str(pack), "--all-namespaces", "--coverage", "--threshold", "80")
    assert result.code == 1, result.out + result.err
    assert "1 passed, 0 failed" in result.out
    assert "not touched by any test: " in result.out and "untested.rego" in result.out
    assert "below the threshold 80.0%" in result.err
    percent = float(result.out.split("coverage: ")[1].split("%")[0])
    assert 0 < percent < 80


def test_threshold_alone_implies_coverage(cli, tmp_path):
    pack = _pack(tmp_path)
    result = cli("verify", str(pack), "--all-namespaces", "--threshold", "80")
    assert result.code == 1
    assert "coverage: " in result.out
    # the fully tested file alone passes the same threshold
    complete = _pack(tmp_path / "complete", untested=False)
    assert cli("verify", str(complete), "--all-namespaces", "--threshold", "80").code == 0


def test_verbose_prints_per_file_coverage(cli, tmp_path):
    pack = _pack(tmp_path)
    result = cli("verify", str(pack), "--all-namespaces", "--coverage", "-v")
    assert result.code == 0
    lines = [line.strip() for line in result.out.splitlines() if line.strip().endswith("lines)") or "not covered:" in line]
    untested = next(line for line in lines if "untested.rego" in line)
    assert untested.startswith("0.0%") and "(0/4 lines)" in untested and "not covered: 4, 5, 8, 9" in untested
    tested = next(line for line in lines if "tested.rego" in line and "untested" not in line)
    assert tested.startswith("100.0%")


def test_the_builtin_pack_is_fully_covered(cli):
    result = cli("verify", "--threshold", "100")
    assert result.code == 0, result.out + result.err
    assert "coverage: 100.0%" in result.out and "not touched" not in result.out


@pytest.mark.parametrize("value", ["-1", "101", "nan", "x"])
def test_a_threshold_that_is_not_a_percentage_is_a_usage_error(cli, value):
    result = cli("verify", "--threshold", value)
    assert result.code == 2 and "threshold" in result.err
