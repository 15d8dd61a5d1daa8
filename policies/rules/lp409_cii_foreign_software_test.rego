package llm_policy.rules.lp409_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp409

run(category, sources) := fs if {
	m := fx.manifest({"jurisdictions": ["RU"], "ru_cii": {"category": category}}, ["internal"], sources)
	fs := lp409.findings with input as m
}

test_foreign_private_deployment_fails_wherever_it_runs if {
	fs := run(2, [fx.private("nim", "nvidia-nim", {"hosting": "on_prem", "region": "RU"})])
	some f in fs
	f.severity == "error"
	f.path == ["sources", 0, "provider"]
	contains(f.msg, "origin as US (unverified)")
	contains(f.msg, "Decree No. 166")
	f.verification == "secondary"
}

test_foreign_cloud_api_fails if {
	count(run(1, [fx.cloud("gpt", "openai", {})])) == 1
}

test_unknown_provider_fails if {
	fs := run(3, [fx.cloud("acme", "acme-llm", {"region": "RU"})])
	some f in fs
	contains(f.msg, "does not know this provider")
}

test_provider_without_origin_fails if {
	catalog := json.patch(data.llm_policy.catalog, [{"op": "remove", "path": "/providers/yandex/origin"}])
	m := fx.manifest({"jurisdictions": ["RU"], "ru_cii": {"category": 1}}, ["internal"], [fx.cloud("ya", "yandex", {"region": "RU"})])
	fs := lp409.findings with input as m with data.llm_policy.catalog as catalog
	some f in fs
	contains(f.msg, "records no origin")
}

test_unconfirmed_russian_origin_fails if {
	fs := run(1, [fx.private("ya", "yandex-private", {"region": "RU"})])
	some f in fs
	contains(f.msg, "origin as RU (unverified)")
}

test_confirmed_russian_providers_pass if {
	count(run(1, [fx.cloud("ya", "yandex", {"region": "RU"}), fx.cloud("giga", "gigachat", {"region": "RU"})])) == 0
}

test_open_weights_need_a_registry_entry if {
	fs := run(2, [fx.local("llama", {"region": "RU"})])
	some f in fs
	f.path == ["sources", 0]
	contains(f.msg, "Unified Register of Russian Software")
	count(run(2, [fx.local("llama", {"region": "RU", "ru_software_registry": "entry 1"})])) == 0
}

test_open_weights_on_a_provider_platform_are_judged_by_the_provider if {
	count(run(2, [fx.local("llama", {"hosting": "provider", "provider": "aws-bedrock", "ru_software_registry": "entry 1"})])) == 1
}

test_objects_that_are_not_significant_are_not_checked if {
	count(run("none", [fx.cloud("gpt", "openai", {})])) == 0
	fs := lp409.findings with input as fx.manifest({"jurisdictions": ["RU"]}, ["internal"], [fx.cloud("gpt", "openai", {})])
	count(fs) == 0
}

test_an_unverified_decree_fact_is_a_warning if {
	table := object.union(data.llm_policy.ru_sector, {"cii": {"verification": "unverified"}})
	m := fx.manifest({"jurisdictions": ["RU"], "ru_cii": {"category": 1}}, ["internal"], [fx.cloud("gpt", "openai", {})])
	fs := lp409.findings with input as m with data.llm_policy.ru_sector as table
	some f in fs
	f.severity == "warning"
}

test_open_weights_on_an_unnamed_platform_fail if {
	fs := run(2, [fx.local("llama", {"hosting": "provider", "ru_software_registry": "entry 1"})])
	some f in fs
	f.path == ["sources", 0, "provider"]
	contains(f.msg, "does not know this provider")
}
