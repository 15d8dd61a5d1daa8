"""A security team's own policies: conftest-style rules are picked up and their findings located."""

from __future__ import annotations

import pytest

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
    used = cli("check", str(manifest), "--policy", str(tmp_path / "p"), "--no-builtin", "--namespace", "org.llm", "--format", "json")
    assert {f["rule_id"] for f in used.findings()} == {"ORG001", "org.llm.warn"}
    everything = cli("check", str(manifest), "--policy", str(tmp_path / "p"), "--no-builtin", "--all-namespaces", "--format", "json")
    assert {f["rule_id"] for f in everything.findings()} == {"ORG001", "org.llm.warn"}


def test_a_package_outside_the_namespaces_is_a_fault_not_a_silent_pass(cli, tmp_path):
    """#11.5: a conftest deny outside --namespace used to be ignored by check (exit 0) while `rules` listed it."""
    write(tmp_path / "p" / "org.rego", ORG_POLICY.replace("package main", "package org.llm"))
    manifest = write(tmp_path / "llm-sourcing.yaml", MANIFEST)
    for extra in ((), ("--no-builtin",)):
        result = cli("check", str(manifest), "--policy", str(tmp_path / "p"), *extra, "--format", "json")
        assert result.code == 2
        fault = result.report["faults"][0]
        assert fault["kind"] == "policy" and fault["file"].endswith("p/org.rego") and fault["line"] == 8
        assert "package org.llm defines deny, warn, but it is not evaluated" in fault["message"]
        assert "--namespace org.llm" in fault["message"] and "--all-namespaces" in fault["message"]
    text = cli("check", str(manifest), "--policy", str(tmp_path / "p"), "--no-color")
    assert text.code == 2 and "package org.llm defines deny, warn" in text.out + text.err
    config = write(tmp_path / ".llm-policy.yaml", "policy: [p]\nall_namespaces: true\n")
    assert cli("check", str(manifest), "--config", str(config), "--format", "json").code == 1


def test_a_metadata_rule_outside_llm_policy_rules_is_a_fault(cli, tmp_path):
    """#11.5: built-in style `findings` with a METADATA id in package org.rules was listed but never run."""
    policy = """\
# METADATA
# title: No US regions
# custom:
#   id: ORG002
#   severity: error
package org.rules.regions

findings contains {"msg": "US region", "path": ["sources", i, "region"]} if {
	some i, s in input.sources
	s.region == "US"
}
"""
    write(tmp_path / "p" / "regions.rego", policy)
    manifest = write(tmp_path / "llm-sourcing.yaml", MANIFEST)
    base = ("check", str(manifest), "--policy", str(tmp_path / "p"), "--format", "json", "--date", FIXED_DATE)
    result = cli(*base)
    assert result.code == 2
    assert "package org.rules.regions defines findings, but it is not evaluated" in result.report["faults"][0]["message"]
    rules = cli("rules", "--policy", str(tmp_path / "p"), "--format", "json")
    assert rules.code == 0
    assert {r["id"]: r["evaluated"] for r in rules.report if r["id"] in ("ORG002", "LP101")} == {"ORG002": False, "LP101": True}
    # in an evaluated namespace, `findings` count like in llm_policy.rules.*
    used = cli(*base, "--namespace", "org.rules.regions")
    assert used.code == 1
    finding = next(f for f in used.findings() if f["rule_id"] == "ORG002")
    assert (finding["line"], finding["column"], finding["title"]) == (19, 13, "No US regions")
    # and under llm_policy.rules.* it needs no flag
    write(tmp_path / "p" / "regions.rego", policy.replace("package org.rules.regions", "package llm_policy.rules.org_regions"))
    assert "ORG002" in {f["rule_id"] for f in cli(*base).findings()}


def test_conftest_rules_inside_llm_policy_rules_are_evaluated(cli, tmp_path):
    write(tmp_path / "p" / "x.rego", 'package llm_policy.rules.acme\n\ndeny contains "acme says no" if input.apiVersion\n')
    manifest = write(tmp_path / "llm-sourcing.yaml", MANIFEST)
    result = cli("check", str(manifest), "--policy", str(tmp_path / "p"), "--no-builtin", "--format", "json")
    assert result.code == 1
    assert [f["rule_id"] for f in result.findings()] == ["llm_policy.rules.acme.deny"]


@pytest.mark.parametrize("setup", ["flag", "config", "helpers-only", "test-only"])
def test_no_builtin_with_nothing_to_evaluate_is_exit_2(cli, tmp_path, setup):
    """#11.4 / #14.12: zero evaluated rules passed every manifest."""
    manifest = write(tmp_path / "llm-sourcing.yaml", MANIFEST)
    args = ["check", str(manifest), "--format", "json"]
    if setup == "flag":
        args.append("--no-builtin")
    elif setup == "config":
        write(tmp_path / ".llm-policy.yaml", "no_builtin: true\n")
    elif setup == "helpers-only":
        write(tmp_path / "p" / "lib.rego", "package main\n\nis_cloud(s) if s.sector == \"cloud_api\"\n")
        args += ["--no-builtin", "--policy", str(tmp_path / "p")]
    else:
        write(tmp_path / "p" / "x_test.rego", "package main_test\n\ntest_x if true\n")
        args += ["--no-builtin", "--policy", str(tmp_path / "p")]
    result = cli(*args, cwd=tmp_path)
    assert result.code == 2
    assert "no policy rules to evaluate" in result.report["faults"][0]["message"]
    text = cli(*[a for a in args if a not in ("--format", "json")], cwd=tmp_path)
    assert text.code == 2 and "no policy rules to evaluate" in text.out + text.err


def test_rules_and_explain_list_conftest_rules_and_mark_what_check_skips(cli, tmp_path):
    write(tmp_path / "p" / "main.rego", 'package main\n\ndeny contains "no" if input.x\n\nwarn_owner contains "w" if input.y\n')
    write(tmp_path / "q" / "other.rego", 'package other\n\nviolation contains "v" if input.z\n')
    listed = cli("rules", "--policy", str(tmp_path / "p"), "--policy", str(tmp_path / "q"), "--no-builtin")
    assert listed.code == 0
    lines = {line.split()[0]: line for line in listed.out.splitlines()}
    assert "main.deny" in lines and "error" in lines["main.deny"] and "NOT EVALUATED" not in lines["main.deny"]
    assert "warning" in lines["main.warn_owner"]
    assert "NOT EVALUATED" in lines["other.violation"] and "--namespace other" in lines["other.violation"]
    explained = cli("explain", "main.deny", "--policy", str(tmp_path / "p"), "--no-builtin")
    assert explained.code == 0 and explained.out.startswith("main.deny  deny in package main")
    skipped = cli("explain", "other.violation", "--policy", str(tmp_path / "q"), "--no-builtin")
    assert skipped.code == 0 and "NOT EVALUATED by check" in skipped.out
    assert cli("rules", "--policy", str(tmp_path / "q"), "--no-builtin", "--all-namespaces", "--format", "json").report[-1]["evaluated"] is True


def test_bundle_and_verify_refuse_unevaluated_packages(cli, tmp_path):
    write(tmp_path / "q" / "other.rego", 'package other\n\nviolation contains "v" if input.z\n')
    write(tmp_path / "q" / "other_test.rego", 'package other_test\n\nimport data.other\n\ntest_v if other.violation == {"v"} with input as {"z": 1}\n')
    bundle = cli("bundle", "build", "-o", str(tmp_path / "b.tar.gz"), "--policy", str(tmp_path / "q"))
    assert bundle.code == 2 and "package other defines violation" in bundle.err
    assert cli("bundle", "build", "-o", str(tmp_path / "b.tar.gz"), "--policy", str(tmp_path / "q"), "--all-namespaces").code == 0
    verify = cli("verify", str(tmp_path / "q"))
    assert verify.code == 2 and "package other defines violation" in verify.err
    assert cli("verify", str(tmp_path / "q"), "--namespace", "other").code == 0


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


PLACEMENT_MANIFEST = MANIFEST + """\
  - id: api-mini
    sector: cloud_api
    provider: openai
    model: gpt-4o-mini
    region: US
"""

PLACEMENT_POLICY = """\
package main

deny contains "source api-mini sends data abroad" if input.sources

deny contains sprintf("Source %q has no DPA", ["api"]) if input.sources

warn contains "the apiary and localhost are not sources" if input.sources

warn contains "nothing names a source here" if input.sources

violation contains {"msg": "object form, only a source_id", "source_id": "local"} if input.sources

violation contains {"msg": "api is named but the path wins", "path": ["project", "name"]} if input.sources
"""


def test_findings_without_path_land_on_the_source_their_message_names(cli, tmp_path):
    """#14.2: a conftest message naming a declared source id is placed on that source, not on apiVersion."""
    write(tmp_path / "p" / "placement.rego", PLACEMENT_POLICY)
    manifest = write(tmp_path / "llm-sourcing.yaml", PLACEMENT_MANIFEST)
    result = cli("check", str(manifest), "--policy", str(tmp_path / "p"), "--no-builtin", "--format", "json")
    placed = {f["message"]: (f["line"], f["column"], f["source_id"], f["pointer"]) for f in result.findings()}
    assert placed == {
        "source api-mini sends data abroad": (20, 5, "api-mini", "/sources/2"),  # longest id wins over "api"
        'Source "api" has no DPA': (15, 5, "api", "/sources/1"),
        "the apiary and localhost are not sources": (1, 1, None, ""),  # ids only as whole words
        "nothing names a source here": (1, 1, None, ""),
        "object form, only a source_id": (9, 5, "local", "/sources/0"),
        "api is named but the path wins": (3, 9, None, "/project/name"),
    }


def test_source_placement_rule_is_deterministic():
    from llm_policy.engines.results import source_for

    manifest = {"sources": [{"id": "a"}, {"id": "b-2"}, {"id": "b"}, {"id": "c"}]}
    assert source_for(manifest, None, "c then a") == (3, "c")  # same length: the one named first
    assert source_for(manifest, None, "uses b-2") == (1, "b-2")  # not b inside b-2
    assert source_for(manifest, None, "'b' and \"a\"") == (2, "b")
    assert source_for(manifest, "a", "names c") == (0, "a")  # an explicit source_id wins
    assert source_for(manifest, "zz", "names c") is None  # an unknown source_id places nothing
    assert source_for({"sources": "x"}, None, "x") is None
    assert source_for(manifest, None, "") is None


@pytest.mark.parametrize("namespace", ["", " ", "org..llm", ".main", "main;x", "mаin"])
def test_a_namespace_that_is_not_a_package_name_is_a_usage_error(cli, tmp_path, namespace):
    manifest = write(tmp_path / "llm-sourcing.yaml", MANIFEST)
    result = cli("check", str(manifest), "--namespace", namespace)
    assert result.code == 2 and "is not a Rego package name" in result.err


def test_the_builtin_pack_has_no_conftest_rules_without_a_metadata_id():
    """`rules` and the scope check skip built-in modules (start-up cost); this keeps that safe."""
    from llm_policy.policy import load_policy_set
    from llm_policy.policy.scope import CONFTEST_RULE, deciding_rules

    policy_set = load_policy_set()
    builtin = [m for m in policy_set.modules if m.path.startswith("builtin:") and not m.is_test]
    assert builtin and all(not any(CONFTEST_RULE.match(r) for r in deciding_rules(m)) for m in builtin)
    assert sum("findings" in deciding_rules(m) for m in builtin) == len([m for m in builtin if m.package.startswith("llm_policy.rules.")])
    assert all(not deciding_rules(m) for m in builtin if not m.package.startswith("llm_policy.rules."))  # `unevaluated` skips them


def test_indented_rule_heads_are_found_too(cli, tmp_path):
    """Code opa fmt never touched: an indented `deny contains` in an unevaluated package is still a fault."""
    write(tmp_path / "p" / "x.rego", 'package org.x\n\n  deny contains "x" if input.sources\n\nf(x) := y if {\n\tdeny := x\n\ty := deny\n}\n')
    manifest = write(tmp_path / "llm-sourcing.yaml", MANIFEST)
    result = cli("check", str(manifest), "--policy", str(tmp_path / "p"), "--format", "json")
    assert result.code == 2 and "package org.x defines deny," in result.report["faults"][0]["message"]
    from llm_policy.policy.policy_set import Module
    from llm_policy.policy.scope import deciding_rules

    local_only = Module("m.rego", "package m\n\nf(x) := y if {\n\tdeny := x\n\ty := deny\n}\n", "m")
    assert deciding_rules(local_only) == {}
