"""Regulatory frameworks (issue 16): the table, the rules' METADATA and the selection, end to end."""

from __future__ import annotations

import json

from conftest import FIXED_DATE, REPO, write

from llm_policy.compliance.frameworks import framework_ids, framework_table
from llm_policy.policy import load_policy_set


def _metadata_frameworks() -> dict[str, dict[str, list[str]]]:
    policy_set = load_policy_set()
    found: dict[str, dict[str, list[str]]] = {}
    for module in policy_set.modules:
        for annotation in module.annotations:
            custom = annotation.custom
            if custom.get("id") and custom.get("frameworks"):
                found[custom["id"]] = {fw: list(c) for fw, c in custom["frameworks"].items()}
    return found


def test_every_rules_metadata_names_exactly_the_controls_the_table_maps_to_it():
    inverted: dict[str, dict[str, list[str]]] = {}
    for fw, spec in framework_table()["frameworks"].items():
        assert spec["title"] and spec["source"].startswith("http"), fw
        for control, entry in spec["controls"].items():
            assert entry["rules"] and entry["title"] and entry["source"].startswith("http"), (fw, control)
            for rule in entry["rules"]:
                inverted.setdefault(rule, {}).setdefault(fw, []).append(control)
    metadata = _metadata_frameworks()
    assert {r: {fw: sorted(c) for fw, c in m.items()} for r, m in metadata.items()} == {
        r: {fw: sorted(c) for fw, c in m.items()} for r, m in inverted.items()
    }


def test_the_schema_enum_is_the_table():
    schema = json.loads((REPO / "schemas" / "llm-sourcing.schema.json").read_text(encoding="utf-8"))
    text = json.dumps(schema)
    for fw in framework_ids():
        assert f'"{fw}"' in text
    implied = {f for fws in framework_table()["by_jurisdiction"].values() for f in fws}
    implied |= {f for fws in framework_table()["by_data_class"].values() for f in fws}
    assert implied <= set(framework_ids())


RU_PROJECT = """\
apiVersion: llm-policy/v1
project:
  name: bank-chat
  owner: team@example.com
  jurisdictions: [RU]
data:
  classes: [personal]
sources:
  - id: gpt4o
    sector: cloud_api
    provider: openai
    model: gpt-4o-2024-08-06
    region: US
    dpa: {reference: DPA-1, signed: 2025-01-10, training_opt_out: true}
"""


def _rules(result) -> set[str]:
    return {f["rule_id"] for f in result.findings()}


def test_a_russian_project_gets_152fz_rules_and_not_gdpr_ones(cli, tmp_path):
    path = write(tmp_path / "llm-sourcing.yaml", RU_PROJECT)
    result = cli("check", str(path), "--date", FIXED_DATE, "--format", "json")
    assert "LP401" in _rules(result), result.out
    assert result.code == 1


def test_the_framework_flag_replaces_the_selection(cli, tmp_path):
    path = write(tmp_path / "llm-sourcing.yaml", RU_PROJECT)
    result = cli("check", str(path), "--date", FIXED_DATE, "--format", "json", "--framework", "gdpr")
    assert "LP401" not in _rules(result), result.out
    both = cli("check", str(path), "--date", FIXED_DATE, "--format", "json", "--framework", "gdpr",
               "--framework", "ru-152fz")
    assert "LP401" in _rules(both)


def test_the_manifest_selection_narrows_the_rules(cli, tmp_path):
    path = write(tmp_path / "llm-sourcing.yaml", RU_PROJECT.replace("jurisdictions: [RU]", "jurisdictions: [RU]\n  frameworks: [pci-dss]"))
    result = cli("check", str(path), "--date", FIXED_DATE, "--format", "json")
    assert "LP401" not in _rules(result), result.out


def test_an_unknown_framework_flag_is_a_usage_error(cli, tmp_path):
    path = write(tmp_path / "llm-sourcing.yaml", RU_PROJECT)
    for bad in ("gdpr2", "", "GDPR", "гдпр"):
        result = cli("check", str(path), "--framework", bad)
        assert result.code == 2, (bad, result.out, result.err)
        assert "unknown framework" in result.err


def test_an_unknown_or_empty_framework_in_the_manifest_is_lp001(cli, tmp_path):
    for value in ("[gdpr2]", "[]", "gdpr", "[gdpr, gdpr]"):
        path = write(tmp_path / "llm-sourcing.yaml", RU_PROJECT.replace("jurisdictions: [RU]", f"jurisdictions: [RU]\n  frameworks: {value}"))
        result = cli("check", str(path), "--date", FIXED_DATE, "--format", "json")
        assert result.code == 1, (value, result.out)
        assert "LP001" in _rules(result), (value, result.out)


def test_the_json_report_names_the_selected_frameworks_and_stays_valid(cli, tmp_path):
    import jsonschema

    path = write(tmp_path / "llm-sourcing.yaml", RU_PROJECT)
    result = cli("check", str(path), "--date", FIXED_DATE, "--format", "json", "--framework", "gdpr")
    assert result.report["frameworks"] == ["gdpr"]
    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(result.report, schema)
