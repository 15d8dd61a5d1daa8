package llm_policy.rules.lp108_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp108

run(m) := fs if {
	fs := lp108.findings with input as m with data.llm_policy.context.today as fx.today
}

with_store(classes, st) := object.union(fx.manifest({}, classes, [fx.local("q", {"stores": [st.id]})]), {"stores": [st]})

test_personal_data_without_retention_errs if {
	fs := run(with_store(["personal", "internal"], {"id": "log", "kind": "response_log", "region": "US"}))
	count(fs) == 1
	some f in fs
	f.id == "LP108"
	f.severity == "error"
	f.path == ["stores", 0, "retention_days"]
	contains(f.msg, `Store "log" (response_log) keeps internal, personal data but declares no retention_days`)
}

test_internal_data_without_retention_warns if {
	fs := run(with_store(["internal", "public"], {"id": "c", "kind": "cache"}))
	some f in fs
	f.severity == "warning"
}

test_public_data_and_declared_retention_pass if {
	count(run(with_store(["public"], {"id": "c", "kind": "cache"}))) == 0
	count(run(with_store(["personal"], {"id": "c", "kind": "cache", "retention_days": 3650}))) == 0
}

test_a_period_over_the_organisations_limit_errs if {
	tables := fx.tables_with("store_retention_max_days", {"personal": 90, "internal": 365})
	fs := run(with_store(["personal", "internal"], {"id": "vec", "kind": "vector_store", "retention_days": 400})) with data.llm_policy.tables as tables
	count(fs) == 1
	some f in fs
	f.severity == "error"
	contains(f.msg, `Store "vec" (vector_store) keeps internal, personal data for 400 days, longer than the 90 days the store_retention_max_days table allows`)
	within := run(with_store(["personal"], {"id": "vec", "kind": "vector_store", "retention_days": 90})) with data.llm_policy.tables as tables
	count(within) == 0
}

test_out_of_scope_frameworks_silence_the_rule if {
	count(run(object.union(with_store(["personal"], {"id": "c", "kind": "cache"}), {"project": {"frameworks": ["eu-ai-act"]}}))) == 0
}
