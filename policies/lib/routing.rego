# Helpers over `routing.fallbacks`: which source backs up which.
package llm_policy.lib

fallbacks := object.get(object.get(input, "routing", {}), "fallbacks", [])

# [k, m, from, to]: the m-th target `to` of the k-th fallback chain, which backs up `from`.
fallback_edges contains [k, m, fb.from, t] if {
	some k, fb in fallbacks
	some m, t in fb.to
}

# Whether two sources differ in provider or sector, so that one can stand in when the other's
# provider fails.
independent(a, b) if a.sector != b.sector

independent(a, b) if provider_identity(a) != provider_identity(b)
