package llm_policy.rules.lp404_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp404

run(m) := fs if {
	fs := lp404.findings with input as m with data.llm_policy.context.today as fx.today
}

project_in(codes, sources) := fx.manifest({"jurisdictions": codes}, ["public"], sources)

test_a_provider_that_does_not_serve_russia_fails if {
	fs := run(project_in(["RU"], [fx.cloud("claude", "anthropic", {})]))
	count(fs) == 1
	some f in fs
	f.id == "LP404"
	f.severity == "error"
	f.verification == "primary"
	f.path == ["sources", 0, "provider"]
	f.source_id == "claude"
	contains(f.msg, `Source "claude" uses provider anthropic, but for RU (a jurisdiction of the project) the catalog says the provider does not offer the service there`)
}

test_a_reseller_does_not_help if {
	some f in run(project_in(["RU"], [fx.cloud("gpt", "openai", {"via": "proxy-llc"})]))
	f.severity == "error"
	contains(f.msg, "Contracting via proxy-llc does not move inference")
}

test_unverified_availability_is_a_warning if {
	some f in run(project_in(["RU"], [fx.private("nim", "nvidia-nim", {})]))
	f.severity == "warning"
	f.verification == "unverified"
	contains(f.msg, "does not sell or license the service there")
	contains(f.msg, "unverified catalog fact")
}

test_sanctions_bar_a_us_project_from_sber if {
	some f in run(project_in(["US"], [fx.cloud("giga", "gigachat", {"region": "RU"})]))
	f.severity == "error"
	contains(f.msg, "sanctions there bar contracting with the provider")
}

test_eu_restrictions_warn_for_member_states if {
	fs := run(project_in(["DE"], [fx.cloud("giga", "gigachat", {"region": "RU"})]))
	some f in fs
	f.severity == "warning"
	contains(f.msg, "for DE (a jurisdiction of the project)")
}

test_gemini_free_tier_in_the_eea_fails_and_the_paid_service_passes if {
	free := fx.without(fx.cloud("gem", "google-gemini", {}), ["dpa"])
	some f in run(project_in(["FR"], [free]))
	f.severity == "error"
	contains(f.msg, "only the provider's paid services may be used there")
	contains(f.msg, "Contract the paid service and declare its DPA")
	count(run(project_in(["FR", "GB", "CH"], [fx.cloud("gem", "google-gemini", {})]))) == 0
}

test_served_jurisdictions_and_unknown_providers_pass if {
	count(run(project_in(["US", "JP"], [fx.cloud("gpt", "openai", {})]))) == 0
	count(run(project_in(["RU"], [fx.cloud("ygpt", "yandex", {"region": "RU"})]))) == 0
	count(run(project_in(["RU"], [fx.cloud("acme", "acme-llm", {})]))) == 0
	count(run(project_in(["RU"], [fx.local("llama", {})]))) == 0
}

test_organisation_facts_without_level_or_meaning_fail_closed if {
	catalog := object.union(data.llm_policy.catalog, {"providers": {"mistral": {"availability": {"CN": {"status": "blocked"}}}}})
	m := project_in(["CN"], [fx.cloud("mis", "mistral", {"region": "EU"})])
	fs := lp404.findings with input as m with data.llm_policy.context.today as fx.today with data.llm_policy.catalog as catalog
	some f in fs
	f.severity == "warning" # no verification level: treated as unverified
	contains(f.msg, "the catalog says availability status blocked applies.")
}
