package llm_policy.lib_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.lib

test_provider_retention_contract_outranks_the_catalog if {
	zdr := fx.cloud("gpt", "openai", {"dpa": object.union(fx.valid_dpa, {"zero_retention": true})})
	lib.provider_retention(zdr).days == 0
	lib.provider_retention(zdr).basis == "dpa.zero_retention"
	declared := fx.cloud("gpt", "openai", {"dpa": object.union(fx.valid_dpa, {"retention_days": 7})})
	lib.provider_retention(declared).days == 7
	lib.provider_retention(declared).basis == "dpa.retention_days"
}

test_provider_retention_defaults_to_the_catalog if {
	r := lib.provider_retention(fx.cloud("gpt", "openai", {}))
	r.days == 30
	r.basis == "catalog"
	r.verification == "primary"
	startswith(r.reference, "https://")
	not lib.provider_retention(fx.cloud("gem", "google-vertex", {}))
	not lib.provider_retention(fx.local("q", {}))
}

test_provider_retention_limits_come_from_the_table if {
	lib.provider_retention_limit("personal") == 30
	not lib.provider_retention_limit("internal")
	not lib.provider_retention_limit("_why")
}

test_store_classes_declared_written_or_all if {
	writer := fx.local("q", {"data_classes": ["personal"], "stores": ["log"]})
	m := object.union(fx.manifest({}, ["personal", "internal", "public"], [writer]), {"stores": [{"id": "log", "kind": "prompt_log"}, {"id": "vec", "kind": "vector_store"}, {"id": "c", "kind": "cache", "data_classes": ["public"]}]})
	lib.store_classes({"id": "log"}) == {"personal"} with input as m
	lib.store_classes({"id": "vec"}) == {"personal", "internal", "public"} with input as m
	lib.store_classes({"id": "c", "data_classes": ["public"]}) == {"public"} with input as m
	lib.store_personal_classes({"id": "log"}) == ["personal"] with input as m
	count(lib.stores) == 3 with input as m
}

# A store's writers contribute what they are declared to receive, before redaction.
test_store_classes_ignore_the_writers_redaction if {
	control := {"method": "masking", "removes": ["personal"], "leaves": "internal", "evidence": "T-1"}
	writer := fx.cloud("gpt", "openai", {"redaction": control, "stores": ["log"]})
	m := object.union(fx.manifest({}, ["personal", "internal"], [writer]), {"stores": [{"id": "log", "kind": "prompt_log"}]})
	lib.store_classes({"id": "log"}) == {"personal", "internal"} with input as m
}

test_store_retention_limits_and_declarations if {
	tables := fx.tables_with("store_retention_max_days", {"personal": 90})
	lib.store_retention_limit("personal") == 90 with data.llm_policy.tables as tables
	not lib.store_retention_limit("personal")
	lib.declares_retention({"retention_days": 0})
	not lib.declares_retention({})
}

# A backup's log holds what the backup takes over in an outage.
test_store_classes_follow_failover if {
	primary := fx.local("q", {"data_classes": ["personal"]})
	backup := fx.local("b", {"data_classes": ["public"], "stores": ["log"]})
	m := fx.with_routing(
		object.union(fx.manifest({}, ["personal", "public"], [primary, backup]), {"stores": [{"id": "log", "kind": "prompt_log"}]}),
		{"strategy": "fallback", "fallbacks": [{"from": "q", "to": ["b"]}]},
	)
	lib.store_classes({"id": "log"}) == {"personal", "public"} with input as m
}
