"""`llm-policy init`: for every branch of the decision tree the manifest it writes passes `check`
once a person has supplied what only a person knows, and not before.

Also: the file is valid YAML with the schema modeline and the recommended structure, TODO markers
appear only for facts a human must supply (and fail the check as LP003 at their line:col), no DPA
date or contractual term is invented, and an existing file is never overwritten without --force.
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


OWNER_TODO = '"TODO: owner (team mailbox or person who answers for this decision)"'
FILLED_DPA = {"reference": "DPA-2026-0042", "signed": "2026-01-15", "expires": "2027-06-30"}


RKN_TODO = '"TODO: Roskomnadzor registry number or notification reference (152-FZ Art. 22)"'
FILLED_INSTRUCTION = {"reference": "PI-2026-0042", "signed": "2026-01-15"}


def fill_in(text: str) -> str:
    """What a person does with the generated file: name the owner, classify the use under the AI
    Act, give the Roskomnadzor notification and copy each DPA and 152-FZ processing instruction from
    its contract into the commented templates (here: a contract granting every term)."""
    out = []
    block = None
    for line in text.splitlines():
        if line.startswith("  # ai_act: "):  # the EU AI Act classification (issue 16)
            out.append("  ai_act: {role: deployer, risk: limited, transparency_notice: UX-1}")
        elif line in ("    # dpa:", "    # processing_instruction:"):
            block = FILLED_DPA if "dpa" in line else FILLED_INSTRUCTION
            out.append(line.replace("# ", "", 1))
        elif line.startswith("    #   "):
            key, _, rest = line[len("    #   "):].partition(":")
            out.append(f"      {key}: {block[key]}" if key in block else f"      {key}:{rest}")
        else:
            out.append(line)
    return "\n".join(out).replace(OWNER_TODO, "ai-platform@example.com").replace(RKN_TODO, "RKN-2019-0412") + "\n"


def init(cli, tmp_path: Path, answers: dict, *extra: str):
    target = tmp_path / "llm-sourcing.yaml"
    result = cli("init", str(target), "--date", FIXED_DATE, *answer_flags(answers), *extra, cwd=tmp_path)
    return result, target


@pytest.mark.parametrize("branch", sorted(BRANCHES))
def test_branch_manifest_is_valid_and_passes_check_once_filled_in(cli, tmp_path, branch):
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
    cloud = [s for s in doc["sources"] if s["sector"] == "cloud_api"]
    for source in cloud:
        assert "dpa" not in source, "init knows of no contract: the DPA is a commented template"
    assert text.count("    # dpa:") == len(cloud)
    # a customer-facing product never depends on one cloud provider alone
    if answers["customer_facing"]:
        backed_up = {f["from"] for f in doc["routing"].get("fallbacks", [])}
        assert {s["id"] for s in cloud} <= backed_up

    # As written, every cloud source that gets more than public data is reported without a DPA
    # (an error, or a warning for internal data alone, as the tables decide).
    check = cli("check", str(target), "--date", FIXED_DATE, "--format", "json")
    reported = {f["source_id"] for f in check.findings() if f["rule_id"] == "LP102"}
    assert reported == {s["id"] for s in cloud if set(s.get("data_classes", doc["data"]["classes"])) - {"public"}}
    assert check.code == (1 if any(f["severity"] == "error" for f in check.findings()) else 0)

    target.write_text(fill_in(text), encoding="utf-8")
    filled = cli("check", str(target), "--date", FIXED_DATE, "--format", "json")
    errors = [(f["rule_id"], f["message"]) for f in filled.findings() if f["severity"] == "error"]
    assert filled.code == 0, (errors, filled.err)
    assert errors == []


def test_todo_markers_only_where_a_human_must_supply_a_fact(cli, tmp_path):
    answers = {**branch_answers("cloud-ru-personal-customer-facing"), "name": "kyc-bot", "commercial": True}
    result, target = init(cli, tmp_path, answers)
    assert result.code == 0, result.err
    text = target.read_text()
    todo_lines = [line.split("#")[0].strip() for line in text.splitlines()
                  if "TODO" in line and not line.lstrip().startswith("#")]
    # Personal data of a Russian project: the operator's Roskomnadzor notification (152-FZ Art. 22)
    # is a fact only a person has, so it is a TODO marker too (issue 16).
    assert [line.split(":")[0] for line in todo_lines] == ["owner", "ru_152fz"]
    assert text.count('    #   reference: "TODO: DPA reference') == 2
    assert text.count('    #   reference: "TODO: instruction reference') == 2
    assert ("Only a person can supply the owner; the DPA of cloud-main; the DPA of cloud-backup; the Roskomnadzor "
            "notification; the processing instruction of cloud-main; the processing instruction of cloud-backup") in result.out
    assert "until then `llm-policy check" in result.out


def test_init_never_invents_a_date_or_asserts_a_contractual_term(cli, tmp_path):
    """No `signed`/`expires` date and no `training_opt_out`/`zero_retention: true` outside comments,
    for every branch: init was told none of them."""
    for branch in sorted(BRANCHES):
        answers, _, _, _ = BRANCHES[branch]
        target = tmp_path / f"{branch}.yaml"
        result = cli("init", str(target), "--date", FIXED_DATE, *answer_flags({**answers, **INIT_ANSWERS}), cwd=tmp_path)
        assert result.code == 0, result.err
        body = [line for line in target.read_text().splitlines() if not line.lstrip().startswith("#")]
        for word in ("signed:", "expires:", "training_opt_out:", "zero_retention:", "dpa:", FIXED_DATE):
            assert not any(word in line for line in body), (branch, word)


def test_unedited_init_output_fails_with_lp003_at_the_placeholder_and_passes_filled_in(cli, tmp_path):
    """The non-interactive output as written exits 1 with LP003 at the owner placeholder's
    line:col (and LP102 for each DPA nobody supplied); with the facts filled in it exits 0."""
    answers = {**branch_answers("cloud-ru-personal-customer-facing"), "name": "kyc-bot", "commercial": True}
    result, target = init(cli, tmp_path, answers)
    assert result.code == 0, result.err
    text = target.read_text()
    line_no = next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith("  owner: "))
    column = text.splitlines()[line_no - 1].index(OWNER_TODO) + 1

    check = cli("check", str(target), "--date", FIXED_DATE, "--format", "json")
    assert check.code == 1
    lp003 = [(f["line"], f["column"], f["severity"]) for f in check.findings() if f["rule_id"] == "LP003"]
    rkn_line = next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith("  ru_152fz: "))
    rkn_column = text.splitlines()[rkn_line - 1].index(RKN_TODO) + 1
    assert lp003 == [(line_no, column, "error"), (rkn_line, rkn_column, "error")]
    assert {f["source_id"] for f in check.findings() if f["rule_id"] == "LP102"} == {"cloud-main", "cloud-backup"}
    assert {f["source_id"] for f in check.findings() if f["rule_id"] == "LP408"} == {"cloud-main", "cloud-backup"}
    text_out = cli("check", str(target), "--date", FIXED_DATE)
    assert f"llm-sourcing.yaml:{line_no}:{column}: error LP003 project.owner is a TODO marker" in text_out.out

    target.write_text(fill_in(text), encoding="utf-8")
    filled = cli("check", str(target), "--date", FIXED_DATE)
    assert filled.code == 0, filled.out


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
    check = cli("check", str(project / "llm-sourcing.yaml"), "--date", FIXED_DATE, "--format", "json")
    assert check.code == 1 and "LP003" in {f["rule_id"] for f in check.findings()}  # the owner is a TODO


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
    check = cli("check", str(target), "--date", FIXED_DATE, "--format", "json")
    assert check.code == 1 and [f["rule_id"] for f in check.findings() if f["severity"] == "error"] == ["LP003"]
    target.write_text(fill_in(target.read_text()), encoding="utf-8")
    assert cli("check", str(target), "--date", FIXED_DATE).code == 0
