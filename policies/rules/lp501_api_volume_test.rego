package llm_policy.rules.lp501_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp501

run(m) := fs if {
	fs := lp501.findings with input as m with data.llm_policy.context.today as fx.today
}

volume(rph) := fx.manifest({"requests_per_hour": rph}, ["internal"], [fx.cloud("gpt4o", "openai", {}), fx.local("llama", {})])

test_cloud_api_at_high_volume_warns if {
	fs := run(volume(4000))
	count(fs) == 1
	some f in fs
	f.id == "LP501"
	f.severity == "warning"
	f.path == ["project", "requests_per_hour"]
	f.source_id == "gpt4o"
	contains(f.msg, `Cloud API source "gpt4o" serves a project with 4000 requests per hour, at or above 1000`)
}

test_threshold_is_inclusive if {
	count(run(volume(1000))) == 1
	count(run(volume(999))) == 0
}

test_unknown_volume_is_not_a_finding if {
	count(run(fx.manifest({}, ["internal"], [fx.cloud("gpt4o", "openai", {})]))) == 0
}

test_self_hosted_only_at_high_volume_passes if {
	count(run(fx.manifest({"requests_per_hour": 50000}, ["internal"], [fx.local("llama", {}), fx.private("nim", "nvidia-nim", {})]))) == 0
}

test_threshold_comes_from_the_tables if {
	fs := lp501.findings with input as volume(600) with data.llm_policy.tables as fx.tables_with("requests_per_hour_threshold", 500)
	count(fs) == 1
}
