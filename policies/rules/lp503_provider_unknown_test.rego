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
