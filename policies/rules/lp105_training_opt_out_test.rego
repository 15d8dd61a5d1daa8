package llm_policy.rules.lp105_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp105

run(m) := fs if {
	fs := lp105.findings with input as m with data.llm_policy.context.today as fx.today
}

test_missing_opt_out_fails if {
	src := fx.replace(fx.cloud("claude", "anthropic", {}), "dpa", fx.without(fx.valid_dpa, ["training_opt_out"]))
	fs := run(fx.manifest({}, ["confidential"], [src]))
	count(fs) == 1
	some f in fs
	f.id == "LP105"
	f.severity == "error"
	f.path == ["sources", 0, "dpa", "training_opt_out"]
	f.source_id == "claude"
	contains(f.msg, `source "claude" receives confidential data without dpa.training_opt_out: true`)
}

test_false_opt_out_fails if {
	fs := run(fx.manifest({}, ["financial"], [fx.cloud("gpt4o", "openai", {"dpa": {"training_opt_out": false}})]))
	count(fs) == 1
}

test_no_dpa_at_all_fails if {
	fs := run(fx.manifest({}, ["personal"], [fx.without(fx.cloud("gpt4o", "openai", {}), ["dpa"])]))
	some f in fs
	f.path == ["sources", 0, "dpa", "training_opt_out"]
}

test_opt_out_passes if {
	count(run(fx.manifest({}, ["personal"], [fx.cloud("gpt4o", "openai", {})]))) == 0
}

test_internal_only_is_a_warning if {
	fs := run(fx.manifest({}, ["internal"], [fx.cloud("gpt4o", "openai", {"dpa": {"training_opt_out": false}})]))
	some f in fs
	f.severity == "warning"
}

test_public_only_passes if {
	count(run(fx.manifest({}, ["public"], [fx.cloud("gpt4o", "openai", {"dpa": {"training_opt_out": false}})]))) == 0
}

test_self_hosted_sources_are_not_concerned if {
	count(run(fx.manifest({}, ["confidential"], [fx.local("llama", {})]))) == 0
}

# Issue 12, section 1: processor duties follow who runs the model.
test_open_weights_on_a_provider_platform_need_a_training_opt_out if {
	dpa := object.union(fx.valid_dpa, {"training_opt_out": false})
	src := fx.local("qwen", {"hosting": "provider", "provider": "sbercloud", "dpa": dpa})
	fs := lp105.findings with input as fx.manifest({}, ["personal"], [src]) with data.llm_policy.context.today as fx.today
	some f in fs
	contains(f.msg, `Provider-hosted source "qwen" receives personal data without dpa.training_opt_out: true`)
}
