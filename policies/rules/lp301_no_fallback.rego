# METADATA
# title: Provider-hosted model without an independent fallback
# description: |
#   A project that depends on a single provider stops when that provider has an outage, rate
#   limits it, changes its terms or withdraws the model, or when sanctions or export rules cut
#   access. Every source the provider runs (a cloud API, or open weights or a "private" model with
#   `hosting: provider`) that receives primary traffic (a route, an escalation, or no role as a
#   mere backup) needs a fallback that keeps working when that provider fails. Independence is
#   judged by who runs the model, never by the sector label: a backup of the same provider, of
#   the same corporate group (the catalog's `group`: gigachat and sbercloud are both Sber) or on the
#   same `account` does not count; for a project under 152-FZ or GDPR, neither does a backup that
#   would take the source's personal data out of the jurisdiction. Chains are followed: a backup's
#   own fallback counts. A source reached only as another source's fallback needs none of its own,
#   so a self-hosted primary with a cloud API as its backup passes. It is an error for
#   customer-facing projects and a warning otherwise.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP301.md
#     description: Rule documentation
# custom:
#   id: LP301
#   severity: error
#   remediation: |
#     Add a `routing.fallbacks` entry from the source to one run by another provider group on
#     another account, or to a self-hosted model (for example
#     `fallbacks: [{from: gpt4o, to: [local-llama]}]`), in a region the project's residency allows;
#     or serve the primary traffic yourself and keep the cloud API only as the fallback.
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
	lib.provider_hosted(src)
	not lib.fallback_only(src)
	not _has_independent_fallback(src)
	f := {
		"id": "LP301",
		"severity": _severity,
		"msg": _msg(src),
		"path": _path(i, src),
		"source_id": src.id,
	}
}

# Some source that the source's failover chain reaches keeps working when its provider fails and
# may lawfully take its data.
_has_independent_fallback(src) if {
	some id in lib.failover_reach(src.id)
	target := lib.source_by_id(id)
	lib.independent(src, target)
	not lib.residency_blocks(src, target)
}

_severity := "error" if {
	data.llm_policy.lib.customer_facing == true
} else := "warning"

# Point at the source's fallback chain when it has one, else at the source.
_path(i, src) := ["routing", "fallbacks", k, "to"] if {
	k := min({n | some n, fb in data.llm_policy.lib.fallbacks; fb.from == src.id})
} else := ["sources", i]

_reasons(src) := {lib.dependence(src, lib.source_by_id(id)) | some id in lib.failover_reach(src.id)}

_msg(src) := sprintf("Source %q, run by %s, falls back only to sources that fail with it or may not take its data (%s), so an outage or a change of terms there still stops the project. Add a fallback run by another provider group on another account, or a self-hosted model.", [
	src.id, _operator(src), concat("; ", sort(_reasons(src))),
]) if {
	count(_reasons(src)) > 0
} else := sprintf("Source %q, run by %s, has no fallback, so an outage or a change of terms there stops the project. Add a routing.fallbacks entry from %q to a source run by another provider group, or a self-hosted model.", [
	src.id, _operator(src), src.id,
])

_operator(src) := lib.provider_identity(src) if {
	is_string(src.provider)
} else := "an undeclared provider"
