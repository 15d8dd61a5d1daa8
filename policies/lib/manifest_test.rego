package llm_policy.lib_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.lib

test_project_defaults_apply_when_keys_are_absent if {
	m := {"project": {"name": "p", "owner": "o"}, "data": {"classes": ["public"]}, "sources": []}
	lib.customer_facing == false with input as m
	lib.commercial == true with input as m
	count(lib.jurisdictions) == 0 with input as m
}

test_declared_project_facts_win if {
	m := fx.manifest({"customer_facing": true, "commercial": false, "jurisdictions": ["RU", "EU"]}, ["public"], [])
	lib.customer_facing == true with input as m
	lib.commercial == false with input as m
	lib.jurisdictions == {"RU", "EU"} with input as m
}

test_source_classes_default_to_all_manifest_classes if {
	m := fx.manifest({}, ["personal", "internal"], [])
	lib.source_classes({"id": "a"}) == ["personal", "internal"] with input as m
	lib.source_classes({"id": "a", "data_classes": ["internal"]}) == ["internal"] with input as m
	lib.declared_classes({"id": "a"}) == ["personal", "internal"] with input as m
}

test_class_path_points_at_the_class_or_the_missing_key if {
	lib.class_path(2, {"data_classes": ["public", "personal"]}, "personal") == ["sources", 2, "data_classes", 1]
	lib.class_path(2, {}, "personal") == ["sources", 2, "data_classes"]
}

test_non_public_classes_and_exposure_severity if {
	m := fx.manifest({}, ["public", "internal", "payment"], [])
	lib.non_public_classes({}) == {"internal", "payment"} with input as m
	lib.exposure_severity({"internal", "payment"}) == "error"
	lib.exposure_severity({"internal"}) == "warning"
}

test_open_source_without_hosting_is_self_hosted if {
	lib.is_self_hosted({"sector": "open_source"})
	lib.is_self_hosted({"sector": "open_source", "hosting": "own_cloud"})
	not lib.is_self_hosted({"sector": "open_source", "hosting": "provider"})
	not lib.is_self_hosted({"sector": "private", "hosting": "on_prem"})
}

test_today_comes_from_the_context if {
	lib.today == "2026-11-27" with data.llm_policy.context.today as "2026-11-27"
}

test_today_falls_back_to_the_clock if {
	# 2026-11-27T12:00:00Z
	lib.today == "2026-11-27" with time.now_ns as 1795780800000000000
}

test_add_days_crosses_months_and_years if {
	lib.add_days("2026-11-27", 30) == "2026-12-27"
	lib.add_days("2026-12-15", 30) == "2027-01-14"
	lib.add_days("2028-02-28", 1) == "2028-02-29"
}

test_iso_date_accepts_dates_and_rejects_the_rest if {
	lib.iso_date("2027-01-10") == "2027-01-10"
	lib.iso_date("2027-01-10T00:00:00Z") == "2027-01-10"
	not lib.iso_date("10.01.2027")
	not lib.iso_date(20270110)
}

test_dpa_validity_on_the_evaluation_date if {
	lib.dpa_valid({"dpa": {"signed": "2025-01-01", "expires": "2026-11-27"}}) with data.llm_policy.context.today as "2026-11-27"
	lib.dpa_valid({"dpa": {"signed": "2025-01-01"}}) with data.llm_policy.context.today as "2026-11-27"
	not lib.dpa_valid({"dpa": {"signed": "2025-01-01", "expires": "2026-11-26"}}) with data.llm_policy.context.today as "2026-11-27"
	not lib.dpa_valid({"dpa": {"signed": "2026-11-28"}}) with data.llm_policy.context.today as "2026-11-27"
	not lib.dpa_valid({})
}

test_has_region if {
	lib.has_region({"region": "RU"})
	not lib.has_region({})
}
