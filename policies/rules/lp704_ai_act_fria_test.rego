package llm_policy.rules.lp704_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp704

run(ai_act) := fs if {
	fs := lp704.findings with input as fx.manifest({"jurisdictions": ["DE"], "ai_act": ai_act}, ["public"], [fx.local("llama", {})])
}

test_credit_scoring_without_fria_fails if {
	fs := run({"role": "deployer", "risk": "high", "annex_iii_area": "credit_scoring"})
	some f in fs
	f.path == ["project", "ai_act", "fria"]
	contains(f.msg, "for credit_scoring")
}

test_insurance_pricing_with_fria_passes if {
	count(run({"role": "deployer", "risk": "high", "annex_iii_area": "insurance_pricing", "fria": "FRIA-1"})) == 0
}

test_other_areas_need_none if {
	count(run({"role": "deployer", "risk": "high", "annex_iii_area": "employment"})) == 0
}
