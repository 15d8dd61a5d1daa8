package llm_policy.rules.lp101_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp101

run(m) := fs if {
	fs := lp101.findings with input as m with data.llm_policy.context.today as fx.today
}

test_cloud_api_confidential_with_valid_dpa_and_opt_out_passes if {
	count(run(fx.manifest({}, ["confidential"], [fx.cloud("gpt4o", "openai", {})]))) == 0
}

test_cloud_api_confidential_without_dpa_fails if {
	src := fx.without(fx.cloud("gpt4o", "openai", {"data_classes": ["public", "confidential"]}), ["dpa"])
	fs := run(fx.manifest({}, ["public", "confidential"], [src]))
	count(fs) == 1
	some f in fs
	f.id == "LP101"
	f.severity == "error"
	f.source_id == "gpt4o"
	f.path == ["sources", 0, "data_classes", 1]
	contains(f.msg, `Source "gpt4o" may not receive confidential data`)
	contains(f.msg, "declares no dpa")
	contains(f.msg, "training_opt_out: true")
}

test_inherited_classes_point_at_the_missing_data_classes_key if {
	src := fx.without(fx.cloud("gpt4o", "openai", {}), ["dpa"])
	fs := run(fx.manifest({}, ["internal", "financial"], [fx.local("llama", {}), src]))
	count(fs) == 1
	some f in fs
	f.path == ["sources", 1, "data_classes"]
	contains(f.msg, "financial")
}

test_expired_dpa_fails if {
	dpa := object.union(fx.valid_dpa, {"expires": "2026-11-26"})
	fs := run(fx.manifest({}, ["payment"], [fx.cloud("gpt4o", "openai", {"dpa": dpa})]))
	some f in fs
	f.id == "LP101"
	contains(f.msg, "expired on 2026-11-26")
}

test_dpa_expiring_today_is_still_valid if {
	dpa := object.union(fx.valid_dpa, {"expires": fx.today})
	count(run(fx.manifest({}, ["payment"], [fx.cloud("gpt4o", "openai", {"dpa": dpa})]))) == 0
}

test_dpa_signed_in_the_future_fails if {
	dpa := object.union(fx.valid_dpa, {"signed": "2026-12-01"})
	fs := run(fx.manifest({}, ["personal"], [fx.cloud("gpt4o", "openai", {"dpa": dpa})]))
	some f in fs
	contains(f.msg, "signed only on 2026-12-01")
}

test_missing_training_opt_out_fails if {
	src := fx.replace(fx.cloud("gpt4o", "openai", {}), "dpa", fx.without(fx.valid_dpa, ["training_opt_out"]))
	fs := run(fx.manifest({}, ["personal"], [src]))
	count(fs) == 1
	some f in fs
	contains(f.msg, "does not set training_opt_out: true")
	not contains(f.msg, "declares no dpa")
}

test_false_training_opt_out_fails if {
	dpa := object.union(fx.valid_dpa, {"training_opt_out": false})
	count(run(fx.manifest({}, ["financial"], [fx.cloud("gpt4o", "openai", {"dpa": dpa})]))) == 1
}

test_special_category_needs_zero_retention if {
	fs := run(fx.manifest({}, ["special_category"], [fx.cloud("gpt4o", "openai", {})]))
	count(fs) == 1
	some f in fs
	contains(f.msg, "zero_retention: true")
}

test_special_category_with_zero_retention_passes if {
	dpa := object.union(fx.valid_dpa, {"zero_retention": true})
	count(run(fx.manifest({}, ["special_category"], [fx.cloud("gpt4o", "openai", {"dpa": dpa})]))) == 0
}

test_public_and_internal_need_nothing_from_a_cloud_api if {
	src := fx.without(fx.cloud("gpt4o", "openai", {}), ["dpa"])
	count(run(fx.manifest({}, ["public", "internal"], [src]))) == 0
}

test_sensitive_classes_are_fine_self_hosted if {
	classes := ["confidential", "personal", "special_category", "payment", "financial"]
	count(run(fx.manifest({}, classes, [fx.local("llama", {}), fx.private("nim", "nvidia-nim", {})]))) == 0
}

test_state_secret_never_goes_to_a_cloud_api if {
	fs := run(fx.manifest({}, ["state_secret"], [fx.cloud("gpt4o", "openai", {"dpa": object.union(fx.valid_dpa, {"zero_retention": true})})]))
	count(fs) == 1
	some f in fs
	contains(f.msg, "sector cloud_api may not receive it")
	contains(f.msg, "hosting is provider")
}

test_state_secret_on_prem_passes if {
	count(run(fx.manifest({}, ["state_secret"], [fx.local("llama", {}), fx.private("nim", "nvidia-nim", {"hosting": "on_prem"})]))) == 0
}

test_state_secret_in_own_cloud_fails if {
	fs := run(fx.manifest({}, ["state_secret"], [fx.local("llama", {"hosting": "own_cloud"})]))
	some f in fs
	f.path == ["sources", 0, "data_classes"]
	contains(f.msg, "hosting is own_cloud, but only on_prem is allowed")
}

test_state_secret_in_vendor_perimeter_fails if {
	count(run(fx.manifest({}, ["state_secret"], [fx.private("nim", "nvidia-nim", {})]))) == 1
}

test_state_secret_without_declared_hosting_fails if {
	fs := run(fx.manifest({}, ["state_secret"], [fx.without(fx.local("llama", {}), ["hosting"])]))
	some f in fs
	contains(f.msg, "declares no hosting")
}

test_class_missing_from_the_table_fails_closed if {
	rules := object.remove(data.llm_policy.tables.class_rules, ["payment"])
	fs := lp101.findings with input as fx.manifest({}, ["payment"], [fx.local("llama", {})])
		with data.llm_policy.context.today as fx.today
		with data.llm_policy.tables as fx.tables_with("class_rules", rules)
	some f in fs
	contains(f.msg, `no entry for "payment"`)
}

test_unknown_requirement_in_the_table_fails_closed if {
	rules := object.union(data.llm_policy.tables.class_rules, {"internal": {"sectors": ["cloud_api"], "requirements": {"cloud_api": ["iso_42001"]}}})
	fs := lp101.findings with input as fx.manifest({}, ["internal"], [fx.cloud("gpt4o", "openai", {})])
		with data.llm_policy.context.today as fx.today
		with data.llm_policy.tables as fx.tables_with("class_rules", rules)
	some f in fs
	contains(f.msg, `requirement "iso_42001"`)
}

test_one_finding_per_source_and_class if {
	src := fx.without(fx.cloud("gpt4o", "openai", {}), ["dpa"])
	fs := run(fx.manifest({}, ["personal", "payment"], [src, fx.local("llama", {})]))
	{[f.source_id, f.path] | some f in fs} == {["gpt4o", ["sources", 0, "data_classes"]]}
	count(fs) == 2
}

# Issue 12, section 1: the cloud_api requirements apply to whoever runs the model as a processor.
test_provider_hosted_open_weights_meet_the_cloud_api_requirements if {
	src := fx.without(fx.local("qwen", {"hosting": "provider", "provider": "sbercloud"}), ["dpa"])
	fs := lp101.findings with input as fx.manifest({}, ["personal"], [src]) with data.llm_policy.context.today as fx.today
	some f in fs
	contains(f.msg, "it declares no dpa")
}
