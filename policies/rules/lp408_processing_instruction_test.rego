package llm_policy.rules.lp408_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp408

all_clauses := ["data_list", "actions", "purposes", "confidentiality", "security_measures", "compliance_evidence", "incident_notification"]

instruction := {"reference": "YC-1, annex 3", "signed": "2025-02-01", "content": all_clauses}

ru := {"jurisdictions": ["RU"], "ru_152fz": {"rkn_notification": "RKN-1"}}

run(src, classes) := fs if {
	m := fx.manifest(ru, classes, [src])
	fs := lp408.findings with input as m
}

yandex(overrides) := fx.cloud("ya", "yandex", object.union({"model": "yandexgpt-lite", "region": "RU"}, overrides))

test_cloud_api_without_instruction_fails if {
	fs := run(yandex({}), ["personal"])
	some f in fs
	f.severity == "error"
	f.path == ["sources", 0, "processing_instruction"]
	f.source_id == "ya"
	contains(f.msg, "Art. 6(3)")
	f.verification == "secondary"
}

test_complete_instruction_passes if {
	count(run(yandex({"processing_instruction": instruction}), ["personal"])) == 0
}

test_missing_clauses_are_a_warning_naming_them if {
	fs := run(yandex({"processing_instruction": object.union(instruction, {"content": ["purposes", "actions"]})}), ["personal"])
	some f in fs
	f.severity == "warning"
	f.path == ["sources", 0, "processing_instruction", "content"]
	contains(f.msg, "confidentiality (")
	contains(f.msg, "data_list (")
	not contains(f.msg, "purposes (")
	contains(f.msg, "unverified")
}

test_a_verified_clause_list_makes_a_missing_clause_an_error if {
	table := object.union(data.llm_policy.ru_sector, {"processing_instruction": {"required_content": {"verification": "primary"}}})
	m := fx.manifest(ru, ["personal"], [yandex({"processing_instruction": {"reference": "R", "signed": "2025-01-01"}})])
	fs := lp408.findings with input as m
		with data.llm_policy.ru_sector as table
	some f in fs
	f.severity == "error"
}

test_instruction_dated_after_today_fails if {
	fs := run(yandex({"processing_instruction": object.union(instruction, {"signed": "2027-01-01"})}), ["personal"])
	some f in fs
	f.path == ["sources", 0, "processing_instruction", "signed"]
	contains(f.msg, "after the evaluation date")
}

vendor := fx.private("nim", "yandex-private", {"region": "RU"})

test_vendor_deployments_count if {
	fs := run(vendor, ["personal"])
	count(fs) == 1
}

test_vendor_deployments_without_hosting_count if {
	v := object.remove(vendor, ["hosting"])
	fs := run(v, ["personal"])
	count(fs) == 1
}

test_self_hosted_vendor_deployments_do_not_count if {
	v := object.union(vendor, {"hosting": "on_prem"})
	fs := run(v, ["personal"])
	count(fs) == 0
}

test_self_hosted_open_weights_and_non_personal_data_need_nothing if {
	count(run(fx.local("llama", {"region": "RU"}), ["personal"])) == 0
	count(run(yandex({}), ["internal"])) == 0
}

test_only_russian_projects if {
	fs := lp408.findings with input as fx.manifest({"jurisdictions": ["DE"]}, ["personal"], [yandex({})])
	count(fs) == 0
}
