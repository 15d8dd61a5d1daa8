"""`init` and `recommend` ask for the declarations the chosen frameworks need (issue 16).

The EU AI Act classification when the jurisdictions imply the AI Act; the Roskomnadzor
notification, the CII category and the state-information-system class for a Russian project.
Every question has a flag, since CI has no stdin. Fail closed: an unanswered declaration becomes a
TODO marker or a commented template that `check` fails, never a value that would pass; a flag for a
question the answers do not call for is a usage error, not silently dropped.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from ruamel.yaml import YAML

from conftest import FIXED_DATE

BASE = ["--team", "mlops", "--quality", "production", "--requests-per-hour", "100", "--name", "assistant",
        "--owner", "ai-platform@example.com", "--commercial"]


def _init(cli, tmp_path, *flags):
    target = tmp_path / "llm-sourcing.yaml"
    result = cli("init", str(target), "--date", FIXED_DATE, *BASE, *flags, cwd=tmp_path)
    return result, target


def _check_rules(cli, target) -> dict[str, list[str]]:
    result = cli("check", str(target), "--date", FIXED_DATE, "--format", "json")
    found: dict[str, list[str]] = {}
    for f in result.findings():
        found.setdefault(f["rule_id"], []).append(f["severity"])
    return found


def _project(target) -> dict:
    return YAML(typ="safe", pure=True).load(target.read_text(encoding="utf-8"))["project"]


def test_an_eu_project_is_asked_for_its_ai_act_classification_and_init_writes_it(cli, tmp_path):
    result, target = _init(cli, tmp_path, "--data-classes", "internal", "--jurisdictions", "DE", "--no-customer-facing",
                           "--ai-act-role", "deployer", "--ai-act-risk", "minimal")
    assert result.code == 0, result.err
    assert _project(target)["ai_act"] == {"role": "deployer", "risk": "minimal"}
    assert "LP701" not in _check_rules(cli, target)


def test_a_high_risk_answer_writes_the_area_and_check_asks_for_what_the_class_requires(cli, tmp_path):
    result, target = _init(cli, tmp_path, "--data-classes", "personal", "--jurisdictions", "DE", "--no-customer-facing",
                           "--ai-act-role", "deployer", "--ai-act-risk", "high", "--annex-iii-area", "credit-scoring")
    assert result.code == 0, result.err
    assert _project(target)["ai_act"] == {"role": "deployer", "risk": "high", "annex_iii_area": "credit_scoring"}
    rules = _check_rules(cli, target)
    # Not a pass: the oversight, the logs and the FRIA are facts only a person can supply.
    assert {"LP703", "LP704", "LP705"} <= set(rules), rules


def test_unanswered_the_classification_is_a_commented_template_that_fails_check(cli, tmp_path):
    result, target = _init(cli, tmp_path, "--data-classes", "internal", "--jurisdictions", "DE", "--customer-facing")
    assert result.code == 0, result.err
    assert "ai_act" not in _project(target)
    assert "  # ai_act: {role: deployer, risk: \"TODO: prohibited|high|limited|minimal\"" in target.read_text()
    assert "error" in _check_rules(cli, target)["LP701"]


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--jurisdictions", "US", "--ai-act-risk", "minimal"], "ai_act_risk (--ai-act-risk) does not apply"),
        (["--jurisdictions", "DE", "--ai-act-risk", "limited", "--annex-iii-area", "employment"],
         "annex_iii_area (--annex-iii-area) does not apply"),
        (["--jurisdictions", "DE", "--ru-cii-category", "2"], "ru_cii_category (--ru-cii-category) does not apply"),
        (["--jurisdictions", "RU", "--ru-cii-category", "4"], "ru_cii_category: unknown value '4'"),
        (["--jurisdictions", "RU", "--ru-gis-class", "K4"], "ru_gis_class: unknown value 'K4'"),
        (["--jurisdictions", "RU", "--ai-act-risk", "unacceptable"], "ai_act_risk: unknown value"),
    ],
)
def test_a_declaration_the_answers_do_not_call_for_or_an_unknown_value_is_exit_2(cli, flags, message):
    result = cli("recommend", "--data-classes", "internal", "--team", "mlops", "--quality", "production",
                 "--no-customer-facing", "--requests-per-hour", "100", *flags)
    assert result.code == 2, (result.out, result.err)
    assert message in result.err


def test_a_russian_project_gets_the_rkn_notification_it_was_given(cli, tmp_path):
    result, target = _init(cli, tmp_path, "--data-classes", "personal", "--jurisdictions", "RU", "--no-customer-facing",
                           "--rkn-notification", "RKN-2019-0412", "--ru-cii-category", "none", "--ru-gis-class", "none")
    assert result.code == 0, result.err
    project = _project(target)
    assert project["ru_152fz"] == {"rkn_notification": "RKN-2019-0412"}
    assert project["ru_cii"] == {"category": "none"}
    assert "ru_gis" not in project
    rules = _check_rules(cli, target)
    assert "LP407" not in rules and "LP003" not in rules, rules
    assert "Next: llm-policy check" in result.out


@pytest.mark.parametrize("given", [[], ["--rkn-notification", ""], ["--rkn-notification", "   "]])
def test_an_empty_or_missing_rkn_notification_is_a_todo_that_fails(cli, tmp_path, given):
    result, target = _init(cli, tmp_path, "--data-classes", "personal", "--jurisdictions", "RU", "--no-customer-facing", *given)
    assert result.code == 0, result.err
    assert _project(target)["ru_152fz"]["rkn_notification"].startswith("TODO:")
    assert "the Roskomnadzor notification" in result.out
    assert "error" in _check_rules(cli, target)["LP003"]


def test_a_significant_cii_object_writes_its_category_and_todo_register_entries(cli, tmp_path):
    result, target = _init(cli, tmp_path, "--data-classes", "internal", "--jurisdictions", "RU", "--no-customer-facing",
                           "--ru-cii-category", "2")
    assert result.code == 0, result.err
    doc = YAML(typ="safe", pure=True).load(target.read_text(encoding="utf-8"))
    assert doc["project"]["ru_cii"] == {"category": 2}
    opens = [s for s in doc["sources"] if s["sector"] == "open_source"]
    assert opens and all(s["ru_software_registry"].startswith("TODO:") for s in opens)
    assert "error" in _check_rules(cli, target)["LP003"]


def test_a_state_information_system_writes_its_class_and_an_attestation_todo(cli, tmp_path):
    result, target = _init(cli, tmp_path, "--data-classes", "internal", "--jurisdictions", "RU", "--no-customer-facing",
                           "--ru-gis-class", "k2")
    assert result.code == 0, result.err
    gis = _project(target)["ru_gis"]
    assert gis["protection_class"] == "K2" and gis["attestation"].startswith("TODO:")
    assert "the attestation of the state information system" in result.out


def test_recommend_names_the_duties_of_what_was_declared(cli):
    result = cli("recommend", "--data-classes", "personal", "--jurisdictions", "RU", "--team", "mlops",
                 "--quality", "production", "--no-customer-facing", "--requests-per-hour", "100",
                 "--ru-cii-category", "1", "--format", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["answers"]["ru_cii_category"] == "1"
    assert doc["answers"]["ai_act_risk"] is None  # not asked: no EU jurisdiction
    caveats = " ".join(doc["caveats"])
    assert "Presidential Decree No. 166, LP409" in caveats
    assert "Roskomnadzor notification" in caveats


def test_recommend_reminds_an_eu_project_to_classify_when_it_did_not(cli):
    result = cli("recommend", "--defaults", "--format", "json")
    assert result.code == 0, result.err
    assert any("LP701" in caveat for caveat in json.loads(result.out)["caveats"])


def test_without_a_terminal_the_declarations_never_block_or_hang(tmp_path):
    """They are optional: CI without stdin gets the TODO/template path, not a prompt or exit 2."""
    proc = subprocess.run(
        [sys.executable, "-m", "llm_policy", "init", "-", "--date", FIXED_DATE, "--data-classes", "personal",
         "--jurisdictions", "RU,DE", *BASE, "--no-customer-facing"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert 'rkn_notification: "TODO: Roskomnadzor registry number' in proc.stdout
    assert "  # ai_act: {role: deployer" in proc.stdout
    assert "  # ru_cii: {category: 1|2|3|none}" in proc.stdout


def test_the_answers_file_takes_the_declarations_too(cli, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("data_classes: [personal]\njurisdictions: [DE]\nai_act_role: provider\nai_act_risk: limited\n",
                       encoding="utf-8")
    result = cli("recommend", "--answers", str(answers), "--defaults", "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["answers"]["ai_act_role"] == "provider"
    bad = tmp_path / "bad.yaml"
    bad.write_text("data_classes: [personal]\njurisdictions: [US]\nru_gis_class: k1\n", encoding="utf-8")
    refused = cli("recommend", "--answers", str(bad), "--defaults")
    assert refused.code == 2 and "ru_gis_class (--ru-gis-class) does not apply" in refused.err


def test_an_overlong_text_answer_is_exit_2_before_init_writes_anything(cli, tmp_path):
    # The manifest takes at most 500 characters in a reference: a longer answer would give a file
    # that check refuses (LP001), so init refuses it first and writes nothing.
    result, target = _init(cli, tmp_path, "--data-classes", "personal", "--jurisdictions", "RU", "--no-customer-facing",
                           "--rkn-notification", "R" * 501, "--ru-cii-category", "none", "--ru-gis-class", "none")
    assert result.code == 2, (result.out, result.err)
    assert "rkn_notification: at most 500 characters, got 501" in result.err
    assert not target.exists()
