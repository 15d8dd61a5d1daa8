"""The invalid examples fail as the rule table says: rule ids, severities and positions."""

from __future__ import annotations

import pytest

from conftest import FIXED_DATE

EXPECTED = {
    "personal-data-to-foreign-api": [
        ("LP301", "error", 16, 5),
        ("LP404", "error", 18, 15),  # OpenAI does not serve Russia (issue 12, section 1)
        ("LP401", "error", 21, 13),
    ],
    # Issue 16: the twin of examples/valid/ru-bank that fails the Russian sector rules.
    "ru-bank-foreign-software": [
        ("LP407", "error", 7, 1),  # no Roskomnadzor notification: the project
        ("LP404", "warning", 23, 15),
        ("LP409", "error", 23, 15),  # NVIDIA NIM on a significant CII object
        ("LP204", "info", 25, 14),
        ("LP408", "error", 28, 5),  # GigaChat processes personal data without an Art. 6(3) instruction
    ],
    "expired-dpa": [("LP101", "error", 15, 5), ("LP103", "error", 24, 16), ("LP204", "info", 29, 14)],
    "noncommercial-license": [("LP201", "error", 17, 12), ("LP202", "error", 18, 14), ("LP204", "info", 18, 14)],
    "state-secret-outside-perimeter": [
        ("LP101", "error", 14, 5),
        ("LP204", "info", 17, 14),
        ("LP102", "error", 20, 5),
        ("LP105", "error", 20, 5),
        ("LP101", "error", 26, 20),
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_policy_example(cli, name):
    result = cli("check", f"examples/invalid/{name}", "--date", FIXED_DATE, "--format", "json")
    assert result.code == 1
    got = [(f["rule_id"], f["severity"], f["line"], f["column"]) for f in result.findings()]
    assert got == EXPECTED[name]
    assert result.report["files"][0]["status"] == "failed"


def test_info_only_manifest_counts_as_passed(cli):
    result = cli("check", "examples/valid/open-source-self-hosted", "--date", FIXED_DATE, "--format", "json")
    assert result.code == 0
    assert {f["severity"] for f in result.findings()} == {"info"}
    assert result.report["files"][0]["status"] == "passed"


def test_whole_examples_tree_fails_but_checks_every_file(cli):
    result = cli("check", "examples", "--date", FIXED_DATE, "--format", "json")
    assert result.code == 1
    statuses = {f["path"].split("/")[1]: f["status"] for f in result.report["files"]}
    assert statuses["valid"] == "passed"
    assert {r["status"] for r in result.report["files"] if "/valid/" in r["path"]} == {"passed"}
    assert {r["status"] for r in result.report["files"] if "/invalid/" in r["path"]} == {"failed"}
