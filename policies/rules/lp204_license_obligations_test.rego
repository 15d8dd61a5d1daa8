package llm_policy.rules.lp204_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp204

run(m) := fs if {
	fs := lp204.findings with input as m with data.llm_policy.context.today as fx.today
}

oss(model, license) := fx.manifest({}, ["internal"], [fx.local("local", {"model": model, "license": license})])

test_llama_obligations_are_listed if {
	fs := run(oss("meta-llama/Llama-3.1-8B-Instruct", "llama3.1-community"))
	count(fs) == 1
	some f in fs
	f.id == "LP204"
	f.severity == "info"
	f.path == ["sources", 0, "license"]
	f.source_id == "local"
	f.verification == "primary"
	f.reference == data.llm_policy.catalog.licenses["llama3.1-community"].source
	contains(f.msg, `Source "local" runs meta-llama/Llama-3.1-8B-Instruct under llama3.1-community, which comes with obligations: attribution: display 'Built with Llama'`)
	contains(f.msg, "naming of derivatives: models built with Llama materials or outputs must start with 'Llama'")
}

test_acceptable_use_policy_is_linked if {
	fs := run(oss("meta-llama/Llama-3.2-3B-Instruct", "llama3.2-community"))
	some f in fs
	contains(f.msg, "acceptable-use policy: https://github.com/meta-llama/llama-models/blob/main/models/llama3_2/USE_POLICY.md")
	f.verification == "secondary"
}

test_permissive_licenses_still_require_notices if {
	fs := run(oss("Qwen/Qwen2.5-7B-Instruct", "Apache-2.0"))
	some f in fs
	contains(f.msg, "attribution: keep the license text and its notices")
}

test_obligations_come_from_the_checkpoint_license if {
	fs := run(oss("Qwen/Qwen2.5-3B-Instruct", "Apache-2.0"))
	some f in fs
	f.path == ["sources", 0, "license"]
	contains(f.msg, "under qwen-research")
}

test_secondary_facts_are_marked if {
	fs := run(oss("google/gemma-2-9b-it", "gemma-terms"))
	some f in fs
	f.verification == "secondary"
}

test_license_without_obligations_gives_nothing if {
	catalog := object.union(data.llm_policy.catalog, {"licenses": {"mit": {"requires_attribution": false}}})
	count(lp204.findings) == 0 with input as oss("microsoft/phi-4", "MIT") with data.llm_policy.catalog as catalog
}

test_cloud_api_sources_are_not_concerned if {
	count(run(fx.manifest({}, ["internal"], [fx.cloud("gpt4o", "openai", {})]))) == 0
}

test_unknown_model_and_license_give_nothing if {
	count(run(oss("acme/private-7b", "acme-eula"))) == 0
}
