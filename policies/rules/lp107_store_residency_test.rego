package llm_policy.rules.lp107_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp107

run(m) := fs if {
	fs := lp107.findings with input as m with data.llm_policy.context.today as fx.today
}

with_stores(jurisdictions, classes, stores) := object.union(
	fx.manifest({"jurisdictions": jurisdictions}, classes, [fx.local("q", {"region": "RU", "stores": [st.id | some st in stores]})]),
	{"stores": stores},
)

store(id, overrides) := object.union({"id": id, "kind": "prompt_log", "hosting": "own_cloud", "region": "RU", "retention_days": 30}, overrides)

test_a_store_outside_russia_errs if {
	fs := run(with_stores(["RU"], ["personal"], [store("log", {"region": "DE"})]))
	count(fs) == 1
	some f in fs
	f.id == "LP107"
	f.severity == "error"
	f.path == ["stores", 0, "region"]
	not f.source_id
	contains(f.msg, `Store "log" (prompt_log) keeps personal data in DE, outside Russia`)
}

test_a_store_in_russia_passes if {
	count(run(with_stores(["RU"], ["personal"], [store("log", {})]))) == 0
}

test_a_store_without_personal_data_passes if {
	count(run(with_stores(["RU"], ["personal"], [store("log", {"region": "DE", "data_classes": ["internal"]})]))) == 0
}

test_an_unknown_region_fails_closed_under_152fz if {
	fs := run(with_stores(["RU"], ["personal"], [fx.without(store("log", {}), ["region"])]))
	some f in fs
	f.severity == "error"
	contains(f.msg, `Store "log" (prompt_log) keeps personal data but declares no region, so nothing shows that it stays in Russia`)
}

# A provider's hosted store: the catalog's single region decides when none is declared, and
# outranks a declared RU it does not offer.
test_the_catalog_decides_for_a_provider_store if {
	hosted := fx.without(store("vec", {"kind": "vector_store", "hosting": "provider", "provider": "gigachat"}), ["region"])
	count(run(with_stores(["RU"], ["personal"], [hosted]))) == 0
	claimed := store("vec", {"kind": "vector_store", "hosting": "provider", "provider": "openai", "region": "RU"})
	fs := run(with_stores(["RU"], ["personal"], [claimed]))
	some f in fs
	f.severity == "error"
	f.verification == "primary"
	contains(f.msg, `Store "vec" (vector_store) declares region RU, but the catalog lists openai only in`)
}

test_a_store_outside_the_eea_warns_under_gdpr if {
	fs := run(with_stores(["EU"], ["personal"], [store("log", {"region": "US"})]))
	count(fs) == 1
	some f in fs
	f.severity == "warning"
	contains(f.msg, `Store "log" (prompt_log) keeps personal data in US, outside the EU/EEA and without an adequacy decision, while the project is under the GDPR. Keep the store in the EU/EEA`)
}

test_special_categories_outside_the_eea_err if {
	fs := run(with_stores(["EU"], ["special_category"], [store("log", {"region": "US"})]))
	some f in fs
	f.severity == "error"
	contains(f.msg, "Special-category data (GDPR Art. 9) may not be stored there")
}

test_a_transfer_mechanism_makes_it_info if {
	mech := store("log", {"region": "US", "dpa": object.union(fx.valid_dpa, {"transfer_mechanism": "EU SCCs"})})
	fs := run(with_stores(["EU"], ["special_category"], [mech]))
	some f in fs
	f.severity == "info"
	contains(f.msg, "relies on the declared mechanism (EU SCCs)")
}

test_adequate_and_eea_regions_pass if {
	count(run(with_stores(["EU"], ["personal"], [store("a", {"region": "DE"}), store("b", {"region": "CH"})]))) == 0
}

test_an_unknown_region_fails_closed_under_gdpr if {
	fs := run(with_stores(["EU"], ["personal"], [fx.without(store("log", {}), ["region"])]))
	some f in fs
	f.severity == "error"
	contains(f.msg, "declares no region, so nothing shows that it stays in the EU/EEA")
}

test_a_catalog_destination_carries_its_evidence if {
	claimed := store("vec", {"kind": "vector_store", "hosting": "provider", "provider": "anthropic", "region": "DE"})
	fs := run(with_stores(["EU"], ["personal"], [claimed]))
	some f in fs
	f.verification
	f.reference
}

test_no_duty_no_finding if {
	count(run(with_stores(["US"], ["personal"], [fx.without(store("log", {}), ["region"])]))) == 0
	fs := run(with_stores(["RU"], ["personal"], [store("log", {"region": "DE"})])) with data.llm_policy.context.frameworks as ["gdpr"]
	count(fs) == 0
}
