"""A security team's own policies: conftest-style rules are picked up and their findings located."""

from __future__ import annotations

from conftest import FIXED_DATE, write

MANIFEST = """\
apiVersion: llm-policy/v1
project:
  name: p
  owner: o@example.com
  jurisdictions: [DE]
data:
  classes: [internal]
sources:
  - id: local
    sector: open_source
    model: mistralai/Mistral-7B-Instruct-v0.2
    license: Apache-2.0
    hosting: on_prem
    region: DE
  - id: api
    sector: cloud_api
    provider: openai
    model: gpt-4o
    region: US
"""

ORG_POLICY = """\
package main

# METADATA
# title: Only EU regions
# custom:
#   id: ORG001
#   severity: error
deny contains {"msg": sprintf("source %s runs in %s; the organisation allows EU regions only", [s.id, s.region]), "path": ["sources", i, "region"], "source_id": s.id} if {
	some i, s in input.sources
	not s.region in {"DE", "FR", "EU"}
}

warn contains "every project should name a ticket" if not input.project.tickets
"""


def test_conftest_deny_is_picked_up_and_located(cli, tmp_path):
    write(tmp_path / "org-policies" / "regions.rego", ORG_POLICY)
    manifest = write(tmp_path / "llm-sourcing.yaml", MANIFEST)
    result = cli("check", str(manifest), "--policy", str(tmp_path / "org-policies"), "--no-builtin",
                 "--format", "json", "--date", FIXED_DATE)
    assert result.code == 1
    findings = {f["rule_id"]: f for f in result.findings()}
    deny = findings["ORG001"]
    assert (deny["severity"], deny["line"], deny["column"], deny["source_id"]) == ("error", 19, 13, "api")
    assert deny["message"] == "source api runs in US; the organisation allows EU regions only"
    assert deny["title"] == "Only EU regions"
    warn = findings["main.warn"]
    assert (warn["severity"], warn["line"], warn["column"]) == ("warning", 1, 1)
    assert "ORG001" in {r["id"] for r in result.report["rules"]}


def test_custom_policies_run_beside_the_builtin_pack(cli, tmp_path):
    write(tmp_path / "org-policies" / "regions.rego", ORG_POLICY)
    manifest = write(tmp_path / "llm-sourcing.yaml", MANIFEST)
    result = cli("check", str(manifest), "--policy", str(tmp_path / "org-policies"), "--format", "json", "--date", FIXED_DATE)
    ids = {f["rule_id"] for f in result.findings()}
    assert "ORG001" in ids and any(i.startswith("LP") for i in ids)


def test_custom_namespace(cli, tmp_path):
    write(tmp_path / "p" / "org.rego", ORG_POLICY.replace("package main", "package org.llm"))
    manifest = write(tmp_path / "llm-sourcing.yaml", MANIFEST)
    ignored = cli("check", str(manifest), "--policy", str(tmp_path / "p"), "--no-builtin", "--format", "json")
    assert ignored.findings() == [] and ignored.code == 0
    used = cli("check", str(manifest), "--policy", str(tmp_path / "p"), "--no-builtin", "--namespace", "org.llm", "--format", "json")
    assert {f["rule_id"] for f in used.findings()} == {"ORG001", "org.llm.warn"}


def test_pyproject_configuration(cli, tmp_path):
    write(tmp_path / "org-policies" / "regions.rego", ORG_POLICY)
    write(tmp_path / "llm-sourcing.yaml", MANIFEST)
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.llm-policy]\npolicy = ["org-policies"]\nno-builtin = true\nfail-on = "never"\n')
    result = cli("check", "--format", "json", cwd=tmp_path)
    assert result.code == 0  # fail-on never from pyproject
    assert "ORG001" in {f["rule_id"] for f in result.findings()}


def test_data_override_changes_a_table(cli, tmp_path):
    policy = 'package main\n\ndeny contains "volume" if input.project.requests_per_hour > data.org.limit\n'
    write(tmp_path / "p" / "volume.rego", policy)
    manifest = write(tmp_path / "llm-sourcing.yaml", MANIFEST.replace("  jurisdictions: [DE]\n", "  jurisdictions: [DE]\n  requests_per_hour: 50\n"))
    write(tmp_path / "low.yaml", "org:\n  limit: 10\n")
    write(tmp_path / "high.json", '{"org": {"limit": 100}}')
    base = ["check", str(manifest), "--policy", str(tmp_path / "p"), "--no-builtin", "--format", "json"]
    assert cli(*base, "--data", str(tmp_path / "low.yaml")).code == 1
    assert cli(*base, "--data", str(tmp_path / "low.yaml"), "--data", str(tmp_path / "high.json")).code == 0
