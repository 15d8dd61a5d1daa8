package llm_policy.rules.lp604_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp604

use(provider, file, line) := {
	"provider": provider, "sector": "cloud_api", "kind": "import", "match": provider, "model": null,
	"file": file, "line": line, "column": 1, "language": "python",
}

run(m) := fs if {
	fs := lp604.findings with input as m with data.llm_policy.context.today as fx.today
}

test_ungoverned_code_is_reported_once_per_file if {
	fs := run({"_evidence": {"manifest": null, "complete": false, "items": [
		use("openai", "tools/a.py", 4), use("anthropic", "tools/a.py", 2), use("openai", "b.py", 1),
	]}})
	count(fs) == 2
	some f in fs
	f.location == {"file": "tools/a.py", "line": 2, "column": 1}
	f.id == "LP604"
	f.severity == "error"
	contains(f.msg, "tools/a.py uses anthropic, openai (import anthropic, import openai), but no llm-sourcing.yaml governs it")
}

test_governed_code_and_plain_manifests_pass if {
	m := fx.manifest({}, ["internal"], [])
	count(run(m)) == 0
	count(run(object.union(m, {"_evidence": {"manifest": "llm-sourcing.yaml", "complete": true, "items": [use("openai", "a.py", 1)]}}))) == 0
}
