# METADATA
# title: Cloud API without a fallback to another provider or sector
# description: |
#   A project that depends on a single cloud API stops when that provider has an outage, rate
#   limits it, changes its terms or withdraws the model, or when sanctions or export rules cut
#   access. A fallback to a different provider, or to a self-hosted or private model, keeps the
#   product running and keeps the switch rehearsed. A fallback to the same provider does not count
#   (see LP303). It is an error for customer-facing projects and a warning otherwise.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP301.md
#     description: Rule documentation
# custom:
#   id: LP301
#   severity: error
#   remediation: |
#     Add a `routing.fallbacks` entry from the cloud_api source to a source of another provider or
#     another sector (for example a self-hosted open model), e.g.
#     `fallbacks: [{from: gpt4o, to: [local-llama]}]`.
#   tags: [availability, vendor-risk]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: shop-assistant
#         owner: shop-team@example.com
#         customer_facing: true
#       data:
#         classes: [public]
#       sources:
#         - id: gpt4o
#           sector: cloud_api
#           provider: openai
#           model: gpt-4o-2024-08-06  # LP301: no fallback
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: shop-assistant
#         owner: shop-team@example.com
#         customer_facing: true
#       data:
#         classes: [public]
#       sources:
#         - id: gpt4o
#           sector: cloud_api
#           provider: openai
#           model: gpt-4o-2024-08-06
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
#       routing:
#         strategy: fallback
#         routes:
#           - {name: all, to: gpt4o}
#         fallbacks:
#           - {from: gpt4o, to: [local-qwen]}
package llm_policy.rules.lp301

import data.llm_policy.lib

findings contains f if {
	some [i, src] in data.llm_policy.lib.sources
	src.sector == "cloud_api"
	not _has_independent_fallback(src)
	f := {
		"id": "LP301",
		"severity": _severity,
		"msg": _msg(src),
		"path": _path(i, src),
		"source_id": src.id,
	}
}

_has_independent_fallback(src) if src.id in _with_independent_fallback

# The ids of the sources that fall back to an independent source, computed once for all sources.
_with_independent_fallback contains from if {
	some [_, _, from, to] in data.llm_policy.lib.fallback_edges
	lib.independent(lib.source_by_id(from), lib.source_by_id(to))
}

_severity := "error" if {
	data.llm_policy.lib.customer_facing == true
} else := "warning"

# Point at the source's fallback chain when it has one, else at the source.
_path(i, src) := ["routing", "fallbacks", k, "to"] if {
	k := min({n | some n, fb in data.llm_policy.lib.fallbacks; fb.from == src.id})
} else := ["sources", i]

_targets(src) := {to | some [_, _, from, to] in data.llm_policy.lib.fallback_edges; from == src.id}

_msg(src) := sprintf("Cloud API source %q falls back only to %s, none of which is another provider or sector, so an outage or a change of terms at %s still stops the project. Add a fallback to another provider or to a self-hosted or private model.", [
	src.id, concat(", ", sort(_targets(src))), object.get(src, "provider", "(none)"),
]) if {
	count(_targets(src)) > 0
} else := sprintf("Cloud API source %q has no fallback, so an outage or a change of terms at %s stops the project. Add a routing.fallbacks entry from %q to a source of another provider or a self-hosted or private model.", [
	src.id, object.get(src, "provider", "(none)"), src.id,
])
