package llm_policy.rules.lp502_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp502

run(m) := fs if {
	fs := lp502.findings with input as m with data.llm_policy.context.today as fx.today
}

test_self_hosted_model_without_mlops_team_warns if {
	fs := run(fx.manifest({"mlops_team": false}, ["internal"], [fx.cloud("gpt4o", "openai", {}), fx.local("llama", {})]))
	count(fs) == 1
	some f in fs
	f.id == "LP502"
	f.severity == "warning"
	f.path == ["project", "mlops_team"]
	f.source_id == "llama"
	contains(f.msg, `Source "llama" is an open model hosted by the project (on_prem), but project.mlops_team is false`)
}

test_own_cloud_and_undeclared_hosting_count_as_self_hosted if {
	fs := run(fx.manifest({"mlops_team": false}, ["internal"], [fx.local("a", {"hosting": "own_cloud"}), fx.without(fx.local("b", {}), ["hosting"])]))
	{f.source_id | some f in fs} == {"a", "b"}
}

test_open_model_served_by_a_provider_passes if {
	count(run(fx.manifest({"mlops_team": false}, ["internal"], [fx.local("llama", {"hosting": "provider"})]))) == 0
}

test_with_mlops_team_passes if {
	count(run(fx.manifest({"mlops_team": true}, ["internal"], [fx.local("llama", {})]))) == 0
}

test_unstated_mlops_team_is_not_a_finding if {
	count(run(fx.manifest({}, ["internal"], [fx.local("llama", {})]))) == 0
}

test_private_deployments_are_run_by_the_vendor if {
	count(run(fx.manifest({"mlops_team": false}, ["internal"], [fx.private("nim", "nvidia-nim", {})]))) == 0
}
