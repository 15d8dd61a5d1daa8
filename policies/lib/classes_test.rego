package llm_policy.lib_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.lib

cloud(dpa) := {"id": "c", "sector": "cloud_api", "provider": "openai", "dpa": dpa}

test_public_is_allowed_everywhere if {
	lib.class_denials(cloud(null), "public") == set()
	lib.class_denials({"sector": "open_source"}, "public") == set()
}

# The sources are built before the `with` expressions: regorus 0.13 loses the result of a call
# whose arguments use other rules when the same expression carries a `with`.

test_confidential_on_a_cloud_api_needs_a_dpa_and_opt_out if {
	today := fx.today
	denials := lib.class_denials({"sector": "cloud_api"}, "confidential") with data.llm_policy.context.today as today
	{d.why | some d in denials} == {"it declares no dpa", "its dpa does not set training_opt_out: true"}
	src := cloud(fx.valid_dpa)
	lib.class_denials(src, "confidential") == set() with data.llm_policy.context.today as today
}

test_expired_dpa_is_named if {
	src := cloud(object.union(fx.valid_dpa, {"expires": "2026-01-01"}))
	denials := lib.class_denials(src, "personal") with data.llm_policy.context.today as fx.today
	{d.why | some d in denials} == {"its DPA expired on 2026-01-01"}
}

test_state_secret_needs_sector_and_hosting if {
	denials := lib.class_denials({"sector": "cloud_api", "hosting": "provider"}, "state_secret")
	count(denials) == 2
	lib.class_denials({"sector": "private", "hosting": "on_prem"}, "state_secret") == set()
}

test_unknown_class_is_denied if {
	denials := lib.class_denials({"sector": "open_source"}, "top_secret")
	{d.why | some d in denials} == {`the class_rules table has no entry for "top_secret"`}
}

test_table_entry_without_sectors_denies if {
	tables := fx.tables_with("class_rules", {"public": {}})
	count(lib.class_denials({"sector": "open_source"}, "public")) == 1 with data.llm_policy.tables as tables
}

test_denial_text_is_sorted_and_joined if {
	denials := {{"why": "b", "fix": "y"}, {"why": "a", "fix": "x"}}
	lib.denial_whys(denials) == "a; b"
	lib.denial_fixes(denials) == "x; y"
}
