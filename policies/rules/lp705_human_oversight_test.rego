package llm_policy.rules.lp705_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp705

run(project) := fs if {
	fs := lp705.findings with input as fx.manifest(object.union({"jurisdictions": ["DE"]}, project), ["public"], [fx.local("llama", {})])
}

test_adverse_decisions_need_oversight if {
	fs := run({"purposes": ["automated_adverse_decisions"]})
	count(fs) == 1
	some f in fs
	f.path == ["project", "human_oversight"]
	contains(f.msg, "declares the purpose automated_adverse_decisions")
}

test_an_annex_iii_area_needs_oversight if {
	fs := run({"ai_act": {"role": "deployer", "risk": "high", "annex_iii_area": "employment"}})
	some f in fs
	contains(f.msg, "Annex III area employment")
}

test_a_high_risk_system_needs_oversight if {
	fs := run({"ai_act": {"role": "provider", "risk": "high", "annex_iii_area": "biometrics"}})
	some f in fs
	contains(f.msg, "is a high-risk AI system")
}

test_named_oversight_passes if {
	count(run({"purposes": ["automated_adverse_decisions"], "human_oversight": "review@example.com"})) == 0
	count(run({"purposes": ["search"]})) == 0
}
