"""The built-in rule pack end to end: `llm-policy check` on real manifests, as a user runs it.

For every rule there is a violating manifest in tests/fixtures/rules/<case>-fail.yaml, whose
findings of that rule must be exactly the expected ones (severity, line:column of the node to
fix, source id), and a compliant twin <case>-pass.yaml that differs only in the fix and must pass
with exit 0 and no finding of the rule. The Rego unit tests (`llm-policy verify`) cover the
rules' edge cases; these tests pin what reaches the user: ids, severities, positions, exit codes.
"""

from __future__ import annotations


import pytest

from conftest import EXAMPLES, FIXED_DATE, REPO, write

FIXTURES = REPO / "tests" / "fixtures" / "rules"

# case -> (rule, [(severity, line, column, source_id), ...]) of the violating manifest.
CASES = {
    "lp003": ("LP003", [("error", 5, 10, None), ("error", 18, 18, "gpt4o")]),  # each placeholder value
    "lp101": ("LP101", [("error", 21, 30, "gpt4o")]),  # the class in the source's data_classes
    "lp101-state-secret": ("LP101", [("error", 12, 5, "local-qwen")]),  # inherited classes: the source
    "lp102": ("LP102", [("error", 16, 5, "gpt4o")]),  # missing dpa: the source
    "lp103": ("LP103", [("error", 25, 16, "gpt4o")]),  # dpa.expires
    "lp104": ("LP104", [("warning", 25, 16, "gpt4o")]),  # dpa.expires
    "lp105": ("LP105", [("error", 22, 5, "gpt4o")]),  # missing training_opt_out: the dpa
    "lp201": ("LP201", [("error", 14, 12, "small-qwen")]),  # the model (the checkpoint decides)
    "lp201-eu": ("LP201", [("warning", 7, 23, "vision")]),  # the EU jurisdiction
    "lp202": ("LP202", [("error", 15, 14, "small-qwen")]),  # the declared license
    "lp203": ("LP203", [("warning", 13, 12, "legal-llm"), ("warning", 14, 14, "legal-llm")]),
    "lp204": ("LP204", [("info", 14, 14, "local-llama")]),
    "lp301": ("LP301", [("error", 11, 5, "claude")]),  # customer-facing: error
    "lp302": ("LP302", [("error", 35, 32, "gpt4o")]),  # the fallback target
    "lp303": ("LP303", [("warning", 32, 26, "gpt4o")]),
    "lp401": ("LP401", [("error", 22, 13, "gpt4o")]),  # the region
    "lp402": ("LP402", [("warning", 16, 13, "gpt4o")]),
    "lp403": ("LP403", [("error", 15, 13, "gpt4o")]),
    "lp501": ("LP501", [("warning", 7, 22, "gpt4o-mini")]),  # project.requests_per_hour
    # issue 12: fallbacks as they really fail over, licenses, cost and roles
    "lp301-same-platform": ("LP301", [("error", 28, 22, "claude")]),  # open weights on the same Bedrock
    "lp301-group": ("LP301", [("error", 27, 24, "gigachat")]),  # GigaChat -> Cloud.ru: one group
    "lp301-fallback-only": ("LP301", [("error", 19, 5, "gpt4o")]),  # the twin is the seed's end state
    "lp303-account": ("LP303", [("warning", 30, 27, "claude")]),  # one account under two sectors
    "lp302-chain": ("LP302", [("error", 42, 34, "gpt4o")]),  # the end of a chain
    "lp302-eu": ("LP302", [("warning", 33, 28, "local-qwen")]),  # mirrors LP402
    "lp304": ("LP304", [("error", 29, 30, "gpt4o")]),  # the escalation's target
    "lp305": ("LP305", [("error", 28, 26, "embed")]),  # another embedding model
    "lp201-nc": ("LP201", [("error", 16, 14, "legal-llm")]),  # CC-BY-NC-SA-4.0, unknown to the catalog
    "lp201-org-mau": ("LP201", [("error", 9, 38, "local-llama")]),  # organisation MAU
    "lp205": ("LP205", [("error", 16, 12, "codestral")]),  # the checkpoint (its license decides)
    "lp206": ("LP206", [("warning", 7, 29, "local-llama")]),  # the banned purpose
    "lp501-route": ("LP501", [("warning", 27, 54, "gpt4o-mini")]),  # the route's share
    "lp504": ("LP504", [("info", 27, 24, "starcoder")]),  # the general route
    "lp502": ("LP502", [("warning", 7, 15, "local-llama")]),  # project.mlops_team
    "lp503": ("LP503", [("warning", 13, 15, "acme")]),  # the provider
    # Issue 12, sections 1, 3 and 6: facts over claims, transfers, hosted-model lifecycles.
    "lp102-provider-hosted": ("LP102", [("error", 11, 5, "bedrock-llama")]),  # hosting: provider is a processor
    "lp401-reseller": ("LP401", [("error", 23, 13, "gpt4o")]),  # a reseller's region: RU
    "lp402-special": ("LP402", [("error", 17, 13, "local-llama")]),  # special categories, no mechanism
    "lp404": ("LP404", [("error", 13, 15, "claude")]),  # the provider
    "lp405": ("LP405", [("warning", 21, 27, "local-qwen")]),  # dpa.transfer_mechanism
    "lp406": ("LP406", [("error", 14, 12, "claude")]),  # a retired model
    "lp406-alias": ("LP406", [("warning", 14, 12, "gpt")]),  # a floating alias
    "lp503-error": ("LP503", [("error", 13, 15, "gpt")]),  # fail closed: personal data, misspelt provider
    # Issue 16: Russian sector rules (152-FZ Art. 22 and 6(3), 187-FZ / Decree No. 166, GIS).
    "lp407": ("LP407", [("error", 3, 1, None)]),  # no ru_152fz: the project
    "lp408": ("LP408", [("error", 11, 5, "yandexgpt")]),  # no processing_instruction: the source
    "lp409": ("LP409", [("error", 13, 15, "nim")]),  # the foreign provider
    "lp410": ("LP410", [("error", 16, 13, "local-qwen")]),  # the region outside Russia
    "lp410-certification": ("LP410", [("warning", 18, 5, "yandexgpt")]),  # Order No. 17 facts unverified
    # Issue 16: the EU AI Act and human oversight (project-level findings: no source).
    "lp701": ("LP701", [("error", 6, 34, None)]),  # the declared risk contradicts the Annex III area
    "lp702": ("LP702", [("error", 7, 3, None)]),  # no transparency_notice: the ai_act mapping
    "lp703": ("LP703", [("error", 6, 88, None)]),  # log_retention_days
    "lp704": ("LP704", [("error", 6, 3, None)]),  # no fria: the ai_act mapping
    "lp705": ("LP705", [("error", 2, 1, None)]),  # no human_oversight: the project
    "lp706": ("LP706", [("error", 6, 3, None), ("error", 6, 18, None)]),  # role, and no documentation
    # Issue 16: data retention and logging, redaction before a cloud call (store findings: no source).
    "lp106": ("LP106", [("error", 18, 23, "gpt4o")]),  # dpa.retention_days
    "lp106-unknown": ("LP106", [("warning", 15, 5, "gemini")]),  # no period anywhere: the dpa
    "lp107": ("LP107", [("error", 21, 13, None)]),  # the store's region
    "lp107-unknown": ("LP107", [("error", 20, 5, None)]),  # fail closed: the store without a region
    "lp108": ("LP108", [("error", 18, 5, None)]),  # the store without retention_days
    "lp109": ("LP109", [("error", 16, 5, "local-qwen")]),  # the control without evidence
}

RULE_IDS = {"LP003"} | {f"LP{n}" for n in (101, 102, 103, 104, 105, 106, 107, 108, 109, 201, 202, 203, 204, 205, 206, 301, 302, 303, 304, 305,
                                         401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 501, 502, 503, 504,
                                         701, 702, 703, 704, 705, 706)}


# Findings about the project or its stores, not a source.
PROJECT_LEVEL = {"LP003", "LP107", "LP108", "LP407", "LP701", "LP702", "LP703", "LP704", "LP705", "LP706"}


def check(cli, *args: str):
    return cli("check", *args, "--date", FIXED_DATE, "--format", "json")


def check_case(cli, case: str, kind: str):
    return check(cli, f"tests/fixtures/rules/{case}-{kind}.yaml")


def of_rule(result, rule: str) -> list[tuple]:
    return sorted(
        (f["severity"], f["line"], f["column"], f["source_id"]) for f in result.findings() if f["rule_id"] == rule
    )


def test_every_rule_has_a_violating_and_a_compliant_manifest():
    assert {rule for rule, _ in CASES.values()} == RULE_IDS
    for case in CASES:
        assert (FIXTURES / f"{case}-fail.yaml").is_file(), case
        assert (FIXTURES / f"{case}-pass.yaml").is_file(), case


@pytest.mark.parametrize("case", sorted(CASES))
def test_violation_is_reported_at_the_node_to_fix(cli, case):
    rule, expected = CASES[case]
    result = check_case(cli, case, "fail")
    assert of_rule(result, rule) == sorted(expected), result.out
    assert result.code == (1 if any(sev == "error" for sev, *_ in expected) else 0), result.out
    for finding in result.findings():
        if finding["rule_id"] == rule:
            assert finding["title"], "the rule's METADATA title reaches the report"
            if finding["source_id"] is not None or rule not in PROJECT_LEVEL:  # LP003 also finds project-level values
                assert f'"{finding["source_id"]}"' in finding["message"], "the message names the source"


@pytest.mark.parametrize("case", sorted(CASES))
def test_compliant_twin_passes(cli, case):
    rule, _ = CASES[case]
    result = check_case(cli, case, "pass")
    assert of_rule(result, rule) == [], result.out
    assert result.code == 0, result.out
    assert [f for f in result.findings() if f["severity"] == "error"] == []


def test_text_output_of_a_violation(cli):
    result = cli("check", "tests/fixtures/rules/lp202-fail.yaml", "--date", FIXED_DATE, "--no-color")
    assert result.code == 1
    assert (
        "tests/fixtures/rules/lp202-fail.yaml:15:14: error LP202 Source \"small-qwen\" declares license Apache-2.0, "
        "but the catalog licenses Qwen/Qwen2.5-3B-Instruct under qwen-research. Set license: qwen-research, "
        "or correct model if you run a different checkpoint." in result.out.splitlines()
    )


def test_findings_on_catalog_facts_carry_their_evidence(cli):
    result = check(cli, "tests/fixtures/rules/lp201-fail.yaml")
    (finding,) = [f for f in result.findings() if f["rule_id"] == "LP201"]
    assert finding["verification"] == "secondary"  # qwen-research terms: third-party copies
    assert finding["reference"] == "https://huggingface.co/Qwen/Qwen2.5-3B/blob/main/LICENSE"


def test_finding_on_an_unverified_fact_is_a_warning_that_says_so(cli, tmp_path):
    # Azure's region list is derived from prose the catalog marks incomplete.
    manifest = (FIXTURES / "lp403-fail.yaml").read_text(encoding="utf-8").replace(
        "provider: openai", "provider: azure-openai"
    ).replace("region: RU", "region: CL")
    path = write(tmp_path / "llm-sourcing.yaml", manifest)
    result = check(cli, str(path))
    (finding,) = [f for f in result.findings() if f["rule_id"] == "LP403"]
    assert (finding["severity"], finding["line"], finding["column"]) == ("warning", 15, 13)
    assert finding["verification"] == "unverified"
    assert "unverified catalog fact" in finding["message"]
    assert result.code == 0


def test_expiry_rules_follow_the_evaluation_date(cli):
    on_time = cli("check", "tests/fixtures/rules/lp103-fail.yaml", "--date", "2026-10-31", "--format", "json")
    assert of_rule(on_time, "LP103") == []
    assert of_rule(on_time, "LP104") == [("warning", 25, 16, "gpt4o")]


def test_an_organisation_overrides_a_table_with_data(cli, tmp_path):
    tables = write(tmp_path / "tables.yaml", "llm_policy:\n  tables:\n    requests_per_hour_threshold: 400\n")
    result = cli("check", "tests/fixtures/rules/lp501-pass.yaml", "--date", FIXED_DATE, "--format", "json",
                 "--data", str(tables))
    assert of_rule(result, "LP501") == [("warning", 7, 22, "gpt4o-mini")]


def test_an_organisation_extends_the_catalog_with_data(cli, tmp_path):
    provider = (
        "llm_policy:\n  catalog:\n    providers:\n      acme-llm-cloud:\n        id: acme-llm-cloud\n"
        "        sectors: [cloud_api]\n        regions: [US]\n        verification: primary\n"
        "        evidence:\n          regions: {verification: primary, source: 'https://acme.example/dpa'}\n"
    )
    catalog = write(tmp_path / "catalog.yaml", provider)
    result = cli("check", "tests/fixtures/rules/lp503-fail.yaml", "--date", FIXED_DATE, "--format", "json",
                 "--data", str(catalog))
    assert of_rule(result, "LP503") == []
    assert result.code == 0


VALID = sorted(p.parent.name for p in (EXAMPLES / "valid").glob("*/llm-sourcing.yaml"))


@pytest.mark.parametrize("name", VALID)
def test_valid_examples_pass_every_rule(cli, name):
    """A valid example shows a compliant pattern: no rule of the pack errs or warns on it."""
    result = check(cli, f"examples/valid/{name}")
    assert result.code == 0, result.out
    flagged = [(f["rule_id"], f["severity"], f["line"]) for f in result.findings() if f["severity"] != "info"]
    assert flagged == []


def test_rule_pack_tests_pass_under_verify(cli):
    result = cli("verify", "--fail-on-empty")
    assert result.code == 0, result.out + result.err
    assert " 0 failed" in result.out


def test_a_misspelt_provider_gets_a_suggestion_from_the_catalog(cli):
    result = cli("check", "tests/fixtures/rules/lp503-error-fail.yaml", "--date", FIXED_DATE, "--no-color")
    assert result.code == 1
    line = next(x for x in result.out.splitlines() if " LP503 " in x)
    assert line.startswith("tests/fixtures/rules/lp503-error-fail.yaml:13:15: error LP503 ")
    assert "Did you mean openai?" in line


def test_a_reseller_region_contradicting_the_catalog_is_lp403_too(cli):
    result = check(cli, "tests/fixtures/rules/lp401-reseller-fail.yaml")
    assert of_rule(result, "LP403") == [("error", 23, 13, "gpt4o")]
    assert of_rule(result, "LP404") == [("error", 20, 15, "gpt4o")]  # OpenAI does not serve Russia
    (lp401,) = [f for f in result.findings() if f["rule_id"] == "LP401"]
    assert "the declared region contradicts the catalog" in lp401["message"]
    assert "Contracting via proxy-llm-ru does not move inference" in lp401["message"]


def test_a_declared_eu_region_the_catalog_contradicts_is_judged_by_the_catalog(cli, tmp_path):
    # Issue 12, section 1: "region: EU" on a provider the catalog lists only in the US.
    manifest = (FIXTURES / "lp402-special-fail.yaml").read_text(encoding="utf-8").replace(
        "data:\n  classes: [special_category]", "data:\n  classes: [personal]"
    ).replace(
        "    sector: open_source\n    model: meta-llama/Llama-3.1-8B-Instruct\n    license: llama3.1-community\n"
        "    hosting: own_cloud\n    region: US",
        "    sector: cloud_api\n    provider: anthropic\n    model: claude-sonnet-4-20250514\n    region: EU\n"
        "    dpa: {reference: DPA-1, signed: 2025-01-10, training_opt_out: true}",
    )
    path = write(tmp_path / "llm-sourcing.yaml", manifest)
    result = check(cli, str(path))
    assert of_rule(result, "LP402") == [("warning", 16, 13, "local-llama")]
    assert of_rule(result, "LP403") == [("warning", 16, 13, "local-llama")]
    (lp402,) = [f for f in result.findings() if f["rule_id"] == "LP402"]
    assert "processes personal data in US" in lp402["message"]
    assert "the declared region contradicts the catalog" in lp402["message"]
    assert lp402["verification"] == "unverified"  # Anthropic's regions come from prose


def test_an_organisation_declares_its_dpf_certification_with_data(cli, tmp_path):
    # Issue 12, section 3: the US is adequate only for a provider verified as DPF-certified.
    manifest = (FIXTURES / "lp405-fail.yaml").read_text(encoding="utf-8").replace(
        "    sector: open_source\n    model: Qwen/Qwen2.5-7B-Instruct\n    license: Apache-2.0\n    hosting: own_cloud\n"
        "    region: IN",
        "    sector: cloud_api\n    provider: openai\n    model: gpt-4o-2024-08-06\n    region: US",
    ).replace("      transfer_mechanism: EU SCCs (Module 3)\n", "      training_opt_out: true\n")
    path = write(tmp_path / "llm-sourcing.yaml", manifest)
    assert [sev for sev, *_ in of_rule(check(cli, str(path)), "LP402")] == ["warning"]
    data = write(tmp_path / "dpf.yaml", "llm_policy:\n  catalog:\n    providers:\n      openai:\n        evidence:\n"
                 "          dpf_certified: {verification: primary, source: 'https://www.dataprivacyframework.gov/list'}\n")
    assert of_rule(check(cli, str(path), "--data", str(data)), "LP402") == []
