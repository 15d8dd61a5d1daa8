package llm_policy.rules.lp102_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp102

run(m) := fs if {
	fs := lp102.findings with input as m with data.llm_policy.context.today as fx.today
}

no_dpa(overrides) := fx.without(fx.cloud("gpt4o", "openai", overrides), ["dpa"])

test_cloud_api_with_confidential_data_and_no_dpa_fails if {
	fs := run(fx.manifest({}, ["confidential", "internal"], [no_dpa({})]))
	count(fs) == 1
	some f in fs
	f.id == "LP102"
	f.severity == "error"
	f.path == ["sources", 0, "dpa"]
	f.source_id == "gpt4o"
	contains(f.msg, `source "gpt4o" (provider openai) receives confidential, internal data but declares no dpa`)
}

test_cloud_api_with_a_dpa_passes if {
	count(run(fx.manifest({}, ["confidential"], [fx.cloud("gpt4o", "openai", {})]))) == 0
}

test_internal_only_is_a_warning if {
	fs := run(fx.manifest({}, ["internal", "public"], [no_dpa({})]))
	some f in fs
	f.severity == "warning"
	contains(f.msg, "receives internal data")
}

test_public_only_needs_no_dpa if {
	count(run(fx.manifest({}, ["public"], [no_dpa({})]))) == 0
}

test_source_data_classes_narrow_the_manifest_classes if {
	count(run(fx.manifest({}, ["public", "personal"], [no_dpa({"data_classes": ["public"]}), fx.local("llama", {})]))) == 0
}

test_self_hosted_and_private_sources_need_no_dpa if {
	count(run(fx.manifest({}, ["personal"], [fx.local("llama", {}), fx.private("nim", "nvidia-nim", {})]))) == 0
}

# Issue 12, section 1: processor duties follow who runs the model.
test_open_weights_on_a_provider_platform_need_a_dpa if {
	src := fx.local("llama", {"hosting": "provider", "provider": "aws-bedrock"})
	fs := lp102.findings with input as fx.manifest({}, ["personal"], [src]) with data.llm_policy.context.today as fx.today
	some f in fs
	f.severity == "error"
	contains(f.msg, `Provider-hosted source "llama" (provider aws-bedrock) receives personal data but declares no dpa`)
}

test_a_private_model_on_the_vendors_cloud_needs_a_dpa if {
	src := fx.without(fx.private("giga", "gigachat", {"hosting": "provider"}), ["dpa"])
	fs := lp102.findings with input as fx.manifest({}, ["confidential"], [src]) with data.llm_policy.context.today as fx.today
	count(fs) == 1
}

test_a_private_model_in_the_perimeter_needs_none if {
	src := fx.private("nim", "nvidia-nim", {})
	fs := lp102.findings with input as fx.manifest({}, ["confidential"], [src]) with data.llm_policy.context.today as fx.today
	count(fs) == 0
}
