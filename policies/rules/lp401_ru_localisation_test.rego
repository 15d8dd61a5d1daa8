package llm_policy.rules.lp401_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp401

run(m) := fs if {
	fs := lp401.findings with input as m with data.llm_policy.context.today as fx.today
}

ru(classes, sources) := fx.manifest({"jurisdictions": ["RU"]}, classes, sources)

test_personal_data_processed_outside_russia_fails if {
	fs := run(ru(["personal", "internal"], [fx.cloud("gpt4o", "openai", {"region": "EU"})]))
	count(fs) == 1
	some f in fs
	f.id == "LP401"
	f.severity == "error"
	f.path == ["sources", 0, "region"]
	f.source_id == "gpt4o"
	not f.verification
	contains(f.msg, `Source "gpt4o" processes personal data in EU, outside Russia, but the project's jurisdictions include RU`)
}

test_a_dpa_does_not_help if {
	dpa := object.union(fx.valid_dpa, {"zero_retention": true})
	count(run(ru(["special_category"], [fx.cloud("gpt4o", "openai", {"region": "US", "dpa": dpa})]))) == 1
}

test_personal_data_in_russia_passes if {
	count(run(ru(["personal"], [fx.local("llama", {"region": "RU"}), fx.cloud("ygpt", "yandex", {"region": "RU"})]))) == 0
}

test_sources_without_personal_data_pass if {
	src := fx.cloud("gpt4o", "openai", {"region": "US", "data_classes": ["internal"]})
	count(run(ru(["personal", "internal"], [fx.local("llama", {"region": "RU"}), src]))) == 0
}

test_projects_outside_russia_pass if {
	count(run(fx.manifest({"jurisdictions": ["KZ"]}, ["personal"], [fx.cloud("gpt4o", "openai", {})]))) == 0
}

test_russian_provider_without_declared_region_passes if {
	count(run(ru(["personal"], [fx.without(fx.cloud("ygpt", "YandexGPT", {}), ["region"])]))) == 0
}

test_foreign_provider_without_declared_region_fails if {
	fs := run(ru(["personal"], [fx.without(fx.cloud("claude", "anthropic", {}), ["region"])]))
	count(fs) == 1
	some f in fs
	f.severity == "error"
	f.verification == "primary"
	f.reference == data.llm_policy.catalog.providers.anthropic.evidence.can_serve_152fz_personal_data.source
	contains(f.msg, "declares no region and the catalog says anthropic cannot serve 152-FZ personal data")
}

test_unverified_provider_fact_is_only_a_warning if {
	fs := run(ru(["personal"], [fx.without(fx.cloud("bedrock", "aws-bedrock", {}), ["region"])]))
	some f in fs
	f.severity == "warning"
	f.verification == "unverified"
	contains(f.msg, "unverified catalog fact")
}

test_unknown_region_warns if {
	fs := run(ru(["personal"], [fx.without(fx.local("llama", {}), ["region"])]))
	count(fs) == 1
	some f in fs
	f.severity == "warning"
	f.path == ["sources", 0, "region"]
	contains(f.msg, "declares no region, so nothing shows that its personal data stays in Russia")
}

test_private_deployment_regions_are_not_the_providers if {
	# A private install inside the perimeter runs where the project puts it, not in the vendor's cloud.
	src := fx.without(fx.private("mws", "mts-ai", {"hosting": "on_prem"}), ["region"])
	fs := run(ru(["personal"], [src]))
	some f in fs
	f.severity == "warning"
	contains(f.msg, "declares no region")
}

test_provider_regions_decide_when_the_152fz_fact_is_missing if {
	acme := {
		"id": "acme", "sectors": ["cloud_api"], "regions": ["KZ"], "can_serve_152fz_personal_data": null,
		"evidence": {"regions": {"verification": "secondary", "source": "https://acme.example/regions"}},
	}
	catalog := object.union(data.llm_policy.catalog, {"providers": {"acme": acme}})
	src := fx.without(fx.cloud("acme", "acme", {}), ["region"])
	m := ru(["personal"], [src])
	fs := lp401.findings with input as m with data.llm_policy.catalog as catalog
	count(fs) == 1
	some f in fs
	f.severity == "error"
	f.verification == "secondary"
	f.reference == "https://acme.example/regions"
	contains(f.msg, "declares no region and the catalog lists acme only in KZ")
}

# Issue 12, section 1: facts over claims.
test_a_declared_ru_region_does_not_escape_the_catalog if {
	fs := run(ru(["personal"], [fx.cloud("gpt4o", "openai", {"region": "RU"})]))
	count(fs) == 1
	some f in fs
	f.severity == "error"
	f.path == ["sources", 0, "region"]
	f.verification == "primary"
	contains(f.msg, `Source "gpt4o" declares region RU, but the catalog says openai cannot serve 152-FZ personal data`)
	contains(f.msg, "the declared region contradicts the catalog")
}

test_a_reseller_does_not_move_inference if {
	src := fx.cloud("gpt4o", "openai", {"region": "RU", "via": "ru-proxy"})
	some f in run(ru(["personal"], [src]))
	f.severity == "error"
	contains(f.msg, "Contracting via ru-proxy does not move inference: openai's facts decide.")
}

test_open_weights_on_a_foreign_platform_with_a_ru_label_fail if {
	src := fx.local("llama", {"hosting": "provider", "provider": "aws-bedrock", "region": "RU"})
	some f in run(ru(["personal"], [src]))
	f.severity == "warning" # Bedrock's 152-FZ fact is unverified: capped
	f.verification == "unverified"
}

test_a_russian_provider_with_a_ru_label_passes if {
	count(run(ru(["personal"], [fx.cloud("giga", "gigachat", {"region": "RU"})]))) == 0
	count(run(ru(["personal"], [fx.private("nim", "nvidia-nim", {"region": "RU"})]))) == 0
}
