package llm_policy.rules.lp706_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp706

run(ai_act) := fs if {
	fs := lp706.findings with input as fx.manifest({"jurisdictions": ["DE"], "ai_act": ai_act}, ["public"], [fx.local("llama", {})])
}

test_a_modifying_deployer_is_a_provider if {
	fs := run({"role": "deployer", "risk": "minimal", "modifies_gpai": true, "gpai_documentation": "D-1"})
	count(fs) == 1
	some f in fs
	f.path == ["project", "ai_act", "role"]
}

test_a_provider_documents_the_modification if {
	fs := run({"role": "provider", "risk": "minimal", "modifies_gpai": true})
	some f in fs
	f.path == ["project", "ai_act", "gpai_documentation"]
}

test_documented_or_unmodified_passes if {
	count(run({"role": "provider", "risk": "minimal", "modifies_gpai": true, "gpai_documentation": "D-1"})) == 0
	count(run({"role": "deployer", "risk": "minimal"})) == 0
}
