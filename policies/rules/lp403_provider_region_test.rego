package llm_policy.rules.lp403_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp403

run(m) := fs if {
	fs := lp403.findings with input as m with data.llm_policy.context.today as fx.today
}

one(src) := fx.manifest({}, ["internal"], [src])

test_region_the_provider_does_not_offer_fails if {
	fs := run(one(fx.cloud("gpt4o", "openai", {"region": "RU"})))
	count(fs) == 1
	some f in fs
	f.id == "LP403"
	f.severity == "error"
	f.path == ["sources", 0, "region"]
	f.source_id == "gpt4o"
	f.verification == "primary"
	contains(f.msg, `Source "gpt4o" declares region RU, but the catalog lists openai only in EU, GB, US`)
}

test_offered_region_passes if {
	count(run(one(fx.cloud("gpt4o", "openai", {"region": "JP"})))) == 0
	count(run(one(fx.cloud("gpt4o", "openai", {"region": "GB"})))) == 0
}

test_member_state_is_served_by_the_eu_region if {
	count(run(one(fx.cloud("gpt4o", "openai", {"region": "DE"})))) == 0
}

test_region_derived_from_prose_is_only_a_warning if {
	fs := run(one(fx.cloud("az", "azure-openai", {"region": "CL"})))
	some f in fs
	f.severity == "warning"
	f.verification == "unverified"
	contains(f.msg, "unverified catalog fact")
}

test_provider_without_catalog_regions_is_not_checked if {
	count(run(one(fx.cloud("gem", "google-gemini", {"region": "BR"})))) == 0
}

test_unknown_provider_is_not_checked if {
	count(run(one(fx.cloud("acme", "acme-llm", {"region": "BR"})))) == 0
}

test_source_without_region_is_not_checked if {
	count(run(one(fx.without(fx.cloud("gpt4o", "openai", {}), ["region"])))) == 0
}

test_private_deployment_in_the_perimeter_is_not_checked if {
	count(run(one(fx.private("sber", "sbercloud", {"region": "KZ"})))) == 0
}

test_private_deployment_on_provider_infrastructure_is_checked if {
	count(run(one(fx.private("sber", "sbercloud", {"region": "KZ", "hosting": "provider"})))) == 1
}
