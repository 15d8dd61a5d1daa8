package llm_policy.rules.lp603_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp603

use(provider, sector) := {
	"provider": provider, "sector": sector, "kind": "import", "match": "x", "model": null,
	"file": "a.py", "line": 1, "column": 1, "language": "python",
}

scanned(m, complete, items) := object.union(m, {"_evidence": {"manifest": "llm-sourcing.yaml", "complete": complete, "items": items}})

run(m) := fs if {
	fs := lp603.findings with input as m with data.llm_policy.context.today as fx.today
}

declared := fx.manifest({}, ["internal"], [fx.cloud("gpt", "openai", {}), fx.local("llama", {}), fx.private("nim", "nvidia", {})])

test_silent_on_a_partial_scan_or_without_scan if {
	count(run(scanned(declared, false, []))) == 0
	count(run(declared)) == 0
}

test_used_sources_pass if {
	count(run(scanned(declared, true, [use("openai", "cloud_api"), use(null, "open_source"), use("nvidia-nim", "cloud_api")]))) == 0
}

test_sources_without_evidence_are_noted_on_a_full_scan if {
	fs := run(scanned(declared, true, [use("openai", "cloud_api")]))
	{[f.source_id, f.severity, f.path[1]] | some f in fs} == {["llama", "info", 1], ["nim", "info", 2]}
	some f in fs
	f.source_id == "nim"
	contains(f.msg, `Source "nim" (nvidia-nim) has no evidence in the code under the directory of llm-sourcing.yaml`)
}
