package llm_policy.rules.lp602_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp602

model(provider, sector, name, file, line) := {
	"provider": provider, "sector": sector, "kind": "model", "match": name, "model": name,
	"file": file, "line": line, "column": 7, "language": "go",
}

scanned(m, items) := object.union(m, {"_evidence": {"manifest": "llm-sourcing.yaml", "complete": true, "items": items}})

run(m) := fs if {
	fs := lp602.findings with input as m with data.llm_policy.context.today as fx.today
}

declared := fx.manifest({}, ["internal"], [fx.cloud("gpt", "openai", {}), fx.local("llama", {})])

test_declared_models_and_snapshots_pass if {
	count(run(scanned(declared, [model("openai", "cloud_api", "gpt-4o-2024-08-06", "a.go", 1), model("openai", "cloud_api", "GPT-4o", "a.go", 2)]))) == 0
}

test_open_weights_models_are_compared_with_open_source_sources if {
	count(run(scanned(declared, [model(null, "open_source", "meta-llama/Llama-3.1-8B-Instruct", "a.py", 1)]))) == 0
	count(run(scanned(declared, [model(null, "open_source", "Qwen/Qwen2.5-7B-Instruct", "a.py", 1)]))) == 1
}

test_undeclared_providers_are_lp601s_business if {
	count(run(scanned(declared, [model("anthropic", "cloud_api", "claude-3-haiku", "a.py", 1)]))) == 0
}

test_undeclared_model_of_a_declared_provider_warns if {
	fs := run(scanned(declared, [model("openai", "cloud_api", "gpt-4o-mini", "main.go", 12), model("openai", "cloud_api", "gpt-4o-mini", "main.go", 30)]))
	count(fs) == 1
	some f in fs
	f.id == "LP602"
	f.severity == "warning"
	f.location == {"file": "main.go", "line": 12, "column": 7}
	contains(f.msg, "main.go uses model gpt-4o-mini with openai, but the sources of llm-sourcing.yaml for openai declare only gpt-4o")
}
