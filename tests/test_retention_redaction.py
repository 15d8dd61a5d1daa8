"""Issue 16: data retention and logging stores (LP106-LP108) and redaction before a cloud call (LP109),
end to end through the real CLI: what a user sees, where, and with which exit code.

The Rego unit tests (`policies/rules/lp10[6-9]_*_test.rego`) cover the rules' branches; these pin the
contract around them: the schema and cross-reference stage for the new fields (fail closed on bad
values), the lowered class reaching the other rules (and being shown), and the compliance report.
"""

from __future__ import annotations

import pytest

from conftest import FIXED_DATE, write

# Special-category data to a cloud API without zero retention: LP101 refuses it, unless a control
# with evidence pseudonymises it first.
REDACTED = """\
apiVersion: llm-policy/v1
project:
  name: triage-notes
  owner: clinical-it@example.com
  jurisdictions: [US]
data:
  classes: [special_category, internal]
sources:
  - id: gpt4o
    sector: cloud_api
    provider: openai
    model: gpt-4o-2024-08-06
    region: US
    dpa: {reference: DPA-2025-014, signed: 2025-01-10, training_opt_out: true}
    redaction:
      method: pseudonymisation
      removes: [special_category]
      leaves: internal
      evidence: DPIA-2025-03 section 4
  - id: local-qwen
    sector: open_source
    model: Qwen/Qwen2.5-7B-Instruct
    license: Apache-2.0
    hosting: on_prem
    region: US
routing:
  strategy: fallback
  routes:
    - {name: all, to: gpt4o}
  fallbacks:
    - {from: gpt4o, to: [local-qwen]}
"""

STORES = """\
apiVersion: llm-policy/v1
project:
  name: support-assistant
  owner: ai-platform@example.com
  jurisdictions: [US]
data:
  classes: [personal, internal]
sources:
  - id: local-qwen
    sector: open_source
    model: Qwen/Qwen2.5-7B-Instruct
    license: Apache-2.0
    hosting: on_prem
    region: US
    stores: [chat-log]
stores:
  - id: chat-log
    kind: prompt_log
    hosting: on_prem
    region: US
    retention_days: 30
"""


def check(cli, tmp_path, text: str, *args: str):
    path = write(tmp_path / "llm-sourcing.yaml", text)
    return cli("check", str(path), "--date", FIXED_DATE, "--format", "json", *args)


def of(result, rule: str) -> list[tuple]:
    return sorted((f["severity"], f["line"], f["column"]) for f in result.findings() if f["rule_id"] == rule)


def test_an_evidenced_control_lowers_the_class_and_says_so(cli, tmp_path):
    result = check(cli, tmp_path, REDACTED)
    assert result.code == 0, result.out
    assert of(result, "LP101") == []
    (info,) = [f for f in result.findings() if f["rule_id"] == "LP109"]
    assert (info["severity"], info["line"], info["column"], info["source_id"]) == ("info", 15, 5, "gpt4o")
    assert "receives special_category data only after pseudonymisation" in info["message"]
    assert "evidence: DPIA-2025-03 section 4" in info["message"]


def test_without_evidence_nothing_is_lowered(cli, tmp_path):
    result = check(cli, tmp_path, REDACTED.replace("      evidence: DPIA-2025-03 section 4\n", ""))
    assert result.code == 1
    assert of(result, "LP109") == [("error", 15, 5)]  # special categories: an error
    assert of(result, "LP101") == [("error", 9, 5)]  # judged as declared: zero retention missing


def test_no_lowering_when_lp109_does_not_run(cli, tmp_path):
    """A lowered class is always visible: selecting only a framework LP109 does not implement means no lowering."""
    result = check(cli, tmp_path, REDACTED, "--framework", "pci-dss")
    assert of(result, "LP109") == []
    assert of(result, "LP101") == [("error", 9, 5)]


def test_a_class_only_the_control_brings_is_reported_at_leaves(cli, tmp_path):
    text = REDACTED.replace("data:\n  classes: [special_category, internal]", "data:\n  classes: [special_category, state_secret]")
    text = text.replace("leaves: internal", "leaves: state_secret")
    result = check(cli, tmp_path, text)
    assert ("error", 18, 15) in of(result, "LP101")  # redaction.leaves: state secrets may not go to a cloud API


def test_a_control_in_front_of_one_source_does_not_cover_its_backup(cli, tmp_path):
    """The backup takes over the raw traffic: its own class rules apply to the declared classes."""
    backup = (
        "  - id: local-qwen\n    sector: cloud_api\n    provider: anthropic\n    model: claude-sonnet-4-20250514\n"
        "    region: US\n    data_classes: [internal]\n"
        "    dpa: {reference: DPA-2025-099, signed: 2025-02-01, training_opt_out: true}\n"
    )
    local = "  - id: local-qwen\n    sector: open_source\n    model: Qwen/Qwen2.5-7B-Instruct\n    license: Apache-2.0\n    hosting: on_prem\n    region: US\n"
    assert local in REDACTED
    result = check(cli, tmp_path, REDACTED.replace(local, backup))
    assert of(result, "LP302") == [("error", 32, 26)], result.out
    assert "zero_retention" in next(f["message"] for f in result.findings() if f["rule_id"] == "LP302")


def test_stores_pass_when_located_and_bounded(cli, tmp_path):
    result = check(cli, tmp_path, STORES)
    assert result.code == 0, result.out
    assert [f for f in result.findings() if f["severity"] != "info"] == []


@pytest.mark.parametrize(
    ("old", "new", "pointer"),
    [
        ("    stores: [chat-log]\n", "    stores: [chat-logs]\n", "/sources/0/stores/0"),
        ("    retention_days: 30\n", "    retention_days: 30\n  - id: chat-log\n    kind: cache\n    retention_days: 1\n", "/stores/1/id"),
        ("    region: US\n    retention_days: 30\n", "    region: US\n    retention_days: 30\n    data_classes: [payment]\n", "/stores/0/data_classes/0"),
        ("    stores: [chat-log]\n", "    stores: [chat-log]\n    redaction: {method: masking, removes: [payment], leaves: internal, evidence: T-1}\n", "/sources/0/redaction/removes/0"),
        ("    stores: [chat-log]\n", "    stores: [chat-log]\n    redaction: {method: masking, removes: [personal], leaves: public, evidence: T-1}\n", "/sources/0/redaction/leaves"),
        ("    stores: [chat-log]\n", "    stores: [chat-log]\n    redaction: {method: masking, removes: [personal, internal], leaves: internal, evidence: T-1}\n", "/sources/0/redaction/leaves"),
    ],
    ids=["unknown-store", "duplicate-store", "undeclared-store-class", "undeclared-removed-class", "undeclared-leaves", "leaves-what-it-removes"],
)
def test_broken_store_and_redaction_references_are_lp002(cli, tmp_path, old, new, pointer):
    assert old in STORES
    result = check(cli, tmp_path, STORES.replace(old, new, 1))
    assert result.code == 1, result.out
    assert pointer in [f["pointer"] for f in result.findings() if f["rule_id"] == "LP002"], result.out


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    retention_days: 30\n", "    retention_days: -1\n"),
        ("    retention_days: 30\n", "    retention_days: 36501\n"),
        ("    retention_days: 30\n", "    retention_days: 30.5\n"),
        ("    retention_days: 30\n", "    retention_days: '30'\n"),
        ("    kind: prompt_log\n", "    kind: audit_log\n"),
        ("    kind: prompt_log\n", ""),
        ("  - id: chat-log\n", "  - id: chat-lоg\n"),  # a Cyrillic о
        ("    region: US\n    retention_days", "    region: us\n    retention_days"),
        ("stores:\n  - id: chat-log\n", "stores:\n  chat-log:\n"),  # a mapping where a list belongs
        ("    stores: [chat-log]\n", "    stores: [chat-log, chat-log]\n"),
        ("    stores: [chat-log]\n", "    stores: [chat-log]\n    redaction: {method: hashing, removes: [personal], leaves: internal}\n"),
        ("    stores: [chat-log]\n", "    stores: [chat-log]\n    redaction: {method: masking, removes: [], leaves: internal}\n"),
        ("    stores: [chat-log]\n", "    stores: [chat-log]\n    redaction: {method: masking, removes: [personal]}\n"),
        ("    stores: [chat-log]\n", "    stores: [chat-log]\n    redaction: {method: masking, removes: [personal], leaves: internal, evidence: ''}\n"),
        ("    stores: [chat-log]\n", "    stores: [chat-log]\n    dpa: {reference: D-1, signed: 2025-01-01, retention_days: -5}\n"),
    ],
)
def test_malformed_values_are_schema_errors(cli, tmp_path, old, new):
    assert old in STORES
    result = check(cli, tmp_path, STORES.replace(old, new, 1))
    assert result.code == 1, result.out
    assert "LP001" in {f["rule_id"] for f in result.findings()}, result.out


def test_the_typed_model_reads_stores_and_redaction(tmp_path):
    from llm_policy import load_manifest

    manifest = load_manifest(write(tmp_path / "llm-sourcing.yaml", REDACTED))
    assert manifest.sources[0].redaction.leaves == "internal"
    stored = load_manifest(write(tmp_path / "stores.yaml", STORES))
    assert stored.stores[0].kind == "prompt_log" and stored.stores[0].retention_days == 30
    assert stored.sources[0].stores == ["chat-log"]


def test_the_report_shows_storage_limitation_with_the_stores_evidence(cli, tmp_path):
    path = write(tmp_path / "llm-sourcing.yaml", STORES)
    result = cli("report", str(path), "--date", FIXED_DATE, "--framework", "gdpr")
    assert result.code == 0, result.out
    assert "Art. 5(1)(e)" in result.out
    assert "stores[chat-log].retention_days = `30`" in result.out
    unbounded = write(tmp_path / "llm-sourcing.yaml", STORES.replace("    retention_days: 30\n", ""))
    failed = cli("report", str(unbounded), "--date", FIXED_DATE, "--framework", "gdpr")
    assert failed.code == 1
    line = next(line for line in failed.out.splitlines() if line.startswith("| Art. 5(1)(e)"))
    assert "FAIL" in line and "LP108" in line


def test_init_offers_a_stores_template_where_gdpr_or_152fz_meets_personal_data(cli, tmp_path):
    answers = write(tmp_path / "answers.yaml", "name: hr-bot\nowner: hr@example.com\ncommercial: yes\n"
                    "data_classes: personal, internal\njurisdictions: [RU]\nteam: budget\nquality: production\n"
                    "customer_facing: no\nrequests_per_hour: 100\nrkn_notification: RKN-77-0001\n")
    target = tmp_path / "llm-sourcing.yaml"
    assert cli("init", str(target), "--answers", str(answers), "--date", FIXED_DATE, cwd=tmp_path).code == 0
    text = target.read_text(encoding="utf-8")
    assert "# stores:\n#   - id: prompt-log\n#     kind: prompt_log" in text
    # What a person does: uncomment it, say where the log is, and name it from the source.
    filled = text.replace("# stores:", "stores:").replace("#   - id: prompt-log", "  - id: prompt-log")
    filled = filled.replace("#     kind:", "    kind:").replace("#     region: TODO", "    region: DE")
    filled = filled.replace("#     retention_days:", "    retention_days:")
    filled = filled.replace("    data_classes: [personal, internal]\n", "    data_classes: [personal, internal]\n    stores: [prompt-log]\n", 1)
    target.write_text(filled, encoding="utf-8")
    result = cli("check", str(target), "--date", FIXED_DATE, "--format", "json")
    assert [f["rule_id"] for f in result.findings() if f["severity"] == "error"] == ["LP107"], result.out
    target.write_text(filled.replace("    region: DE", "    region: RU"), encoding="utf-8")
    assert cli("check", str(target), "--date", FIXED_DATE).code == 0

    public = write(tmp_path / "public.yaml", "name: docs\nowner: d@example.com\ncommercial: yes\ndata_classes: public\n"
                   "jurisdictions: [US]\nteam: budget\nquality: production\ncustomer_facing: no\nrequests_per_hour: 100\n")
    other = tmp_path / "other" / "llm-sourcing.yaml"
    other.parent.mkdir()
    assert cli("init", str(other), "--answers", str(public), "--date", FIXED_DATE, cwd=tmp_path).code == 0
    assert "stores:" not in other.read_text(encoding="utf-8")
