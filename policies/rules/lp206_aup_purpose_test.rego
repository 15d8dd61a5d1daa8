package llm_policy.rules.lp206_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp206

# The catalog with the aup_bans facts the facts carry.
catalog := object.union(data.llm_policy.catalog, {"licenses": {
	"llama3.1-community": {
		"aup_bans": ["military", "weapons", "espionage", "critical_infrastructure"],
		"evidence": {"aup_bans": {"verification": "primary", "source": "https://github.com/meta-llama/llama-models/blob/main/models/llama3_1/USE_POLICY.md"}},
	},
	"deepseek-license": {"aup_bans": ["military", "automated_adverse_decisions"]},
}})

run(m) := fs if {
	cat := catalog
	fs := lp206.findings with input as m with data.llm_policy.catalog as cat
}

test_a_banned_purpose_warns if {
	fs := run(fx.manifest({"purposes": ["customer_support", "espionage"]}, ["internal"], [fx.local("llama", {})]))
	count(fs) == 1
	some f in fs
	f.id == "LP206"
	f.severity == "warning"
	f.path == ["project", "purposes", 1]
	f.source_id == "llama"
	f.verification == "primary"
	contains(f.msg, `The project declares purpose espionage, which the acceptable-use policy of llama3.1-community bans, and source "llama" runs meta-llama/Llama-3.1-8B-Instruct under it`)
}

test_deepseek_bans_automated_adverse_decisions if {
	src := fx.local("ds", {"model": "deepseek-ai/DeepSeek-V3", "license": "deepseek-license"})
	some f in run(fx.manifest({"purposes": ["automated_adverse_decisions"]}, ["internal"], [src]))
	f.verification == "primary"
}

test_allowed_purposes_pass if {
	count(run(fx.manifest({"purposes": ["customer_support"]}, ["internal"], [fx.local("llama", {})]))) == 0
	count(run(fx.manifest({}, ["internal"], [fx.local("llama", {})]))) == 0
}

test_licenses_without_bans_pass if {
	qwen := fx.local("qwen", {"model": "Qwen/Qwen2.5-7B-Instruct", "license": "Apache-2.0"})
	count(run(fx.manifest({"purposes": ["military"]}, ["internal"], [qwen]))) == 0
}
