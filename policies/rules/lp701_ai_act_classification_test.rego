package llm_policy.rules.lp701_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp701

run(project) := fs if {
	fs := lp701.findings with input as fx.manifest(project, ["public"], [fx.local("llama", {})])
}

test_an_eu_project_must_declare_its_classification if {
	fs := run({"jurisdictions": ["FR"]})
	count(fs) == 1
	some f in fs
	f.path == ["project", "ai_act"]
	f.severity == "error"
}

test_outside_the_eu_nothing_is_required if {
	count(run({"jurisdictions": ["RU"]})) == 0
}

test_a_prohibited_practice_is_an_error if {
	fs := run({"jurisdictions": ["EU"], "ai_act": {"role": "deployer", "risk": "prohibited"}})
	some f in fs
	f.path == ["project", "ai_act", "risk"]
	contains(f.msg, "Art. 5")
}

test_an_annex_iii_area_is_high_risk if {
	fs := run({"jurisdictions": ["EU"], "ai_act": {"role": "deployer", "risk": "limited", "annex_iii_area": "education"}})
	some f in fs
	contains(f.msg, "Annex III area education but risk limited")
	count(run({"jurisdictions": ["EU"], "ai_act": {"role": "deployer", "risk": "high", "annex_iii_area": "education"}})) == 0
}

test_the_framework_flag_selects_the_rule_anywhere if {
	fs := lp701.findings with input as fx.manifest({"jurisdictions": ["RU"]}, ["public"], [fx.local("llama", {})])
		with data.llm_policy.context.frameworks as ["eu-ai-act"]
	count(fs) == 1
}
