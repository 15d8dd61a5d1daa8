package llm_policy.rules.lp402_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp402

run(m) := fs if {
	fs := lp402.findings with input as m with data.llm_policy.context.today as fx.today
}

eu(classes, sources) := fx.manifest({"jurisdictions": ["EU"]}, classes, sources)

test_personal_data_outside_the_eu_warns if {
	fs := run(eu(["personal"], [fx.cloud("gpt4o", "openai", {"region": "US"})]))
	count(fs) == 1
	some f in fs
	f.id == "LP402"
	f.severity == "warning"
	f.path == ["sources", 0, "region"]
	f.source_id == "gpt4o"
	contains(f.msg, `Source "gpt4o" processes personal data in US, outside the EU/EEA and without an adequacy decision, while the project's jurisdictions include EU`)
}

test_eu_region_passes if {
	count(run(eu(["personal"], [fx.cloud("gpt4o", "openai", {"region": "EU"}), fx.local("llama", {"region": "DE"}), fx.local("nor", {"region": "NO"})]))) == 0
}

test_member_state_jurisdiction_counts if {
	fs := run(fx.manifest({"jurisdictions": ["US", "FR"]}, ["special_category"], [fx.local("llama", {"region": "US"})]))
	some f in fs
	contains(f.msg, "jurisdictions include FR")
}

test_non_eu_project_passes if {
	count(run(fx.manifest({"jurisdictions": ["US"]}, ["personal"], [fx.local("llama", {"region": "US"})]))) == 0
}

test_non_personal_data_passes if {
	count(run(eu(["confidential"], [fx.cloud("gpt4o", "openai", {"region": "US"})]))) == 0
}

test_declared_transfer_mechanism_makes_it_informational if {
	dpa := object.union(fx.valid_dpa, {"transfer_mechanism": "EU SCCs (Module 2)"})
	fs := run(eu(["personal"], [fx.cloud("gpt4o", "openai", {"region": "US", "dpa": dpa})]))
	some f in fs
	f.severity == "info"
	contains(f.msg, "relies on the declared mechanism (EU SCCs (Module 2))")
}

test_blank_transfer_mechanism_does_not_count if {
	dpa := object.union(fx.valid_dpa, {"transfer_mechanism": "  "})
	fs := run(eu(["personal"], [fx.cloud("gpt4o", "openai", {"region": "US", "dpa": dpa})]))
	some f in fs
	f.severity == "warning"
}

test_undeclared_region_warns_with_the_providers_regions if {
	fs := run(eu(["personal"], [fx.without(fx.cloud("gpt4o", "openai", {}), ["region"])]))
	count(fs) == 1
	some f in fs
	f.severity == "warning"
	contains(f.msg, "declares no region (the catalog lists openai in EU,")
}

test_single_region_provider_outside_the_eu_warns_with_evidence if {
	fs := run(eu(["personal"], [fx.without(fx.cloud("gigachat", "gigachat", {}), ["region"])]))
	some f in fs
	contains(f.msg, "processes personal data in RU, outside the EU/EEA and without an adequacy decision")
	f.verification == "secondary"
}

test_undeclared_region_with_a_transfer_mechanism_is_informational if {
	dpa := object.union(fx.valid_dpa, {"transfer_mechanism": "EU SCCs"})
	fs := run(eu(["personal"], [fx.without(fx.local("llama", {"sector": "private", "provider": "nvidia-nim", "dpa": dpa}), ["region"])]))
	count(fs) == 1
	some f in fs
	f.severity == "info"
	contains(f.msg, `Source "llama" declares no region, so nothing shows`)
	contains(f.msg, "the transfer relies on the declared mechanism (EU SCCs).")
}

# Issue 12, section 3: adequacy decisions, the Data Privacy Framework, special categories.
test_a_country_with_an_adequacy_decision_needs_no_mechanism if {
	count(run(eu(["personal"], [fx.cloud("gpt4o", "openai", {"region": "JP"})]))) == 0
	count(run(eu(["special_category"], [fx.local("llama", {"region": "CH"})]))) == 0
	count(run(eu(["personal"], [fx.local("llama", {"region": "GB"})]))) == 0
}

test_us_counts_as_adequate_only_for_a_verified_dpf_certification if {
	src := fx.cloud("gpt4o", "openai", {"region": "US"})
	count(run(eu(["personal"], [src]))) == 1 # the shipped certification fact is unverified
	catalog := object.union(data.llm_policy.catalog, {"providers": {"openai": {"evidence": {"dpf_certified": {"verification": "secondary"}}}}})
	m := eu(["personal"], [src])
	fs := lp402.findings with input as m with data.llm_policy.context.today as fx.today with data.llm_policy.catalog as catalog
	count(fs) == 0
}

test_special_category_data_without_a_mechanism_is_an_error if {
	fs := run(eu(["special_category"], [fx.cloud("gpt4o", "openai", {"region": "US"})]))
	some f in fs
	f.severity == "error"
	contains(f.msg, "Special-category data (GDPR Art. 9) may not go there without a transfer mechanism")
}

test_special_category_data_with_a_mechanism_is_informational if {
	dpa := object.union(fx.valid_dpa, {"transfer_mechanism": "EU SCCs"})
	some f in run(eu(["special_category"], [fx.cloud("gpt4o", "openai", {"region": "US", "dpa": dpa})]))
	f.severity == "info"
}

test_special_category_data_without_a_region_is_an_error if {
	some f in run(eu(["special_category"], [fx.without(fx.local("llama", {}), ["region"])]))
	f.severity == "error"
}

test_a_declared_eu_region_the_catalog_contradicts_does_not_count if {
	fs := run(eu(["personal"], [fx.cloud("claude", "anthropic", {"region": "EU"})]))
	count(fs) == 1
	some f in fs
	f.severity == "warning"
	f.verification == "unverified" # Anthropic's region list is derived from prose
	contains(f.msg, "processes personal data in US")
	contains(f.msg, "It declares region EU, but the catalog lists anthropic only in US: the declared region contradicts the catalog.")
}

test_a_contradicted_region_with_special_categories_is_capped_by_the_catalog_fact if {
	some f in run(eu(["special_category"], [fx.cloud("claude", "anthropic", {"region": "EU"})]))
	f.severity == "warning"
	contains(f.msg, "unverified catalog fact")
}
