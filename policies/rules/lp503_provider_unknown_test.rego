package llm_policy.rules.lp503_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp503

run(m) := fs if {
	fs := lp503.findings with input as m with data.llm_policy.context.today as fx.today
}

test_unknown_provider_warns if {
	fs := run(fx.manifest({}, ["internal"], [fx.cloud("acme", "acme-llm", {})]))
	count(fs) == 1
	some f in fs
	f.id == "LP503"
	f.severity == "warning"
	f.path == ["sources", 0, "provider"]
	f.source_id == "acme"
	contains(f.msg, `Source "acme" names provider acme-llm, which the catalog does not know`)
	contains(f.msg, "anthropic, aws-bedrock, azure-openai")
}

test_catalog_names_and_aliases_pass if {
	sources := [fx.cloud(sprintf("s%d", [n]), name, {}) | some n, name in ["openai", "OpenAI", "yandexgpt", "Claude", "azure_openai", "mts-ai", "sber"]]
	count(run(fx.manifest({}, ["internal"], sources))) == 0
}

test_sources_without_provider_pass if {
	count(run(fx.manifest({}, ["internal"], [fx.local("llama", {})]))) == 0
}

test_private_deployment_provider_is_checked_too if {
	count(run(fx.manifest({}, ["internal"], [fx.private("x", "acme-onprem", {})]))) == 1
}

# Issue 12, section 1: an unknown provider with non-public data fails closed, with a suggestion.
test_unknown_provider_with_personal_data_is_an_error if {
	fs := run(fx.manifest({}, ["personal", "internal"], [fx.cloud("acme", "acme-llm", {})]))
	count(fs) == 1
	some f in fs
	f.severity == "error"
	contains(f.msg, "are not checked although it receives internal, personal data.")
}

test_unknown_provider_with_financial_data_is_an_error if {
	some f in run(fx.manifest({}, ["financial"], [fx.private("x", "acme-onprem", {})]))
	f.severity == "error"
}

test_misspelt_providers_get_a_suggestion if {
	some f in run(fx.manifest({}, ["confidential"], [fx.cloud("gpt", "opneai", {})]))
	f.severity == "error"
	contains(f.msg, "Did you mean openai?")
	some g in run(fx.manifest({}, ["public"], [fx.cloud("gpt", "open-ai", {})]))
	g.severity == "warning"
	contains(g.msg, "Did you mean openai?")
	some h in run(fx.manifest({}, ["public"], [fx.cloud("gpt", "оpenai", {})]))
	contains(h.msg, "Did you mean openai?")
}

test_unrelated_names_get_no_suggestion if {
	some f in run(fx.manifest({}, ["public"], [fx.cloud("acme", "acme-llm", {})]))
	not contains(f.msg, "Did you mean")
}

test_provider_hosted_source_without_a_provider_fails_closed if {
	fs := run(fx.manifest({}, ["personal"], [fx.local("llama", {"hosting": "provider"})]))
	count(fs) == 1
	some f in fs
	f.severity == "error"
	f.path == ["sources", 0]
	contains(f.msg, `Source "llama" runs on a provider's infrastructure (hosting: provider) but names no provider`)
}

test_provider_hosted_source_without_a_provider_and_public_data_warns if {
	some f in run(fx.manifest({}, ["public"], [fx.local("llama", {"hosting": "provider"})]))
	f.severity == "warning"
}

test_an_organisation_adds_its_provider_with_data if {
	catalog := object.union(data.llm_policy.catalog, {"providers": {"acme-llm": {"id": "acme-llm", "regions": ["DE"]}}})
	m := fx.manifest({}, ["personal"], [fx.cloud("acme", "acme-llm", {})])
	fs := lp503.findings with input as m with data.llm_policy.catalog as catalog
	count(fs) == 0
}

test_a_reseller_in_disguise_is_told_to_name_the_upstream if {
	some f in run(fx.manifest({}, ["personal"], [fx.cloud("gpt", "proxy-llm", {"model": "gpt-4o", "region": "RU"})]))
	f.severity == "error"
	contains(f.msg, "The catalog knows gpt-4o as a hosted model of openai: if proxy-llm resells it, write provider: openai and via: proxy-llm")
}
