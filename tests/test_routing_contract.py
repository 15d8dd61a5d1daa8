"""The manifest fields of issue 12 (escalations, route volumes, roles, accounts, stage, purposes,
organisation users): what the schema and the cross-reference stage accept and refuse, located.

Every value that is empty, negative, too large, of an unknown name or a dangling reference is an
LP001/LP002 error at its node (fail closed), and a manifest written before these fields still
validates (the examples are checked elsewhere).
"""

from __future__ import annotations

import pytest

from conftest import MINIMAL, write

TWO_SOURCES = MINIMAL + """\
  - id: t
    sector: open_source
    model: mistralai/Mistral-7B-Instruct-v0.2
    license: Apache-2.0
    hosting: on_prem
    region: DE
routing:
  strategy: layered
  routes:
    - {name: all, to: s}
"""


def located(cli, tmp_path, text: str) -> tuple[int, list[tuple]]:
    """Exit code and findings of the load and validate stages alone (a run with no rules is exit 2)."""
    from llm_policy.validate import validate_file

    manifest = write(tmp_path / "llm-sourcing.yaml", text)
    _, findings = validate_file(manifest, "llm-sourcing.yaml")
    code = 1 if any(f.severity == "error" for f in findings) else 0
    return code, [(f.rule_id, f.line, f.column, f.message) for f in findings]


def test_the_new_fields_validate(cli, tmp_path):
    text = TWO_SOURCES.replace("  owner: o@example.com\n", """\
  owner: o@example.com
  stage: production
  purposes: [customer_support, military]
  organisation_monthly_active_users: 900000000
  requests_per_hour: 100
""").replace("    region: DE\n  - id: t", "    region: DE\n    role: chat\n    account: aws:1234\n  - id: t") + """\
  escalations:
    - {from: s, to: t, data_classes: [public], share_percent: 5, description: hard ones}
  fallbacks:
    - {from: t, to: [s]}
"""
    text = text.replace("    - {name: all, to: s}\n", "    - {name: all, to: s, share_percent: 100, specialization: general}\n")
    code, findings = located(cli, tmp_path, text)
    assert (code, findings) == (0, [])


@pytest.mark.parametrize(
    ("addition", "rule", "line", "column", "message"),
    [
        ("  escalations:\n    - {from: s, to: nowhere}\n", "LP002", 25, 21, "escalation of 's' goes to unknown source 'nowhere'"),
        ("  escalations:\n    - {from: ghost, to: t}\n", "LP002", 25, 14, "escalation from unknown source 'ghost'"),
        ("  escalations:\n    - {from: s, to: s}\n", "LP002", 25, 21, "source 's' escalates to itself"),
        ("  escalations:\n    - {from: s, to: t, data_classes: [personal]}\n", "LP002", 25, 39,
         "carries data class 'personal', which data.classes does not declare"),
        ("  escalations:\n    - {from: s, to: t, requests_per_hour: 5, share_percent: 5}\n", "LP002", 25, 61,
         "gives both requests_per_hour and share_percent"),
        ("  escalations:\n    - {from: s, to: t, share_percent: 101}\n", "LP001", 25, 39, "share_percent"),
        ("  escalations:\n    - {from: s, to: t, share_percent: -1}\n", "LP001", 25, 39, "share_percent"),
        ("  escalations:\n    - {from: s, to: t, share_percent: 2.5}\n", "LP001", 25, 39, "share_percent"),
        ("  escalations:\n    - {from: s, to: t, kind: failover}\n", "LP001", 25, 24, "unknown key 'kind'"),
    ],
)
def test_escalation_mistakes_are_located(cli, tmp_path, addition, rule, line, column, message):
    code, findings = located(cli, tmp_path, TWO_SOURCES + addition)
    assert code == 1
    assert [(r, li, co) for r, li, co, _ in findings] == [(rule, line, column)], findings
    assert message in findings[0][3]


@pytest.mark.parametrize(
    ("old", "new", "rule", "line", "column", "message"),
    [
        ("{name: all, to: s}", "{name: all, to: s, share_percent: 60}\n    - {name: b, to: t, share_percent: 41}",
         "LP002", 24, 39, "share_percent add up to more than 100"),
        ("{name: all, to: s}", "{name: all, to: s, share_percent: 10, requests_per_hour: 9}", "LP002", 23, 41,
         "gives both requests_per_hour and share_percent"),
        ("{name: all, to: s}", "{name: all, to: s, requests_per_hour: -3}", "LP001", 23, 45, "requests_per_hour"),
        ("{name: all, to: s}", "{name: all, to: s, specialization: chat}", "LP001", 23, 42, "specialization"),
        ("    region: DE\n  - id: t", "    region: DE\n    role: chatbot\n  - id: t", "LP001", 14, 11, "did you mean 'chat'?"),
        ("    region: DE\n  - id: t", "    region: DE\n    account: ''\n  - id: t", "LP001", 14, 14, "account"),
        ("  owner: o@example.com\n", "  owner: o@example.com\n  stage: live\n", "LP001", 5, 10, "stage"),
        ("  owner: o@example.com\n", "  owner: o@example.com\n  purposes: [warfare]\n", "LP001", 5, 14, "purposes"),
        ("  owner: o@example.com\n", "  owner: o@example.com\n  purposes: [military, military]\n", "LP001", 5, 3, "lists the same item more than once"),
        ("  owner: o@example.com\n", "  owner: o@example.com\n  organisation_monthly_active_users: -1\n", "LP001", 5, 38,
         "organisation_monthly_active_users"),
        ("  owner: o@example.com\n", "  owner: o@example.com\n  organisation_monthly_active_users: 100000000001\n", "LP001", 5,
         38, "organisation_monthly_active_users"),
        ("{name: all, to: s}", "{name: all, to: s, requests_per_hour: 1000000001}", "LP001", 23, 45, "requests_per_hour"),
        ("    region: DE\n  - id: t", "    region: DE\n    account: 'аws:1'\n  - id: t", "LP001", 14, 14, "account"),
        ("    region: DE\n  - id: t", "    region: DE\n    account: ' aws:1'\n  - id: t", "LP001", 14, 14, "account"),
    ],
)
def test_field_mistakes_are_located(cli, tmp_path, old, new, rule, line, column, message):
    assert old in TWO_SOURCES
    code, findings = located(cli, tmp_path, TWO_SOURCES.replace(old, new, 1))
    assert code == 1
    assert [(r, li, co) for r, li, co, _ in findings] == [(rule, line, column)], findings
    assert message in findings[0][3]
