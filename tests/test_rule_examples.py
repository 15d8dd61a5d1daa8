"""Every rule's documented examples do what the docs say: the failing one fails, its twin passes.

The examples are what `explain` prints and the docs pages show, so a user who copies one gets the
documented result. They run through the real CLI at the date they are written for.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write
from llm_policy.policy import load_policy_set
from llm_policy.policy.rule_docs import EXAMPLES_DATE, rule_examples

POLICY_SET = load_policy_set()
EXAMPLES = rule_examples(POLICY_SET)
# Reported on the waivers file, or about code found by `check --scan` (tests/test_drift_e2e.py), rather
# than on a manifest alone: documented without manifest examples.
WITHOUT_EXAMPLES = {rule.id for rule in POLICY_SET.rules.values() if "waivers" in rule.tags or "drift" in rule.tags}


def _check(cli, tmp_path, text: str):
    manifest = write(tmp_path / "llm-sourcing.yaml", text)
    result = cli("check", str(manifest), "--format", "json", "--date", EXAMPLES_DATE, "--no-color",
                 cwd=tmp_path)
    assert result.report["faults"] == [] and result.report["files"][0]["faults"] == [], result.out
    return result


def test_every_builtin_rule_has_examples():
    assert sorted(set(POLICY_SET.rules) - WITHOUT_EXAMPLES - set(EXAMPLES)) == []
    assert "LP000" in EXAMPLES and "LP101" in EXAMPLES


@pytest.mark.parametrize("rule_id", sorted(EXAMPLES))
def test_failing_example_produces_the_rule(cli, tmp_path, rule_id):
    result = _check(cli, tmp_path, EXAMPLES[rule_id].failing)
    findings = result.findings()
    assert rule_id in {f["rule_id"] for f in findings}, [f["rule_id"] for f in findings]
    severity = POLICY_SET.rules[rule_id].severity
    if severity == "error":
        assert result.code == 1


@pytest.mark.parametrize("rule_id", sorted(EXAMPLES))
def test_passing_example_is_clean(cli, tmp_path, rule_id):
    result = _check(cli, tmp_path, EXAMPLES[rule_id].passing)
    findings = result.findings()
    assert rule_id not in {f["rule_id"] for f in findings}
    # A compliant twin: no errors and no warnings of any rule (license obligations are info).
    assert [f for f in findings if f["severity"] != "info"] == []
    assert result.code == 0


@pytest.mark.parametrize("rule_id", sorted(EXAMPLES))
def test_examples_are_twins(rule_id):
    """The passing example is the failing one with the problem fixed, not an unrelated manifest."""
    failing, passing = EXAMPLES[rule_id].failing.splitlines(), EXAMPLES[rule_id].passing.splitlines()
    assert failing[0] == passing[0] == "apiVersion: llm-policy/v1"
    shared = set(failing) & set(passing)
    assert len(shared) >= min(len(failing), len(passing)) // 2
