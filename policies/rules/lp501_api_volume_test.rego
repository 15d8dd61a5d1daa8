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
	contains(f.msg, `Source "gpt4o", billed per token by openai, serves a project with 4000 requests per hour, at or above 1000`)
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

# The layered pattern: the bulk on the self-hosted model, 10 % of 5000/h to the API.
layered(rph, routes, escalations) := fx.with_routing(
	fx.manifest({"requests_per_hour": rph}, ["internal"], [fx.local("llama", {}), fx.cloud("gpt4o", "openai", {})]),
	{"strategy": "layered", "routes": routes, "escalations": escalations, "fallbacks": [{"from": "gpt4o", "to": ["llama"]}]},
)

test_a_small_share_of_a_large_volume_passes if {
	count(run(layered(5000, [{"name": "simple", "to": "llama", "share_percent": 90}, {"name": "hard", "to": "gpt4o", "share_percent": 10}], []))) == 0
}

test_a_large_share_warns_at_the_share if {
	fs := run(layered(5000, [{"name": "simple", "to": "llama", "share_percent": 60}, {"name": "hard", "to": "gpt4o", "share_percent": 40}], []))
	count(fs) == 1
	some f in fs
	f.path == ["routing", "routes", 1, "share_percent"]
	contains(f.msg, `Source "gpt4o", billed per token by openai, receives about 2000 requests per hour through its routes and escalations, at or above 1000`)
}

test_route_and_escalation_volumes_add_up if {
	fs := run(layered(null, [{"name": "hard", "to": "gpt4o", "requests_per_hour": 700}], [{"from": "llama", "to": "gpt4o", "requests_per_hour": 301}]))
	some f in fs
	f.path == ["routing", "escalations", 0, "requests_per_hour"]
	count(run(layered(null, [{"name": "hard", "to": "gpt4o", "requests_per_hour": 700}], [{"from": "llama", "to": "gpt4o", "requests_per_hour": 299}]))) == 0
}

test_an_escalation_share_counts if {
	fs := run(layered(20000, [{"name": "all", "to": "llama"}], [{"from": "llama", "to": "gpt4o", "share_percent": 5}]))
	some f in fs
	f.path == ["routing", "escalations", 0, "share_percent"]
}

test_a_route_without_a_volume_counts_the_whole_project if {
	fs := run(layered(5000, [{"name": "simple", "to": "llama", "share_percent": 90}, {"name": "hard", "to": "gpt4o"}], []))
	some f in fs
	f.path == ["project", "requests_per_hour"]
	contains(f.msg, "declare requests_per_hour or share_percent on the routes that reach it")
}

test_a_share_without_a_project_volume_is_unknown if {
	count(run(layered(null, [{"name": "hard", "to": "gpt4o", "share_percent": 50}], []))) == 0
}

# The seed's end state: the API only as the self-hosted model's fallback.
test_a_fallback_only_api_carries_no_traffic if {
	m := fx.with_routing(
		fx.manifest({"requests_per_hour": 50000}, ["internal"], [fx.local("llama", {}), fx.cloud("gpt4o", "openai", {})]),
		{"strategy": "fallback", "routes": [{"name": "all", "to": "llama"}], "fallbacks": [{"from": "llama", "to": ["gpt4o"]}]},
	)
	count(run(m)) == 0
}

test_a_private_deployment_is_not_billed_per_token if {
	count(run(fx.manifest({"requests_per_hour": 5000}, ["internal"], [fx.private("p", "yandex-private", {"hosting": "provider"})]))) == 0
}

test_open_weights_billed_by_a_provider_count if {
	src := fx.local("hosted", {"hosting": "provider"})
	some f in run(fx.manifest({"requests_per_hour": 5000}, ["internal"], [src]))
	contains(f.msg, `Source "hosted", billed per token by its provider`)
}
