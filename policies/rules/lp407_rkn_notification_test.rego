package llm_policy.rules.lp407_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp407

run(project, classes) := fs if {
	fs := lp407.findings with input as fx.manifest(project, classes, [fx.local("llama", {"region": "RU"})])
}

test_personal_data_without_notification_fails if {
	fs := run({"jurisdictions": ["RU"]}, ["personal", "internal"])
	some f in fs
	f.severity == "error"
	f.path == ["project", "ru_152fz", "rkn_notification"]
	contains(f.msg, "processes personal data")
	contains(f.msg, "Art. 22")
	f.verification == "secondary"
}

test_special_categories_count_as_personal if {
	count(run({"jurisdictions": ["RU", "DE"]}, ["special_category"])) == 1
}

test_declared_notification_passes if {
	count(run({"jurisdictions": ["RU"], "ru_152fz": {"rkn_notification": "RKN-2024-0117"}}, ["personal"])) == 0
}

test_only_personal_data_of_russian_projects if {
	count(run({"jurisdictions": ["RU"]}, ["internal", "public"])) == 0
	count(run({"jurisdictions": ["DE"]}, ["personal"])) == 0
}

test_an_unverified_fact_is_a_warning if {
	fs := lp407.findings with input as fx.manifest({"jurisdictions": ["RU"]}, ["personal"], [])
		with data.llm_policy.ru_sector as {"rkn_notification": {"law": "Art. 22", "source": "https://example.org", "verification": "unverified"}}
	some f in fs
	f.severity == "warning"
	contains(f.msg, "unverified")
}

test_not_run_when_152fz_is_not_selected if {
	fs := lp407.findings with input as fx.manifest({"jurisdictions": ["RU"], "frameworks": ["gdpr"]}, ["personal"], [])
	count(fs) == 0
}
