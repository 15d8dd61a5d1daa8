package llm_policy.rules.lp202_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp202

run(m) := fs if {
	fs := lp202.findings with input as m with data.llm_policy.context.today as fx.today
}

oss(model, license) := fx.manifest({}, ["internal"], [fx.local("local", {"model": model, "license": license})])

test_wrong_license_for_the_checkpoint_fails if {
	fs := run(oss("Qwen/Qwen2.5-3B-Instruct", "Apache-2.0"))
	count(fs) == 1
	some f in fs
	f.id == "LP202"
	f.severity == "error"
	f.path == ["sources", 0, "license"]
	f.source_id == "local"
	f.verification == "primary"
	f.reference == "https://huggingface.co/Qwen/Qwen2.5-3B-Instruct"
	contains(f.msg, `Source "local" declares license Apache-2.0, but the catalog licenses Qwen/Qwen2.5-3B-Instruct under qwen-research`)
}

test_matching_license_passes if {
	count(run(oss("Qwen/Qwen2.5-7B-Instruct", "Apache-2.0"))) == 0
}

test_license_and_model_match_case_insensitively if {
	count(run(oss("qwen/qwen2.5-7b-instruct", "apache-2.0"))) == 0
}

test_hugging_face_tags_and_licenseref_ids_are_accepted if {
	count(run(oss("meta-llama/Llama-3.1-8B-Instruct", "llama3.1"))) == 0
	count(run(oss("meta-llama/Llama-3.1-8B-Instruct", "LicenseRef-llama3.1-community"))) == 0
	count(run(oss("mistralai/Mistral-Large-Instruct-2411", "mrl"))) == 0
}

test_deepseek_v3_checkpoints_differ if {
	count(run(oss("deepseek-ai/DeepSeek-V3-0324", "deepseek-license"))) == 1
	count(run(oss("deepseek-ai/DeepSeek-V3", "MIT"))) == 1
	count(run(oss("deepseek-ai/DeepSeek-V3-0324", "MIT"))) == 0
}

test_unknown_declared_license_on_a_known_model_names_the_right_one if {
	fs := run(oss("meta-llama/Llama-3.1-8B-Instruct", "llama-3.1-license"))
	some f in fs
	contains(f.msg, "Set license: llama3.1-community")
}

test_unverified_checkpoint_license_is_only_a_warning if {
	fs := run(oss("Qwen/Qwen2-VL-7B-Instruct", "qwen-license"))
	some f in fs
	f.severity == "warning"
	f.verification == "unverified"
	contains(f.msg, "unverified catalog fact")
}

test_unknown_model_is_not_compared if {
	count(run(oss("acme/private-7b", "Apache-2.0"))) == 0
}

test_source_without_a_declared_license_is_not_compared if {
	src := fx.without(fx.private("nim", "nvidia-nim", {}), ["license"])
	count(run(fx.manifest({}, ["internal"], [src]))) == 0
}
