package llm_policy.rules.lp305_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp305

run(m) := fs if {
	fs := lp305.findings with input as m with data.llm_policy.context.today as fx.today
}

pair(a, b) := fx.with_routing(
	fx.manifest({}, ["internal"], [a, b]),
	{"strategy": "fallback", "routes": [{"name": "all", "to": a.id}], "fallbacks": [{"from": a.id, "to": [b.id]}]},
)

embedder(id, model, overrides) := fx.local(id, object.union({"model": model, "license": "MIT", "role": "embedding"}, overrides))

test_an_embedding_source_failing_over_to_another_model_fails if {
	fs := run(pair(embedder("a", "BAAI/bge-m3", {}), fx.cloud("b", "openai", {"model": "text-embedding-3-large", "role": "embedding"})))
	count(fs) == 1
	some f in fs
	f.id == "LP305"
	f.severity == "error"
	f.path == ["routing", "fallbacks", 0, "to", 0]
	f.source_id == "a"
	contains(f.msg, `Embedding source "a" (BAAI/bge-m3) falls back to "b", another model (text-embedding-3-large)`)
}

test_the_same_embedding_model_elsewhere_passes if {
	count(run(pair(embedder("a", "BAAI/bge-m3", {}), embedder("b", "baai/BGE-M3", {"hosting": "own_cloud"})))) == 0
}

test_another_role_fails if {
	fs := run(pair(embedder("a", "BAAI/bge-m3", {}), fx.local("b", {})))
	some f in fs
	contains(f.msg, `Source "a" (role embedding) falls back to "b" (role chat), which cannot do its job`)
}

test_chat_sources_without_roles_pass if {
	count(run(pair(fx.cloud("a", "openai", {}), fx.local("b", {})))) == 0
}
