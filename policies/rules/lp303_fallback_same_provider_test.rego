package llm_policy.rules.lp303_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp303

run(m) := fs if {
	fs := lp303.findings with input as m with data.llm_policy.context.today as fx.today
}

pair(provider_a, provider_b) := fx.with_routing(
	fx.manifest({}, ["internal"], [fx.cloud("a", provider_a, {}), fx.cloud("b", provider_b, {}), fx.local("llama", {})]),
	{"strategy": "fallback", "fallbacks": [{"from": "a", "to": ["llama", "b"]}]},
)

test_fallback_to_the_same_provider_warns if {
	fs := run(pair("anthropic", "anthropic"))
	count(fs) == 1
	some f in fs
	f.id == "LP303"
	f.severity == "warning"
	f.path == ["routing", "fallbacks", 0, "to", 1]
	f.source_id == "a"
	contains(f.msg, `Source "a" falls back to "b" on the same provider (anthropic)`)
}

test_aliases_are_the_same_provider if {
	count(run(pair("Claude", "anthropic"))) == 1
	count(run(pair("yandexgpt", "Yandex"))) == 1
}

test_unknown_providers_compare_by_name if {
	count(run(pair("acme-llm", "ACME-LLM"))) == 1
	count(run(pair("acme-llm", "other-llm"))) == 0
}

test_another_provider_passes if {
	count(run(pair("openai", "azure-openai"))) == 0
}

test_self_hosted_targets_have_no_provider if {
	m := fx.with_routing(
		fx.manifest({}, ["internal"], [fx.local("a", {}), fx.local("b", {})]),
		{"strategy": "fallback", "fallbacks": [{"from": "a", "to": ["b"]}]},
	)
	count(run(m)) == 0
}

test_fallback_in_the_same_corporate_group_warns if {
	cat := object.union(data.llm_policy.catalog, {"providers": {"gigachat": {"group": "sber"}, "sbercloud": {"group": "sber"}}})
	m := pair("gigachat", "sbercloud")
	fs := lp303.findings with input as m with data.llm_policy.catalog as cat
	some f in fs
	contains(f.msg, `Source "a" falls back to "b" in the same corporate group (sber)`)
	no_groups := json.remove(data.llm_policy.catalog, ["providers/gigachat/group", "providers/sbercloud/group"])
	count(lp303.findings) == 0 with input as m with data.llm_policy.catalog as no_groups
}

test_fallback_on_the_same_account_warns_whatever_the_sector if {
	m := fx.with_routing(
		fx.manifest({}, ["internal"], [fx.cloud("a", "aws-bedrock", {"account": "aws:42"}), fx.local("b", {"hosting": "own_cloud", "account": "aws:42"})]),
		{"strategy": "fallback", "fallbacks": [{"from": "a", "to": ["b"]}]},
	)
	fs := run(m)
	some f in fs
	contains(f.msg, `falls back to "b" on the same account (aws:42)`)
}

test_open_weights_on_the_same_platform_are_the_same_provider if {
	m := fx.with_routing(
		fx.manifest({}, ["internal"], [fx.cloud("a", "aws-bedrock", {}), fx.local("b", {"hosting": "provider", "provider": "bedrock"})]),
		{"strategy": "fallback", "fallbacks": [{"from": "a", "to": ["b"]}]},
	)
	fs := run(m)
	some f in fs
	contains(f.msg, "on the same provider (aws-bedrock)")
}

test_own_cloud_tenant_depends_on_its_cloud if {
	m := fx.with_routing(
		fx.manifest({}, ["internal"], [fx.cloud("a", "yandex", {}), fx.local("b", {"hosting": "own_cloud", "provider": "yandex-cloud"})]),
		{"strategy": "fallback", "fallbacks": [{"from": "a", "to": ["b"]}]},
	)
	count(run(m)) == 1
}
