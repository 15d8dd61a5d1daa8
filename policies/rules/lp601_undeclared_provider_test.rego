package llm_policy.rules.lp601_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp601

item(provider, sector, kind, match, file, line, column) := {
	"provider": provider, "sector": sector, "kind": kind, "match": match, "model": null,
	"file": file, "line": line, "column": column, "language": "python",
}

scanned(m, items) := object.union(m, {"_evidence": {"manifest": "svc/llm-sourcing.yaml", "complete": false, "items": items}})

run(m) := fs if {
	fs := lp601.findings with input as m with data.llm_policy.context.today as fx.today
}

declared := fx.manifest({}, ["internal"], [fx.cloud("gpt", "openai", {})])

test_silent_without_scan_or_for_ungoverned_code if {
	count(run(declared)) == 0
	orphan := {"_evidence": {"manifest": null, "complete": false, "items": [item("anthropic", "cloud_api", "import", "anthropic", "a.py", 1, 1)]}}
	count(run(orphan)) == 0
}

test_aliases_declare_the_provider if {
	m := fx.manifest({}, ["internal"], [fx.cloud("c", "Claude", {})])
	count(run(scanned(m, [item("anthropic", "cloud_api", "import", "anthropic", "a.py", 1, 1)]))) == 0
}

test_open_weights_need_an_open_source_source if {
	local := object.union(item(null, "open_source", "model", "Qwen/Qwen2.5-7B-Instruct", "a.py", 3, 5), {"model": "Qwen/Qwen2.5-7B-Instruct"})
	fs := run(scanned(declared, [local]))
	count(fs) == 1
	some f in fs
	contains(f.msg, "uses open weights")
	contains(f.msg, "Declare an open_source source for the model")
	with_local := fx.manifest({}, ["internal"], [fx.local("l", {})])
	count(run(scanned(with_local, [local]))) == 0
}

test_undeclared_provider_is_reported_once_per_file_at_its_first_use if {
	fs := run(scanned(declared, [
		item("anthropic", "cloud_api", "model", "claude-3-haiku", "svc/a.py", 9, 20),
		item("anthropic", "cloud_api", "import", "anthropic", "svc/a.py", 2, 1),
		item("anthropic", "cloud_api", "import", "@anthropic-ai/sdk", "svc/b.ts", 1, 23),
		item("openai", "cloud_api", "import", "openai", "svc/a.py", 1, 1),
	]))
	count(fs) == 2
	some f in fs
	f.location == {"file": "svc/a.py", "line": 2, "column": 1}
	f.id == "LP601"
	f.severity == "error"
	f.path == ["sources"]
	contains(f.msg, "svc/a.py uses anthropic (import anthropic, model claude-3-haiku), but no source of svc/llm-sourcing.yaml declares it")
	contains(f.msg, "Declare a source with provider anthropic")
}
