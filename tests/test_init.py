"""`llm-policy init`: for every branch of the decision tree the manifest it writes passes `check`.

Also: the file is valid YAML with the schema modeline and the recommended structure, TODO markers
appear only for facts a human must supply, and an existing file is never overwritten without
--force.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from conftest import FIXED_DATE, REPO, write
from test_recommend import BRANCHES, INIT_ANSWERS, answer_flags, branch_answers

from llm_policy.advisor.manifest import MODELINE, scalar

SCHEMA = json.loads((REPO / "schemas" / "llm-sourcing.schema.json").read_text())


def load_yaml(path: Path) -> dict:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def init(cli, tmp_path: Path, answers: dict, *extra: str):
    target = tmp_path / "llm-sourcing.yaml"
    result = cli("init", str(target), "--date", FIXED_DATE, *answer_flags(answers), *extra, cwd=tmp_path)
    return result, target


@pytest.mark.parametrize("branch", sorted(BRANCHES))
def test_branch_manifest_is_valid_and_passes_check(cli, tmp_path, branch):
    answers, pattern, sectors, _ = BRANCHES[branch]
    result, target = init(cli, tmp_path, {**answers, **INIT_ANSWERS})
    assert result.code == 0, result.err
    assert f"Wrote {target}" in result.out

    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0] == MODELINE
    doc = load_yaml(target)
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).validate(
        # dates are written unquoted; the loader keeps them as text, so compare as text here too
        json.loads(json.dumps(doc, default=str))
    )
    assert doc["apiVersion"] == "llm-policy/v1"
    assert doc["project"]["owner"] == "ai-platform@example.com"
    assert doc["project"]["jurisdictions"] == answers["jurisdictions"]
    assert doc["project"]["mlops_team"] is (answers["team"] == "mlops")
    assert doc["data"]["classes"] == answers["data_classes"]
    assert {s["sector"] for s in doc["sources"]} == set(sectors)
    ids = {s["id"] for s in doc["sources"]}
    for route in doc["routing"]["routes"]:
        assert route["to"] in ids
    for source in doc["sources"]:
        if source["sector"] == "cloud_api":
            assert source["dpa"]["reference"].startswith("TODO")
            assert source["dpa"]["training_opt_out"] is True
            assert str(source["dpa"]["signed"]) == FIXED_DATE
    # a customer-facing product never depends on one cloud provider alone
    if answers["customer_facing"]:
        backed_up = {f["from"] for f in doc["routing"].get("fallbacks", [])}
        assert {s["id"] for s in doc["sources"] if s["sector"] == "cloud_api"} <= backed_up

    check = cli("check", str(target), "--date", FIXED_DATE, "--format", "json")
    findings = [f for r in check.report["files"] for f in r["findings"]]
    errors = [(f["rule_id"], f["message"]) for f in findings if f["severity"] == "error"]
    assert check.code == 0, (errors, check.err)
    assert errors == []


def test_todo_markers_only_where_a_human_must_supply_a_fact(cli, tmp_path):
    answers = {**branch_answers("cloud-ru-personal-customer-facing"), "name": "kyc-bot", "commercial": True}
    result, target = init(cli, tmp_path, answers)
    assert result.code == 0, result.err
    todo_lines = [line.split("#")[0].strip() for line in target.read_text().splitlines()
                  if "TODO" in line and not line.lstrip().startswith("#")]
    assert [line.split(":")[0] for line in todo_lines] == ["owner", "reference", "reference"]
    assert "Fill in the TODO markers (owner; DPA reference of cloud-main; DPA reference of cloud-backup)" in result.out
    # still a manifest check accepts as written
    assert cli("check", str(target), "--date", FIXED_DATE).code == 0


def test_no_todo_for_a_self_hosted_project_with_an_owner(cli, tmp_path):
    answers = {**branch_answers("state-secret-on-prem"), **INIT_ANSWERS}
    result, target = init(cli, tmp_path, answers)
    assert result.code == 0, result.err
    body = [line for line in target.read_text().splitlines() if not line.lstrip().startswith("#")]
    assert not any("TODO" in line for line in body)
    assert "Next: llm-policy check" in result.out


def test_refuses_to_overwrite_without_force(cli, tmp_path):
    target = write(tmp_path / "llm-sourcing.yaml", "apiVersion: llm-policy/v1\n# hand-written\n")
    answers = {**branch_answers("cloud-public-internal-tool"), **INIT_ANSWERS}
    result, _ = init(cli, tmp_path, answers)
    assert result.code == 2
    assert f"{target} already exists; use --force to overwrite it" in result.err
    assert target.read_text() == "apiVersion: llm-policy/v1\n# hand-written\n"
    result, _ = init(cli, tmp_path, answers, "--force")
    assert result.code == 0, result.err
    assert load_yaml(target)["project"]["name"] == "support-assistant"
    assert not list(tmp_path.glob(".llm-sourcing-*"))  # no temporary file left behind


def test_refuses_before_asking_when_the_file_exists(tmp_path):
    """No answers given and no terminal: the existing file is still the first thing reported."""
    import subprocess
    import sys

    write(tmp_path / "llm-sourcing.yaml", "x: 1\n")
    proc = subprocess.run([sys.executable, "-m", "llm_policy", "init"], cwd=tmp_path, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "already exists; use --force" in proc.stderr


def test_directory_target_and_defaults(cli, tmp_path):
    project = tmp_path / "my-service"
    project.mkdir()
    result = cli("init", str(project), "--defaults", "--date", FIXED_DATE, cwd=tmp_path)
    assert result.code == 0, result.err
    doc = load_yaml(project / "llm-sourcing.yaml")
    assert doc["project"]["name"] == "my-service"  # default name: the project directory
    assert doc["project"]["owner"].startswith("TODO")
    assert doc["project"]["commercial"] is True
    assert cli("check", str(project / "llm-sourcing.yaml"), "--date", FIXED_DATE).code == 0


def test_stdout_target(cli, tmp_path):
    answers = {**branch_answers("self-hosted-mlops-pilot"), **INIT_ANSWERS}
    result = cli("init", "-", "--date", FIXED_DATE, *answer_flags(answers), cwd=tmp_path)
    assert result.code == 0, result.err
    assert result.out.startswith(MODELINE)
    assert "model: meta-llama/Llama-3.1-8B-Instruct" in result.out
    assert list(tmp_path.iterdir()) == []


def test_missing_directory_and_bad_date_exit_2(cli, tmp_path):
    result = cli("init", str(tmp_path / "nope" / "llm-sourcing.yaml"), "--defaults", cwd=tmp_path)
    assert result.code == 2 and "does not exist" in result.err
    result = cli("init", str(tmp_path / "m.yaml"), "--defaults", "--date", "27.11.2026", cwd=tmp_path)
    assert result.code == 2 and "not an ISO date" in result.err
    assert not (tmp_path / "m.yaml").exists()


def test_names_that_yaml_would_misread_are_quoted(cli, tmp_path):
    answers = {**branch_answers("cloud-public-internal-tool"), "name": "yes: #1 [beta]", "owner": "NO",
               "commercial": False, "jurisdictions": ["NO"]}
    result, target = init(cli, tmp_path, answers)
    assert result.code == 0, result.err
    doc = load_yaml(target)
    assert doc["project"]["name"] == "yes: #1 [beta]"
    assert doc["project"]["owner"] == "NO"
    assert doc["project"]["jurisdictions"] == ["NO"]
    assert doc["project"]["commercial"] is False


@pytest.mark.parametrize("value", ["plain", "NO", "on", "2026-01-01", "a: b", "#x", "x # y", "\"q\"", "ünï", "1e3", ""])
def test_scalar_round_trips(value):
    assert YAML(typ="safe", pure=True).load(f"k: {scalar(value)}\n")["k"] == value


def test_answers_file_for_init(cli, tmp_path):
    answers = write(tmp_path / "answers.yaml", "name: billing-copilot\nowner: null\ncommercial: yes\n"
                    "data_classes: financial, internal\njurisdictions: [RU]\nteam: budget\nquality: production\n"
                    "customer_facing: no\nrequests_per_hour: 1500\n")
    target = tmp_path / "llm-sourcing.yaml"
    result = cli("init", str(target), "--answers", str(answers), "--date", FIXED_DATE, cwd=tmp_path)
    assert result.code == 0, result.err
    doc = load_yaml(target)
    assert doc["project"]["owner"].startswith("TODO")
    assert [(s["sector"], s["provider"], s["region"]) for s in doc["sources"]] == [("private", "yandex-private", "RU")]
    assert cli("check", str(target), "--date", FIXED_DATE).code == 0
