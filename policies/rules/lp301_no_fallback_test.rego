package llm_policy.rules.lp301_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp301

run(m) := fs if {
	fs := lp301.findings with input as m with data.llm_policy.context.today as fx.today
}

# The catalog with the corporate groups the facts carry (sber: gigachat and sbercloud).
grouped_catalog := object.union(data.llm_policy.catalog, {"providers": {
	"gigachat": {"group": "sber"},
	"sbercloud": {"group": "sber"},
}})

run_grouped(m) := fs if {
	cat := grouped_catalog
	fs := lp301.findings with input as m with data.llm_policy.context.today as fx.today with data.llm_policy.catalog as cat
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
	contains(f.msg, `Source "gpt4o", run by openai, has no fallback, so an outage or a change of terms there stops the project`)
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
		fx.manifest({"customer_facing": true}, ["internal"], [fx.cloud("gpt4o", "openai", {}), fx.cloud("mini", "OpenAI_API", {"model": "gpt-4o-mini"}), fx.cloud("claude", "anthropic", {})]),
		{"strategy": "fallback", "routes": [{"name": "all", "to": "gpt4o"}, {"name": "b", "to": "claude"}], "fallbacks": [{"from": "gpt4o", "to": ["mini"]}, {"from": "claude", "to": ["gpt4o"]}]},
	)
	fs := run(m)
	count(fs) == 1
	some f in fs
	f.source_id == "gpt4o"
	f.path == ["routing", "fallbacks", 0, "to"]
	contains(f.msg, "falls back only to sources that fail with it or may not take its data (mini: same provider openai)")
}

test_one_independent_target_in_the_chain_is_enough if {
	m := fx.with_routing(
		fx.manifest({"customer_facing": true}, ["internal"], [fx.cloud("gpt4o", "openai", {}), fx.cloud("mini", "openai", {}), fx.local("llama", {})]),
		{"strategy": "fallback", "fallbacks": [{"from": "gpt4o", "to": ["mini", "llama"]}, {"from": "mini", "to": ["llama"]}]},
	)
	count(run(m)) == 0
}

# Chains are followed: gpt4o -> mini (same provider) -> llama (self-hosted).
test_an_independent_source_further_down_the_chain_counts if {
	m := fx.with_routing(
		fx.manifest({"customer_facing": true}, ["internal"], [fx.cloud("gpt4o", "openai", {}), fx.cloud("mini", "openai", {}), fx.local("llama", {})]),
		{"strategy": "fallback", "routes": [{"name": "all", "to": "gpt4o"}], "fallbacks": [{"from": "gpt4o", "to": ["mini"]}, {"from": "mini", "to": ["llama"]}]},
	)
	count(run(m)) == 0
}

test_self_hosted_sources_need_no_fallback if {
	count(run(fx.manifest({"customer_facing": true}, ["internal"], [fx.local("llama", {})]))) == 0
}

# The seed's end state: main traffic on a self-hosted model, the cloud API only as its fallback.
test_a_fallback_only_cloud_api_needs_no_fallback if {
	m := fx.with_routing(
		fx.manifest({"customer_facing": true}, ["internal"], [fx.local("llama", {}), fx.cloud("gpt4o", "openai", {})]),
		{"strategy": "fallback", "routes": [{"name": "all", "to": "llama"}], "fallbacks": [{"from": "llama", "to": ["gpt4o"]}]},
	)
	count(run(m)) == 0
}

# An escalation target receives primary traffic every day.
test_an_escalation_target_needs_a_fallback if {
	m := fx.with_routing(
		fx.manifest({"customer_facing": true}, ["internal"], [fx.local("llama", {}), fx.cloud("gpt4o", "openai", {})]),
		{"strategy": "layered", "routes": [{"name": "all", "to": "llama"}], "escalations": [{"from": "llama", "to": "gpt4o"}], "fallbacks": [{"from": "llama", "to": ["gpt4o"]}]},
	)
	fs := run(m)
	some f in fs
	f.source_id == "gpt4o"
}

# Open weights on a provider's platform depend on the provider like a cloud API.
test_open_weights_hosted_by_a_provider_need_a_fallback if {
	m := fx.manifest({"customer_facing": true}, ["internal"], [fx.local("llama", {"hosting": "provider", "provider": "aws-bedrock"})])
	fs := run(m)
	some f in fs
	contains(f.msg, `Source "llama", run by aws-bedrock, has no fallback`)
}

# Never by the sector label: the "open source" backup runs on the same Bedrock.
test_a_backup_on_the_same_provider_under_another_sector_does_not_count if {
	m := fx.with_routing(
		fx.manifest({"customer_facing": true}, ["internal"], [
			fx.cloud("claude", "bedrock", {}),
			fx.local("llama", {"hosting": "provider", "provider": "aws-bedrock"}),
		]),
		{"strategy": "fallback", "routes": [{"name": "all", "to": "claude"}], "fallbacks": [{"from": "claude", "to": ["llama"]}]},
	)
	fs := run(m)
	some f in fs
	contains(f.msg, "(llama: same provider aws-bedrock)")
}

test_a_backup_on_the_same_account_does_not_count if {
	m := fx.with_routing(
		fx.manifest({"customer_facing": true}, ["internal"], [
			fx.cloud("claude", "aws-bedrock", {"account": "aws:1234"}),
			fx.local("llama", {"hosting": "own_cloud", "account": "AWS:1234"}),
		]),
		{"strategy": "fallback", "routes": [{"name": "all", "to": "claude"}], "fallbacks": [{"from": "claude", "to": ["llama"]}]},
	)
	fs := run(m)
	some f in fs
	contains(f.msg, "(llama: same account AWS:1234)")
}

test_a_backup_in_the_same_corporate_group_does_not_count if {
	m := fx.with_routing(
		fx.manifest({"customer_facing": true, "jurisdictions": ["RU"]}, ["internal"], [
			fx.cloud("giga", "gigachat", {"region": "RU"}),
			fx.cloud("cloudru", "sbercloud", {"region": "RU"}),
		]),
		{"strategy": "fallback", "routes": [{"name": "all", "to": "giga"}], "fallbacks": [{"from": "giga", "to": ["cloudru"]}]},
	)
	fs := run_grouped(m)
	some f in fs
	contains(f.msg, "(cloudru: same corporate group sber)")

	# without the group fact each provider is its own group
	no_groups := json.remove(data.llm_policy.catalog, ["providers/gigachat/group", "providers/sbercloud/group"])
	count(lp301.findings) == 0 with input as m with data.llm_policy.context.today as fx.today with data.llm_policy.catalog as no_groups
}

test_a_backup_without_a_declared_provider_does_not_count if {
	m := fx.with_routing(
		fx.manifest({"customer_facing": true}, ["internal"], [
			fx.cloud("gpt4o", "openai", {}),
			fx.local("hosted", {"hosting": "provider"}),
		]),
		{"strategy": "fallback", "routes": [{"name": "all", "to": "gpt4o"}, {"name": "b", "to": "hosted"}], "fallbacks": [{"from": "gpt4o", "to": ["hosted"]}, {"from": "hosted", "to": ["gpt4o"]}]},
	)
	fs := run(m)
	count(fs) == 2
	some f in fs
	f.source_id == "gpt4o"
	contains(f.msg, "(hosted: provider of hosted not declared)")
	some g in fs
	g.source_id == "hosted"
	contains(g.msg, `Source "hosted", run by an undeclared provider`)
	contains(g.msg, "(gpt4o: provider of hosted not declared)")
}

# Residency: a RU project's personal data may not fail over to a US backup, so it is no backup.
test_a_backup_outside_the_residency_jurisdiction_does_not_count if {
	m := fx.with_routing(
		fx.manifest({"customer_facing": true, "jurisdictions": ["RU"]}, ["personal"], [
			fx.cloud("yagpt", "yandex", {"region": "RU"}),
			fx.local("llama", {"region": "US"}),
		]),
		{"strategy": "fallback", "routes": [{"name": "all", "to": "yagpt"}], "fallbacks": [{"from": "yagpt", "to": ["llama"]}]},
	)
	fs := run(m)
	some f in fs
	contains(f.msg, "(llama: would take personal data outside the project's residency jurisdiction)")
}

test_an_eu_backup_with_a_transfer_mechanism_counts if {
	count(run(eu_project({"transfer_mechanism": "EU SCCs"}))) == 0
	fs := run(eu_project({}))
	some f in fs
	contains(f.msg, "(claude: would take personal data outside the project's residency jurisdiction)")
}

eu_project(dpa) := fx.with_routing(
	fx.manifest({"customer_facing": true, "jurisdictions": ["EU"]}, ["personal"], [
		fx.cloud("mistral", "mistral", {"region": "EU"}),
		fx.cloud("claude", "anthropic", {"region": "US", "dpa": object.union(fx.valid_dpa, dpa)}),
	]),
	{"strategy": "fallback", "routes": [{"name": "all", "to": "mistral"}], "fallbacks": [{"from": "mistral", "to": ["claude"]}]},
)

# A project under both 152-FZ and GDPR: the RU primary already breaches GDPR residency (LP402's
# business), so a RU backup is not refused for it.
test_a_duty_the_primary_breaches_itself_does_not_refuse_the_backup if {
	m := fx.with_routing(
		fx.manifest({"customer_facing": true, "jurisdictions": ["RU", "EU"]}, ["personal"], [
			fx.cloud("yagpt", "yandex", {"region": "RU"}),
			fx.local("qwen", {"region": "RU"}),
		]),
		{"strategy": "layered", "routes": [{"name": "all", "to": "yagpt"}], "fallbacks": [{"from": "yagpt", "to": ["qwen"]}]},
	)
	count(run(m)) == 0
}

# Two APIs of one provider backing each other up, with no route: neither is a mere fallback.
test_a_fallback_cycle_is_not_an_escape if {
	m := fx.with_routing(
		fx.manifest({"customer_facing": true}, ["internal"], [fx.cloud("a", "openai", {}), fx.cloud("b", "openai", {})]),
		{"strategy": "fallback", "fallbacks": [{"from": "a", "to": ["b"]}, {"from": "b", "to": ["a"]}]},
	)
	count(run(m)) == 2
}
