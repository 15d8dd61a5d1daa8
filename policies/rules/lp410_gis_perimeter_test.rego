package llm_policy.rules.lp410_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp410

gis := {"protection_class": "K2", "attestation": "AT-1"}

run(project, sources) := fs if {
	m := fx.manifest(object.union({"jurisdictions": ["RU"]}, project), ["internal"], sources)
	fs := lp410.findings with input as m
}

local_ru := fx.local("llama", {"region": "RU"})

test_self_hosted_source_in_russia_passes if {
	count(run({"ru_gis": gis}, [local_ru])) == 0
}

test_source_outside_russia_fails if {
	fs := run({"ru_gis": gis}, [fx.local("llama", {"region": "DE"})])
	some f in fs
	f.severity == "error"
	f.path == ["sources", 0, "region"]
	contains(f.msg, "declares region DE")
	f.verification == "secondary"
}

test_source_without_region_fails if {
	fs := run({"ru_gis": gis}, [object.remove(local_ru, ["region"])])
	some f in fs
	contains(f.msg, "declares no region")
}

test_a_foreign_provider_labelled_ru_fails if {
	fs := run({"ru_gis": gis}, [fx.cloud("gpt", "openai", {"region": "RU", "certification": {"reference": "C", "protection_class": "K1"}})])
	some f in fs
	contains(f.msg, "does not list provider openai only in Russia")
}

test_russian_provider_with_certification_passes if {
	cert := {"reference": "YC-ATT-1", "protection_class": "K1"}
	count(run({"ru_gis": gis}, [fx.cloud("ya", "yandex", {"region": "RU", "certification": cert})])) == 0
}

test_provider_run_source_needs_certification_of_the_class if {
	fs := run({"ru_gis": gis}, [fx.cloud("ya", "yandex", {"region": "RU"})])
	some f in fs
	f.path == ["sources", 0, "certification"]
	f.severity == "warning"
	contains(f.msg, "declares no certification")
	contains(f.msg, "unverified")
	low := run({"ru_gis": gis}, [fx.cloud("ya", "yandex", {"region": "RU", "certification": {"reference": "C-3", "protection_class": "K3"}})])
	some g in low
	contains(g.msg, "its certification C-3 is for class K3")
}

test_vendor_stack_run_by_the_vendor_needs_certification if {
	fs := run({"ru_gis": gis}, [fx.private("ya", "yandex-private", {"region": "RU"})])
	some f in fs
	f.path == ["sources", 0, "certification"]
	count(run({"ru_gis": gis}, [fx.private("ya", "yandex-private", {"region": "RU", "hosting": "on_prem"})])) == 0
}

test_attestation_needed_in_operation if {
	fs := run({"ru_gis": {"protection_class": "K1"}}, [local_ru])
	some f in fs
	f.path == ["project", "ru_gis", "attestation"]
	contains(f.msg, "class K1")
	count(run({"ru_gis": {"protection_class": "K1"}, "stage": "development"}, [local_ru])) == 0
}

test_a_verified_certification_fact_makes_errors if {
	table := object.union(data.llm_policy.ru_sector, {"gis": {"certification": {"verification": "primary"}}})
	m := fx.manifest({"jurisdictions": ["RU"], "ru_gis": {"protection_class": "K3"}}, ["internal"], [local_ru])
	fs := lp410.findings with input as m with data.llm_policy.ru_sector as table
	some f in fs
	f.severity == "error"
}

test_projects_without_gis_are_not_checked if {
	count(run({}, [fx.local("llama", {"region": "DE"})])) == 0
}
