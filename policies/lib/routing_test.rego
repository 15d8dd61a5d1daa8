package llm_policy.lib_test

import data.llm_policy.lib

test_fallback_edges_enumerate_every_target if {
	m := {"routing": {"fallbacks": [{"from": "a", "to": ["b", "c"]}, {"from": "b", "to": ["a"]}]}}
	lib.fallback_edges == {[0, 0, "a", "b"], [0, 1, "a", "c"], [1, 0, "b", "a"]} with input as m
}

test_no_routing_means_no_edges if {
	count(lib.fallback_edges) == 0 with input as {"sources": []}
}

test_independence_by_who_runs_the_model if {
	lib.independent({"sector": "cloud_api", "provider": "openai"}, {"sector": "open_source"})
	lib.independent({"sector": "cloud_api", "provider": "openai"}, {"sector": "cloud_api", "provider": "anthropic"})
	not lib.independent({"sector": "cloud_api", "provider": "openai"}, {"sector": "cloud_api", "provider": "OpenAI_API"})

	# not by the sector label
	not lib.independent({"sector": "cloud_api", "provider": "bedrock"}, {"sector": "open_source", "hosting": "provider", "provider": "aws-bedrock"})

	# not on one account
	not lib.independent({"sector": "cloud_api", "provider": "openai", "account": "x"}, {"sector": "open_source", "account": "X"})
}

test_escalation_edges_and_their_classes if {
	m := {
		"data": {"classes": ["personal", "internal"]},
		"sources": [{"id": "a"}, {"id": "b", "data_classes": ["internal"]}],
		"routing": {"escalations": [{"from": "a", "to": "b"}, {"from": "b", "to": "a", "data_classes": ["internal"]}]},
	}
	lib.escalation_edges == {[0, "a", "b"], [1, "b", "a"]} with input as m
	lib.escalated_classes(m.routing.escalations[0]) == {"personal", "internal"} with input as m
	lib.escalated_classes(m.routing.escalations[1]) == {"internal"} with input as m
}

test_fallback_only_sources if {
	m := {"sources": [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d"}], "routing": {
		"routes": [{"name": "x", "to": "a"}, {"name": "y", "to": "c"}],
		"fallbacks": [{"from": "a", "to": ["b", "c"]}, {"from": "d", "to": ["a"]}],
		"escalations": [{"from": "a", "to": "d"}],
	}}
	lib.fallback_only({"id": "b"}) with input as m
	not lib.fallback_only({"id": "a"}) with input as m
	not lib.fallback_only({"id": "c"}) with input as m
	not lib.fallback_only({"id": "d"}) with input as m
}

# Fail closed: a cycle of fallbacks with no route into it does not make both sources backups.
test_a_fallback_cycle_without_primary_traffic_is_primary if {
	m := {"sources": [{"id": "a"}, {"id": "b"}, {"id": "c"}], "routing": {
		"routes": [{"name": "x", "to": "c"}],
		"fallbacks": [{"from": "a", "to": ["b"]}, {"from": "b", "to": ["a"]}],
	}}
	not lib.fallback_only({"id": "a"}) with input as m
	not lib.fallback_only({"id": "b"}) with input as m
	m2 := {"sources": [{"id": "a"}, {"id": "b"}], "routing": {"fallbacks": [{"from": "a", "to": ["b"]}, {"from": "b", "to": ["a"]}]}}
	not lib.fallback_only({"id": "a"}) with input as m2
}

test_failover_reach_follows_chains_and_ends_on_cycles if {
	m := {"sources": [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d"}], "routing": {"fallbacks": [
		{"from": "a", "to": ["b"]}, {"from": "b", "to": ["c"]}, {"from": "c", "to": ["a"]},
	]}}
	lib.failover_reach("a") == {"b", "c"} with input as m
	lib.failover_reach("d") == set() with input as m
}

test_operator_groups if {
	lib.operator_group({"sector": "cloud_api", "provider": "Claude"}) == "anthropic"
	lib.operator_group({"sector": "open_source", "hosting": "provider", "provider": "acme"}) == "acme"
	lib.operator_group({"sector": "open_source", "hosting": "own_cloud", "provider": "yandex-cloud"}) == "yandex"
	lib.operator_group({"sector": "open_source", "hosting": "own_cloud"}) == "self"
	lib.operator_group({"sector": "private", "provider": "nvidia-nim", "hosting": "vendor_perimeter"}) == "self"
	not lib.operator_group({"sector": "open_source", "hosting": "provider"})
}

test_provider_group_from_the_catalog if {
	cat := object.union(data.llm_policy.catalog, {"providers": {"google-gemini": {"group": "google"}, "google-vertex": {"group": "google"}}})
	g := lib.operator_group({"sector": "cloud_api", "provider": "gemini"}) with data.llm_policy.catalog as cat
	g == "google"
	not lib.independent({"sector": "cloud_api", "provider": "gemini"}, {"sector": "cloud_api", "provider": "vertex"}) with data.llm_policy.catalog as cat
}
