package llm_policy.rules.lp302_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp302

run(m) := fs if {
	fs := lp302.findings with input as m with data.llm_policy.context.today as fx.today
}

# A self-hosted primary for personal data that falls back to a cloud API.
hybrid(project, cloud_overrides) := fx.with_routing(
	fx.manifest(project, ["personal", "internal"], [
		fx.local("llama", {"data_classes": ["personal", "internal"]}),
		fx.cloud("gpt4o", "openai", object.union({"data_classes": ["internal"]}, cloud_overrides)),
	]),
	{"strategy": "layered", "fallbacks": [{"from": "llama", "to": ["gpt4o"]}]},
)

test_fallback_to_a_cloud_api_without_opt_out_fails if {
	fs := run(hybrid({}, {"dpa": {"training_opt_out": false}}))
	count(fs) == 1
	some f in fs
	f.id == "LP302"
	f.severity == "error"
	f.path == ["routing", "fallbacks", 0, "to", 0]
	f.source_id == "gpt4o"
	contains(f.msg, `When "llama" fails, its fallback "gpt4o" would receive personal data, which it may not: its dpa does not set training_opt_out: true`)
}

test_fallback_to_a_compliant_cloud_api_passes if {
	count(run(hybrid({}, {}))) == 0
}

test_classes_the_target_already_receives_are_left_to_lp101 if {
	m := hybrid({}, {"data_classes": ["personal", "internal"], "dpa": {"training_opt_out": false}})
	count(run(m)) == 0
}

test_state_secret_fallback_to_own_cloud_fails if {
	m := fx.with_routing(
		fx.manifest({}, ["state_secret", "internal"], [
			fx.local("onprem", {"data_classes": ["state_secret"]}),
			fx.local("cloudvm", {"hosting": "own_cloud", "data_classes": ["internal"]}),
		]),
		{"strategy": "fallback", "fallbacks": [{"from": "onprem", "to": ["cloudvm"]}]},
	)
	fs := run(m)
	some f in fs
	contains(f.msg, "hosting is own_cloud, but only on_prem is allowed")
}

test_ru_personal_data_fallback_outside_russia_fails if {
	fs := run(hybrid({"jurisdictions": ["RU"]}, {"region": "EU"}))
	count(fs) == 1
	some f in fs
	f.severity == "error"
	contains(f.msg, `its fallback "gpt4o" would process personal data in EU, outside Russia`)
	not f.verification
}

test_ru_personal_data_fallback_inside_russia_passes if {
	m := fx.with_routing(
		fx.manifest({"jurisdictions": ["RU"]}, ["personal"], [
			fx.local("llama", {"region": "RU"}),
			fx.private("sber", "sbercloud", {"region": "RU", "data_classes": []}),
		]),
		{"strategy": "fallback", "fallbacks": [{"from": "llama", "to": ["sber"]}]},
	)
	count(run(m)) == 0
}

test_region_from_the_catalog_counts if {
	src := fx.without(fx.cloud("claude", "anthropic", {"data_classes": ["internal"]}), ["region"])
	m := fx.with_routing(
		fx.manifest({"jurisdictions": ["RU"]}, ["personal", "internal"], [fx.local("llama", {"region": "RU"}), src]),
		{"strategy": "layered", "fallbacks": [{"from": "llama", "to": ["claude"]}]},
	)
	fs := run(m)
	some f in fs
	contains(f.msg, "in US, outside Russia")
	f.severity == "warning"
	f.verification == "unverified"
}

test_dangling_fallback_is_left_to_the_reference_check if {
	m := fx.with_routing(
		fx.manifest({}, ["personal"], [fx.local("llama", {})]),
		{"strategy": "fallback", "fallbacks": [{"from": "llama", "to": ["nowhere"]}]},
	)
	count(run(m)) == 0
}

# A -> B -> C: the personal data of A reaches C when A and then B fail.
test_chains_are_followed if {
	m := fx.with_routing(
		fx.manifest({}, ["personal", "internal"], [
			fx.local("a", {"data_classes": ["personal", "internal"]}),
			fx.local("b", {"data_classes": ["personal", "internal"]}),
			fx.cloud("c", "openai", {"data_classes": ["internal"], "dpa": {"training_opt_out": false}}),
		]),
		{"strategy": "fallback", "fallbacks": [{"from": "a", "to": ["b"]}, {"from": "b", "to": ["c"]}, {"from": "c", "to": ["a"]}]},
	)
	fs := run(m)
	count(fs) == 1
	some f in fs
	f.path == ["routing", "fallbacks", 1, "to", 0]
	f.source_id == "c"
}

test_data_that_reaches_a_source_only_through_a_chain_is_named if {
	m := fx.with_routing(
		fx.manifest({}, ["personal", "internal"], [
			fx.local("a", {"data_classes": ["personal", "internal"]}),
			fx.local("b", {"data_classes": ["internal"]}),
			fx.cloud("c", "openai", {"data_classes": ["internal"], "dpa": {"training_opt_out": false}}),
		]),
		{"strategy": "fallback", "fallbacks": [{"from": "a", "to": ["b"]}, {"from": "b", "to": ["c"]}]},
	)
	fs := run(m)
	some f in fs
	f.path == ["routing", "fallbacks", 1, "to", 0]
	contains(f.msg, `When "b" fails, its fallback "c" would receive personal data (the personal data that reaches it from a), which it may not`)
}

# Escalated data is handed on when the escalation target fails over.
test_escalated_data_follows_the_failover_of_the_target if {
	m := fx.with_routing(
		fx.manifest({}, ["personal", "internal"], [
			fx.local("a", {"data_classes": ["personal", "internal"]}),
			fx.cloud("b", "openai", {"data_classes": ["internal"]}),
			fx.cloud("c", "anthropic", {"data_classes": ["public"], "dpa": {"training_opt_out": false}}),
		]),
		{"strategy": "layered", "escalations": [{"from": "a", "to": "b", "data_classes": ["internal"]}], "fallbacks": [{"from": "b", "to": ["c"]}]},
	)
	fs := run(m)
	count(fs) == 0
}

test_cycles_terminate if {
	m := fx.with_routing(
		fx.manifest({}, ["internal"], [fx.local("a", {}), fx.local("b", {})]),
		{"strategy": "fallback", "fallbacks": [{"from": "a", "to": ["b"]}, {"from": "b", "to": ["a"]}]},
	)
	count(run(m)) == 0
}

eu_hybrid(cloud_overrides) := hybrid({"jurisdictions": ["DE"]}, object.union({"region": "US"}, cloud_overrides))

# LP302 mirrors LP402: GDPR personal data failing over to a US-region source.
test_eu_personal_data_fallback_outside_the_eea_warns if {
	fs := run(eu_hybrid({}))
	count(fs) == 1
	some f in fs
	f.severity == "warning"
	f.path == ["routing", "fallbacks", 0, "to", 0]
	contains(f.msg, `When "llama" fails, its fallback "gpt4o" would process personal data in US, outside the EU/EEA`)
	contains(f.msg, "document the transfer mechanism")
}

test_eu_fallback_with_a_transfer_mechanism_is_a_note if {
	fs := run(eu_hybrid({"dpa": {"transfer_mechanism": "EU SCCs"}}))
	some f in fs
	f.severity == "info"
	contains(f.msg, "relies on the declared mechanism (EU SCCs)")
}

test_eu_fallback_inside_the_eea_passes if {
	count(run(eu_hybrid({"region": "IE"}))) == 0
}
