package llm_policy.lib_test

import data.llm_policy.lib

test_fallback_edges_enumerate_every_target if {
	m := {"routing": {"fallbacks": [{"from": "a", "to": ["b", "c"]}, {"from": "b", "to": ["a"]}]}}
	lib.fallback_edges == {[0, 0, "a", "b"], [0, 1, "a", "c"], [1, 0, "b", "a"]} with input as m
}

test_no_routing_means_no_edges if {
	count(lib.fallback_edges) == 0 with input as {"sources": []}
}

test_independence_by_sector_or_provider if {
	lib.independent({"sector": "cloud_api", "provider": "openai"}, {"sector": "open_source"})
	lib.independent({"sector": "cloud_api", "provider": "openai"}, {"sector": "cloud_api", "provider": "anthropic"})
	not lib.independent({"sector": "cloud_api", "provider": "openai"}, {"sector": "cloud_api", "provider": "OpenAI_API"})
}
