package llm_policy.rules.lp703_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp703

run(ai_act) := fs if {
	fs := lp703.findings with input as fx.manifest({"jurisdictions": ["DE"], "ai_act": ai_act}, ["public"], [fx.local("llama", {})])
}

test_short_log_retention_fails if {
	fs := run({"role": "deployer", "risk": "high", "log_retention_days": 182})
	some f in fs
	f.path == ["project", "ai_act", "log_retention_days"]
	contains(f.msg, "is 182")
}

test_undeclared_retention_fails if {
	fs := run({"role": "deployer", "risk": "high"})
	some f in fs
	contains(f.msg, "is not declared")
}

test_six_months_pass if {
	count(run({"role": "deployer", "risk": "high", "log_retention_days": 183})) == 0
}

test_only_high_risk_deployers if {
	count(run({"role": "deployer", "risk": "limited"})) == 0
	count(run({"role": "provider", "risk": "high"})) == 0
}
