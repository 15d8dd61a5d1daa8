package llm_policy.lib_scan_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.lib

item(provider, kind, match, model, file, line) := {
	"provider": provider, "sector": "cloud_api", "kind": kind, "match": match, "model": model,
	"file": file, "line": line, "column": 1, "language": "python",
}

test_no_scan_means_no_evidence if {
	m := fx.manifest({}, ["internal"], [])
	count(lib.scan_items) == 0 with input as m
	not lib.governed with input as m
	not lib.ungoverned with input as m
	not lib.scan_complete with input as m
}

test_snapshot_suffixes_match_the_declared_model if {
	lib.same_model("gpt-4o-2024-08-06", "gpt-4o")
	lib.same_model("claude-3-5-sonnet-20241022", "Claude-3-5-Sonnet")
	lib.same_model("claude-3-5-sonnet@20240620", "claude-3-5-sonnet")
	lib.same_model("gpt-4o-latest", "gpt-4o")
	not lib.same_model("gpt-4o-mini", "gpt-4o")
	not lib.same_model("gpt-4", "gpt-4o")
}

test_uses_and_declarations if {
	lib.evidence_use({"provider": "openai", "sector": "cloud_api"}) == "openai"
	lib.evidence_use({"provider": null, "sector": "open_source"}) == "open weights"
	m := fx.manifest({}, ["internal"], [fx.cloud("a", "Claude", {}), fx.local("l", {})])
	lib.declares_use("anthropic") with input as m
	lib.declares_use("open weights") with input as m
	not lib.declares_use("openai") with input as m
	lib.model_declared("open weights", "meta-llama/llama-3.1-8b-instruct") with input as m
}

test_first_location_and_summary if {
	items := [item("openai", "model", "gpt-4o", "gpt-4o", "a.py", 9), item("openai", "import", "openai", null, "a.py", 2)]
	lib.first_location("a.py", items) == {"file": "a.py", "line": 2, "column": 1}
	lib.evidence_summary(items) == "import openai, model gpt-4o"
	lib.declare_hint("open weights") == "an open_source source for the model"
	lib.declare_hint("openai") == "a source with provider openai"
}
