package llm_policy.rules.lp301_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp301

run(m) := fs if {
	fs := lp301.findings with input as m with data.llm_policy.context.today as fx.today
}

two_sources(project, fallbacks) := fx.with_routing(
	fx.manifest(project, ["internal"], [fx.cloud("gpt4o", "openai", {}), fx.local("llama", {})]),
	{"strategy": "fallback", "routes": [{"name": "all", "to": "gpt4o"}], "fallbacks": fallbacks},
)

test_customer_facing_cloud_api_without_fallback_fails if {
	fs := run(two_sources({"customer_facing": true}, []))
	count(fs) == 1
	some f in fs
	f.id == "LP301"
	f.severity == "error"
	f.path == ["sources", 0]
	f.source_id == "gpt4o"
	contains(f.msg, `Cloud API source "gpt4o" has no fallback, so an outage or a change of terms at openai stops the project`)
}

test_internal_project_gets_a_warning if {
	fs := run(two_sources({}, []))
	some f in fs
	f.severity == "warning"
}

test_manifest_without_routing_fails if {
	fs := run(fx.manifest({"customer_facing": true}, ["internal"], [fx.cloud("gpt4o", "openai", {})]))
	some f in fs
	f.path == ["sources", 0]
}

test_fallback_to_a_self_hosted_model_passes if {
	count(run(two_sources({"customer_facing": true}, [{"from": "gpt4o", "to": ["llama"]}]))) == 0
}

test_fallback_to_another_provider_passes if {
	m := fx.with_routing(
		fx.manifest({"customer_facing": true}, ["internal"], [fx.cloud("gpt4o", "openai", {}), fx.cloud("claude", "anthropic", {})]),
		{"strategy": "fallback", "fallbacks": [{"from": "gpt4o", "to": ["claude"]}, {"from": "claude", "to": ["gpt4o"]}]},
	)
	count(run(m)) == 0
}

test_fallback_to_the_same_provider_only_fails if {
	m := fx.with_routing(
		fx.manifest({"customer_facing": true}, ["internal"], [fx.cloud("gpt4o", "openai", {}), fx.cloud("mini", "OpenAI_API", {"model": "gpt-4o-mini"}), fx.local("llama", {})]),
		{"strategy": "fallback", "fallbacks": [{"from": "gpt4o", "to": ["mini"]}, {"from": "mini", "to": ["llama"]}]},
	)
	fs := run(m)
	count(fs) == 1
	some f in fs
	f.source_id == "gpt4o"
	f.path == ["routing", "fallbacks", 0, "to"]
	contains(f.msg, "falls back only to mini, none of which is another provider or sector")
}

test_one_independent_target_in_the_chain_is_enough if {
	m := fx.with_routing(
		fx.manifest({"customer_facing": true}, ["internal"], [fx.cloud("gpt4o", "openai", {}), fx.cloud("mini", "openai", {}), fx.local("llama", {})]),
		{"strategy": "fallback", "fallbacks": [{"from": "gpt4o", "to": ["mini", "llama"]}, {"from": "mini", "to": ["llama"]}]},
	)
	count(run(m)) == 0
}

test_self_hosted_sources_need_no_fallback if {
	count(run(fx.manifest({"customer_facing": true}, ["internal"], [fx.local("llama", {})]))) == 0
}
