package llm_policy.lib_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.lib

# Which of the four frameworks are in scope for a manifest (each checked as a rule does).
in_scope(m) := {fw |
	some fw in ["gdpr", "eu-ai-act", "ru-152fz", "pci-dss"]
	lib.framework_in_scope(fw) with input as m
}

m(project_overrides, classes) := fx.manifest(project_overrides, classes, [fx.cloud("gpt4o", "openai", {})])

test_jurisdictions_imply_frameworks if {
	in_scope(m({"jurisdictions": ["DE", "RU"]}, ["personal"])) == {"gdpr", "eu-ai-act", "ru-152fz"}
	in_scope(m({"jurisdictions": ["NO"]}, ["personal"])) == {"gdpr"}
}

test_payment_data_implies_pci_dss if {
	in_scope(m({"jurisdictions": ["RU"]}, ["payment"])) == {"ru-152fz", "pci-dss"}
}

test_nothing_implied_scopes_nothing_out if {
	in_scope(m({"jurisdictions": ["US"]}, ["personal"])) == {"gdpr", "ru-152fz", "pci-dss"}
}

test_an_ai_act_declaration_implies_the_ai_act if {
	in_scope(m({"jurisdictions": ["US"], "ai_act": {"role": "deployer", "risk": "minimal"}}, ["personal"])) == {"gdpr", "eu-ai-act", "ru-152fz", "pci-dss"}
	in_scope(m({"jurisdictions": ["RU"], "ai_act": {"role": "deployer", "risk": "minimal"}}, ["personal"])) == {"eu-ai-act", "ru-152fz"}
}

test_the_manifest_selection_replaces_the_implied_one if {
	in_scope(m({"jurisdictions": ["DE"], "frameworks": ["gdpr"]}, ["personal"])) == {"gdpr"}
}

test_the_run_selection_replaces_the_manifest_one if {
	x := m({"jurisdictions": ["DE"], "frameworks": ["gdpr"]}, ["personal"])
	lib.framework_in_scope("ru-152fz") with input as x with data.llm_policy.context.frameworks as ["ru-152fz"]
	not lib.framework_in_scope("gdpr") with input as x with data.llm_policy.context.frameworks as ["ru-152fz"]
}

test_framework_bound_rules_follow_the_scope if {
	x := m({"jurisdictions": ["RU"]}, ["personal"])
	lib.rule_enabled("LP401") with input as x
	not lib.rule_enabled("LP402") with input as x
}

test_neutral_rules_always_run if {
	x := m({"jurisdictions": ["RU"], "frameworks": ["ru-152fz"]}, ["personal"])
	lib.rule_enabled("LP201") with input as x
	lib.rule_enabled("LP003") with input as x
}
