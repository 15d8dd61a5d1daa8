"""`llm-policy recommend`: one test per branch of the decision tree, answers in, recommendation out.

`BRANCHES` is shared with test_init.py, which writes the manifest for the same answers and runs
`llm-policy check` on it, so every branch is covered from question to a passing manifest.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import REPO, write

from llm_policy.advisor.decide import recommend
from llm_policy.advisor.tree import choices, decision_tree, questions

# id -> (answers, expected pattern, expected sectors, words each reason must contain by step)
BRANCHES: dict[str, tuple[dict, str, list[str], dict[int, list[str]]]] = {
    "state-secret-on-prem": (
        dict(data_classes=["state_secret", "internal"], jurisdictions=["RU"], team="no_ml", quality="critical",
             customer_facing=False, requests_per_hour=50),
        "self_hosted_air_gapped", ["open_source"],
        {1: ["State secrets", "state_secret", "on_prem"], 2: ["No ML engineers"], 3: ["Revenue-critical"], 4: ["50"]},
    ),
    "private-budget-eu-personal": (
        dict(data_classes=["personal"], jurisdictions=["DE"], team="budget", quality="production",
             customer_facing=True, requests_per_hour=300),
        "private_deployment", ["private"],
        {1: ["GDPR", "DE"], 2: ["private vendor deployment"], 3: ["production", "Customers see"], 4: ["300"]},
    ),
    "private-budget-ru-personal": (
        dict(data_classes=["personal", "internal"], jurisdictions=["RU"], team="budget", quality="pilot",
             customer_facing=False, requests_per_hour=20),
        "private_deployment", ["private"],
        {1: ["152-FZ", "RU"], 2: ["guarantees"], 3: ["pilot"], 4: ["20 requests/hour", "low"]},
    ),
    "layered-mlops-critical-ru": (
        dict(data_classes=["personal", "internal"], jurisdictions=["RU", "EU"], team="mlops", quality="critical",
             customer_facing=True, requests_per_hour=4000),
        "layered", ["open_source", "cloud_api"],
        {1: ["152-FZ", "GDPR applies too"], 2: ["MLOps"], 3: ["Revenue-critical"], 4: ["4000", "unavoidable"]},
    ),
    "layered-mlops-critical-eu-financial": (
        dict(data_classes=["financial", "internal"], jurisdictions=["EU"], team="mlops", quality="critical",
             customer_facing=True, requests_per_hour=500),
        "layered", ["open_source", "cloud_api"],
        {1: ["financial", "DPA"], 2: ["MLOps"], 3: ["Revenue-critical"], 4: ["500", "medium"]},
    ),
    "self-hosted-mlops-pilot": (
        dict(data_classes=["internal"], jurisdictions=["US"], team="mlops", quality="pilot",
             customer_facing=False, requests_per_hour=40),
        "self_hosted", ["open_source"],
        {1: ["Internal data"], 2: ["MLOps"], 3: ["pilot", "7B-8B"], 4: ["40", "low"]},
    ),
    "self-hosted-mlops-customer-facing": (
        dict(data_classes=["confidential"], jurisdictions=["EU"], team="mlops", quality="production",
             customer_facing=True, requests_per_hour=2500),
        "self_hosted", ["open_source"],
        {1: ["confidential"], 2: ["MLOps"], 3: ["Customers see"], 4: ["2500", "unavoidable"]},
    ),
    "staged-no-ml-high-traffic": (
        dict(data_classes=["internal"], jurisdictions=["EU"], team="no_ml", quality="production",
             customer_facing=True, requests_per_hour=3000),
        "staged_migration", ["cloud_api", "open_source"],
        {1: ["Internal data"], 2: ["No ML engineers"], 3: ["production"], 4: ["3000", "unavoidable"]},
    ),
    "cloud-ru-personal-customer-facing": (
        dict(data_classes=["personal"], jurisdictions=["RU"], team="no_ml", quality="production",
             customer_facing=True, requests_per_hour=60),
        "cloud_api", ["cloud_api"],
        {1: ["152-FZ", "YandexGPT", "GigaChat"], 2: ["No ML engineers"], 3: ["Customers see"], 4: ["60", "low"]},
    ),
    "cloud-eu-special-category": (
        dict(data_classes=["special_category", "personal"], jurisdictions=["EU"], team="no_ml", quality="critical",
             customer_facing=True, requests_per_hour=200),
        "cloud_api", ["cloud_api"],
        {1: ["GDPR", "zero data retention"], 2: ["No ML engineers"], 3: ["Revenue-critical"], 4: ["200"]},
    ),
    "cloud-public-internal-tool": (
        dict(data_classes=["public"], jurisdictions=["US"], team="no_ml", quality="pilot",
             customer_facing=False, requests_per_hour=10),
        "cloud_api", ["cloud_api"],
        {1: ["public"], 2: ["No ML engineers"], 3: ["pilot", "internal users"], 4: ["10", "low"]},
    ),
    "cloud-us-customer-facing": (
        dict(data_classes=["personal", "internal"], jurisdictions=["US"], team="no_ml", quality="critical",
             customer_facing=True, requests_per_hour=900),
        "cloud_api", ["cloud_api"],
        {1: ["Personal data", "DPA"], 2: ["No ML engineers"], 3: ["top cloud model"], 4: ["900", "medium"]},
    ),
}

INIT_ANSWERS = dict(name="support-assistant", owner="ai-platform@example.com", commercial=True)


def branch_answers(branch: str) -> dict:
    return dict(BRANCHES[branch][0])


def answer_flags(answers: dict) -> list[str]:
    """The command-line flags that give `answers` (the way a script would call the CLI)."""
    flags = []
    for key, value in answers.items():
        flag = "--" + key.replace("_", "-")
        if isinstance(value, bool):
            flags.append(flag if value else "--no-" + flag[2:])
        elif isinstance(value, list):
            flags += [flag, ",".join(value)]
        else:
            flags += [flag, str(value)]
    return flags


@pytest.mark.parametrize("branch", sorted(BRANCHES))
def test_branch_recommendation(cli, branch):
    answers, pattern, sectors, reason_words = BRANCHES[branch]
    result = cli("recommend", "--format", "json", *answer_flags(answers))
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["pattern"]["id"] == pattern
    assert doc["sectors"] == sectors
    assert doc["pattern"]["hybrid"] is (len(sectors) > 1)
    by_step = {reason["step"]: reason for reason in doc["reasons"]}
    assert sorted(by_step) == [1, 2, 3, 4]
    for step, words in reason_words.items():
        for word in words:
            assert word in by_step[step]["text"] or word in json.dumps(by_step[step]["answers"]), (step, word)
    # Each reason carries the answers it is about.
    assert by_step[1]["answers"]["data_classes"] == answers["data_classes"]
    assert by_step[2]["answers"]["team"] == answers["team"]
    assert by_step[4]["answers"]["requests_per_hour"] == answers["requests_per_hour"]
    # The suggested sources use only the recommended sectors.
    assert {s["sector"] for s in doc["sources"]} == set(sectors)
    # The evaluation table covers every option on every criterion and marks the recommendation.
    table = {row["option"]: row for row in doc["evaluation"]}
    assert set(table) == {"open_source", "cloud_api", "private"}
    for row in table.values():
        assert set(row["scores"]) == {"control", "cost", "quality", "time_to_market"}
        assert all(1 <= v <= 5 for v in row["scores"].values())
        assert row["recommended"] is (row["option"] in sectors)
        if row["recommended"]:
            assert row["allowed"]


def test_state_secret_excludes_cloud_and_private_and_stays_on_prem():
    rec = recommend(branch_answers("state-secret-on-prem"))
    assert {s["hosting"] for s in rec.sources} == {"on_prem"}
    table = {row["option"]: row for row in rec.evaluation}
    assert not table["cloud_api"]["allowed"] and not table["private"]["allowed"]
    assert any("MLOps staff or a contractor" in c for c in rec.caveats)


def test_ru_personal_data_uses_russian_providers_in_ru_only():
    rec = recommend(branch_answers("cloud-ru-personal-customer-facing"))
    assert [(s["id"], s["provider"], s["region"]) for s in rec.sources] == [
        ("cloud-main", "yandex", "RU"),
        ("cloud-backup", "gigachat", "RU"),
    ]
    assert rec.routing["fallbacks"] == [
        {"from": "cloud-main", "to": ["cloud-backup"]},
        {"from": "cloud-backup", "to": ["cloud-main"]},
    ]
    layered = recommend(branch_answers("layered-mlops-critical-ru"))
    assert {s["region"] for s in layered.sources} == {"RU"}


def test_layered_routes_simple_to_open_and_hard_to_cloud_with_open_fallback():
    rec = recommend(branch_answers("layered-mlops-critical-eu-financial"))
    by_id = {s["id"]: s for s in rec.sources}
    assert rec.routing["strategy"] == "layered"
    routes = {r["name"]: r["to"] for r in rec.routing["routes"]}
    assert by_id[routes["simple"]]["sector"] == "open_source"
    assert by_id[routes["complex"]]["sector"] == "cloud_api"
    assert by_id[routes["complex"]]["provider"] == "openai" and by_id[routes["complex"]]["region"] == "EU"
    assert rec.routing["fallbacks"] == [{"from": routes["complex"], "to": [routes["simple"]]}]


def test_staged_migration_starts_on_cloud_and_names_the_next_step():
    rec = recommend(branch_answers("staged-no-ml-high-traffic"))
    assert rec.routing["routes"][0]["to"] == "cloud-main"
    assert rec.routing["fallbacks"] == [{"from": "cloud-main", "to": ["open-tuned"]}]
    assert "Phase 2" in rec.pattern["next_step"]


def test_quality_picks_the_model_tier():
    pilot = recommend(branch_answers("self-hosted-mlops-pilot"))
    assert pilot.sources[0]["model"] == "meta-llama/Llama-3.1-8B-Instruct"
    critical = recommend(branch_answers("self-hosted-mlops-customer-facing"))
    assert critical.sources[0]["model"] == "meta-llama/Llama-3.1-70B-Instruct"
    cloud_pilot = recommend(branch_answers("cloud-public-internal-tool"))
    assert cloud_pilot.sources[0]["model"] == "gpt-4o-mini"


def test_special_category_requires_zero_retention_from_the_cloud():
    rec = recommend(branch_answers("cloud-eu-special-category"))
    assert all("zero_retention" in s["dpa_terms"] for s in rec.sources)


def test_traffic_moves_the_cost_scores():
    low = {r["option"]: r for r in recommend(branch_answers("cloud-public-internal-tool")).evaluation}
    high = {r["option"]: r for r in recommend(branch_answers("staged-no-ml-high-traffic")).evaluation}
    assert low["cloud_api"]["scores"]["cost"] > low["open_source"]["scores"]["cost"]
    assert high["open_source"]["scores"]["cost"] > high["cloud_api"]["scores"]["cost"]
    assert "the bill grows with every request" in high["cloud_api"]["notes"]["cost"]


def test_text_output_shows_sectors_pattern_reasons_and_table(cli):
    answers = branch_answers("layered-mlops-critical-ru")
    result = cli("recommend", *answer_flags(answers))
    assert result.code == 0, result.err
    out = result.out
    assert "Recommended sector(s): open_source + cloud_api" in out
    assert "Pattern: layered hybrid: light open model + strong cloud model (hybrid)" in out
    for topic in ("1. Data and compliance", "2. Team and budget", "3. Quality", "4. Traffic"):
        assert topic in out
    assert "option" in out and "control" in out and "time to market" in out
    assert "* open source, self-hosted" in out and "* cloud API" in out


def test_answers_file_yaml_and_json_and_flags_override(cli, tmp_path):
    yaml_file = write(tmp_path / "answers.yaml", "data_classes: [personal]\njurisdictions: RU\nteam: no-ml\n"
                      "quality: pilot\ncustomer_facing: yes\nrequests_per_hour: 30\n")
    result = cli("recommend", "--answers", str(yaml_file), "--format", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["answers"]["team"] == "no_ml" and doc["answers"]["jurisdictions"] == ["RU"]
    assert doc["sources"][0]["provider"] == "yandex"
    json_file = write(tmp_path / "answers.json", json.dumps(dict(branch_answers("cloud-public-internal-tool"))))
    result = cli("recommend", "--answers", str(json_file), "--team", "mlops", "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["pattern"]["id"] == "self_hosted"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--team", "wizards"], "team: unknown value 'wizards'; choose from no_ml, mlops, budget"),
        (["--data-classes", "secret-sauce"], "data_classes: unknown value 'secret-sauce'"),
        (["--jurisdictions", "Russia"], "'Russia' is not an ISO 3166-1 alpha-2 country code"),
        (["--requests-per-hour", "lots"], "requests_per_hour: expected a whole number >= 0, got 'lots'"),
    ],
)
def test_bad_answers_exit_2_with_a_message(cli, args, message):
    result = cli("recommend", "--defaults", *args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_answers_file_errors_exit_2(cli, tmp_path):
    unknown = write(tmp_path / "a.yaml", "team: mlops\nteem: budget\n")
    result = cli("recommend", "--defaults", "--answers", str(unknown))
    assert result.code == 2 and "unknown question(s) teem" in result.err
    broken = write(tmp_path / "b.json", "{not json")
    result = cli("recommend", "--defaults", "--answers", str(broken))
    assert result.code == 2 and "is not valid JSON" in result.err
    result = cli("recommend", "--defaults", "--answers", str(tmp_path / "missing.yaml"))
    assert result.code == 2 and "answers file not found" in result.err


def test_without_a_terminal_missing_answers_exit_2_instead_of_hanging(tmp_path):
    """CI runs with no stdin: the command must list what is missing, never wait for input."""
    proc = subprocess.run(
        [sys.executable, "-m", "llm_policy", "recommend", "--team", "mlops"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert proc.returncode == 2
    assert "missing answers: data_classes (--data-classes), jurisdictions (--jurisdictions)" in proc.stderr
    assert "(--team)" not in proc.stderr
    assert "--defaults" in proc.stderr
    assert proc.stdout == ""


def test_defaults_without_a_terminal(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "llm_policy", "recommend", "--defaults", "--format", "json"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    defaults = {q.id: q.default for q in questions("recommend")}
    assert doc["answers"] == defaults


# --- the data itself -------------------------------------------------------------------------

def _catalog() -> dict:
    return json.loads((REPO / "policies" / "data" / "catalog.json").read_text())["llm_policy"]["catalog"]


def test_every_suggested_model_is_in_the_catalog_with_a_commercial_license():
    catalog = _catalog()
    models = list(choices()["open_models"].values())
    for place in choices()["private"].values():
        if "open_model_by_quality" in place:
            models += [choices()["open_models"][tier] for tier in place["open_model_by_quality"].values()]
    for model in models:
        entry = catalog["models"][model["model"].lower()]
        assert entry["license"].lower() == model["license"].lower(), model
        assert catalog["licenses"][model["license"].lower()]["commercial_use"] is True, model


def test_every_suggested_provider_is_in_the_catalog_and_offers_the_region():
    catalog = _catalog()
    for place, roles in choices()["cloud"].items():
        for role in roles.values():
            provider = catalog["providers"][role["provider"]]
            assert "cloud_api" in provider["sectors"]
            assert role["region"] in provider["regions"], (place, role["provider"])
    for vendor in choices()["private"].values():
        assert "private" in catalog["providers"][vendor["provider"]]["sectors"]


def test_every_branch_of_the_tree_is_covered_by_a_test():
    """Adding a pattern to decision_tree.json without a test case here fails this test."""
    covered = {expected for _, expected, _, _ in BRANCHES.values()}
    reachable = {p["id"] for p in decision_tree()["patterns"] if p["when"]}  # the catch-all is unreachable
    assert reachable <= covered


def test_conditions_only_use_known_facts():
    """A typo in a `when` key would silently disable a row; every key must be a fact the advisor derives."""
    rec = recommend(branch_answers("layered-mlops-critical-ru"))
    known = set(rec.facts)
    tree = decision_tree()
    rows = tree["profiles"] + tree["data_notes"] + tree["patterns"] + tree["caveats"] + tree["evaluation"]["adjustments"]
    for row in rows:
        for key in list(row.get("when", {})) + list(row.get("unless", {})):
            assert key in known, (row, key)


@pytest.mark.parametrize("codes, hint", [("XX", ""), ("DE,QQ", ""), ("UK", "did you mean GB?"), ("EL", "did you mean GR?")])
def test_unknown_jurisdiction_code_is_a_usage_error(cli, codes, hint):
    """Issue 14.12: `XX` has the shape of a code but is not one; it used to drive the recommendation."""
    result = cli("recommend", "--defaults", "--jurisdictions", codes)
    assert result.code == 2 and "is not an ISO 3166-1 alpha-2 country code" in result.err and hint in result.err


def test_every_jurisdiction_code_the_advisor_names_is_a_real_one():
    from llm_policy.advisor.tree import country_codes, decision_tree

    assert len(country_codes()) == 249
    assert set(decision_tree()["eu_members"]) <= set(country_codes())
