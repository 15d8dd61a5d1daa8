"""Per-rule documentation: `explain`, `rules`, the generated docs pages and where reports link to."""

from __future__ import annotations

import json
import re

import pytest

from conftest import FIXED_DATE, REPO, write
from llm_policy.policy import load_policy_set
from llm_policy.policy.policy_set import DOCS_BASE, PYTHON_RULES
from llm_policy.policy.rule_docs import is_builtin
from llm_policy.schema_gen import main as schema_gen

BUILTIN = load_policy_set()
CUSTOM_POLICY = """# METADATA
# title: Projects must name a ticket
# related_resources:
#   - ref: https://security.example.org/policies/ORG1
# custom:
#   id: ORG1
#   severity: warning
package main

warn contains {"msg": "name the approval ticket in project.tickets", "id": "ORG1"} if {
	not input.project.tickets
}
"""
NO_DPA = """\
apiVersion: llm-policy/v1
project:
  name: support-bot
  owner: support@example.com
data:
  classes: [confidential]
sources:
  - id: gpt4o
    sector: cloud_api
    provider: openai
    model: gpt-4o
"""


# --- the links in the rule metadata -------------------------------------------------------------

def test_docs_base_points_at_this_repositorys_docs_rules_folder():
    assert DOCS_BASE.endswith("/blob/main/docs/rules/")


@pytest.mark.parametrize("module", [m for m in BUILTIN.modules if m.annotations and m.path.startswith("builtin:rules/")],
                         ids=lambda m: m.path)
def test_metadata_related_resources_link_the_rules_page(module):
    """Each rule's METADATA links DOCS_BASE + <ID>.md, the page the generator writes."""
    rule_annotations = [a for a in module.annotations if a.custom.get("id")]
    assert rule_annotations, f"{module.path} has no rule METADATA"
    for annotation in rule_annotations:
        rule_id = annotation.custom["id"]
        refs = [r.get("ref") if isinstance(r, dict) else r for r in annotation.data.get("related_resources", [])]
        assert refs[:1] == [DOCS_BASE + f"{rule_id}.md"], f"{module.path}: related_resources must start with the docs page"
        assert (REPO / "docs" / "rules" / f"{rule_id}.md").is_file()


def test_python_rules_link_their_pages():
    for rule in PYTHON_RULES:
        assert rule.help_uri == DOCS_BASE + f"{rule.id}.md"


# --- generated pages ----------------------------------------------------------------------------

def test_every_builtin_rule_has_a_page_listed_in_the_index():
    index = (REPO / "docs" / "rules" / "README.md").read_text(encoding="utf-8")
    for rule in BUILTIN.rules.values():
        page = (REPO / "docs" / "rules" / f"{rule.id}.md").read_text(encoding="utf-8")
        assert page.startswith(f"# {rule.id}: {rule.title}\n")
        assert f"| Default severity | {rule.severity} |" in page
        assert f"[{rule.id}]({rule.id}.md)" in index


def test_policy_rule_page_has_examples_and_the_verification_note():
    page = (REPO / "docs" / "rules" / "LP201.md").read_text(encoding="utf-8")
    for heading in ("## Why", "## How to fix", "## Example that fails", "## Example that passes", "## Verification"):
        assert heading in page
    assert "license: qwen-research  # LP201:" in page
    assert "findings that rest on unverified catalog facts are at most warnings" in page.lower()
    assert "[`policies/rules/lp201_license_use.rego`](../../policies/rules/lp201_license_use.rego)" in page


def test_generator_flags_missing_changed_and_orphaned_pages(tmp_path, capsys):
    assert schema_gen(["--dir", str(tmp_path)]) == 0  # writes every generated file
    assert schema_gen(["--check", "--dir", str(tmp_path)]) == 0
    page = tmp_path / "docs" / "rules" / "LP101.md"
    page.write_text(page.read_text() + "hand edit\n")
    orphan = write(tmp_path / "docs" / "rules" / "LP999.md", "# a rule that was removed\n")
    capsys.readouterr()
    assert schema_gen(["--check", "--dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "docs/rules/LP101.md" in err and "docs/rules/LP999.md" in err
    assert schema_gen(["--dir", str(tmp_path)]) == 0
    assert not orphan.exists()
    assert schema_gen(["--check", "--dir", str(tmp_path)]) == 0


# --- explain and rules --------------------------------------------------------------------------

def test_explain_prints_everything_a_developer_needs(cli):
    result = cli("explain", "lp102")
    assert result.code == 0, result.err
    out = result.out
    assert out.startswith("LP102  Cloud API receives non-public data without a DPA\n")
    assert "severity: error    defined in: policies/rules/lp102_dpa_missing.rego (built-in)" in out
    for heading in ("Why:", "How to fix:", "Example that fails:", "Example that passes:"):
        assert f"\n{heading}\n" in out
    assert "        model: gpt-4o-2024-08-06  # LP102: confidential data, but no dpa" in out  # indented YAML
    assert out.rstrip().endswith("Documentation: " + DOCS_BASE + "LP102.md")


def test_explain_a_python_stage_rule(cli):
    result = cli("explain", "LP000")
    assert "defined in: llm-policy's Python pipeline (built-in)" in result.out
    assert "license: MIT  # LP000: a key may appear only once" in result.out


def test_explain_json(cli):
    result = cli("explain", "LP301", "--format", "json")
    data = json.loads(result.out)
    assert (data["id"], data["severity"], data["help_uri"]) == ("LP301", "error", DOCS_BASE + "LP301.md")
    assert data["defined_in"] == "policies/rules/lp301_no_fallback.rego (built-in)"
    assert "customer_facing: true" in data["examples"]["failing"]
    assert data["examples"]["evaluation_date"] == FIXED_DATE


def test_explain_unknown_rule_is_a_usage_error_with_suggestions(cli):
    result = cli("explain", "LP10")
    assert result.code == 2
    assert "unknown rule 'LP10'; did you mean" in result.err and "Traceback" not in result.err


def test_explain_custom_rule_keeps_its_own_link_and_has_no_examples(cli, tmp_path):
    write(tmp_path / "org" / "tickets.rego", CUSTOM_POLICY)
    result = cli("explain", "ORG1", "--policy", str(tmp_path / "org"), "--docs-url", "https://docs.example.org/")
    assert result.code == 0, result.err
    assert "Example that fails" not in result.out
    assert "Documentation: https://security.example.org/policies/ORG1" in result.out


def test_rules_markdown_links_each_rule(cli):
    result = cli("rules", "--format", "markdown")
    assert result.code == 0
    assert f"| [LP101]({DOCS_BASE}LP101.md) | error | Data class not allowed for the source's sector |" in result.out


# --- a configurable docs base -------------------------------------------------------------------

def _sarif_rules(cli, tmp_path, *extra: str) -> dict[str, dict]:
    write(tmp_path / "llm-sourcing.yaml", NO_DPA)
    write(tmp_path / "org" / "tickets.rego", CUSTOM_POLICY)
    result = cli("check", "llm-sourcing.yaml", "--format", "sarif", "--date", FIXED_DATE, "--policy", "org", *extra, cwd=tmp_path)
    assert result.code == 1, result.err
    run = json.loads(result.out)["runs"][0]
    assert {r["ruleId"] for r in run["results"]} >= {"LP102", "ORG1"}
    return {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}


def test_sarif_links_the_default_docs(cli, tmp_path):
    rules = _sarif_rules(cli, tmp_path)
    assert rules["LP102"]["helpUri"] == DOCS_BASE + "LP102.md"
    assert rules["LP000"]["helpUri"] == DOCS_BASE + "LP000.md"


def test_docs_url_rewrites_builtin_links_in_sarif(cli, tmp_path):
    rules = _sarif_rules(cli, tmp_path, "--docs-url", "https://docs.example.org/llm-policy/rules")
    assert rules["LP102"]["helpUri"] == "https://docs.example.org/llm-policy/rules/LP102.md"
    assert "https://docs.example.org/llm-policy/rules/LP102.md" in rules["LP102"]["help"]["markdown"]
    assert all(rule["helpUri"].startswith("https://docs.example.org/") for rid, rule in rules.items() if rid != "ORG1")
    assert rules["ORG1"]["helpUri"] == "https://security.example.org/policies/ORG1"  # a custom rule keeps its own


def test_docs_url_with_an_id_placeholder(cli, tmp_path):
    rules = _sarif_rules(cli, tmp_path, "--docs-url", "https://wiki.example.org/display/SEC/{id}")
    assert rules["LP301"]["helpUri"] == "https://wiki.example.org/display/SEC/LP301"


def test_docs_url_from_the_config_file_reaches_markdown_and_explain(cli, tmp_path):
    write(tmp_path / ".llm-policy.yaml", "docs_url: https://docs.example.org/llm/\n")
    write(tmp_path / "llm-sourcing.yaml", NO_DPA)
    result = cli("check", "llm-sourcing.yaml", "--format", "markdown", "--date", FIXED_DATE, cwd=tmp_path)
    assert "[LP102](https://docs.example.org/llm/LP102.md)" in result.out
    explained = cli("explain", "LP102", cwd=tmp_path)
    assert "Documentation: https://docs.example.org/llm/LP102.md" in explained.out
    flag_wins = cli("explain", "LP102", "--docs-url", "https://other.example.org/", cwd=tmp_path)
    assert "Documentation: https://other.example.org/LP102.md" in flag_wins.out


@pytest.mark.parametrize("bad", ["docs/rules", "ftp://docs.example.org/", "https://"])
def test_docs_url_must_be_an_http_url(cli, tmp_path, bad):
    write(tmp_path / "llm-sourcing.yaml", NO_DPA)
    result = cli("check", "llm-sourcing.yaml", "--docs-url", bad, cwd=tmp_path)
    assert result.code == 2
    assert "docs URL must start with http:// or https://" in result.err
    assert result.out == ""


def test_builtin_rules_are_recognised():
    assert all(is_builtin(rule) for rule in BUILTIN.rules.values())
    assert re.match(r"^builtin:rules/lp101_", BUILTIN.rules["LP101"].source)
