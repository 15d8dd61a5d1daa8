# METADATA
# title: Fallback to the same provider
# description: |
#   A fallback on the same provider (another model of the same API, or another region of it)
#   helps against a single model's failure but not against the provider's outage, account
#   suspension, terms change or loss of access, which is the risk a fallback exists for. Provider
#   names are compared after resolving aliases (claude and anthropic are one provider).
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP303.md
#     description: Rule documentation
# custom:
#   id: LP303
#   severity: warning
#   remediation: |
#     Add, or put first, a fallback target of another provider or a self-hosted or private model.
#   tags: [availability, vendor-risk]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: shop-assistant
#         owner: shop-team@example.com
#       data:
#         classes: [public]
#       sources:
#         - id: gpt4o
#           sector: cloud_api
#           provider: openai
#           model: gpt-4o-2024-08-06
#         - id: gpt4o-mini
#           sector: cloud_api
#           provider: openai
#           model: gpt-4o-mini-2024-07-18
#         - id: claude
#           sector: cloud_api
#           provider: anthropic
#           model: claude-sonnet-4
#       routing:
#         strategy: fallback
#         routes:
#           - {name: all, to: gpt4o}
#         fallbacks:
#           - {from: gpt4o, to: [gpt4o-mini, claude]}  # LP303: gpt4o-mini is on the same provider
#           - {from: gpt4o-mini, to: [claude]}
#           - {from: claude, to: [gpt4o]}
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: shop-assistant
#         owner: shop-team@example.com
#       data:
#         classes: [public]
#       sources:
#         - id: gpt4o
#           sector: cloud_api
#           provider: openai
#           model: gpt-4o-2024-08-06
#         - id: claude
#           sector: cloud_api
#           provider: anthropic
#           model: claude-sonnet-4
#       routing:
#         strategy: fallback
#         routes:
#           - {name: all, to: gpt4o}
#         fallbacks:
#           - {from: gpt4o, to: [claude]}
#           - {from: claude, to: [gpt4o]}
package llm_policy.rules.lp303

import data.llm_policy.lib

findings contains f if {
	some [k, m, from_id, to_id] in data.llm_policy.lib.fallback_edges
	from := lib.source_by_id(from_id)
	target := lib.source_by_id(to_id)
	is_string(from.provider)
	is_string(target.provider)
	lib.provider_identity(from) == lib.provider_identity(target)
	f := {
		"id": "LP303",
		"severity": "warning",
		"msg": sprintf("Source %q falls back to %q on the same provider (%s), which does not help when that provider fails or changes its terms. Fall back to another provider or to a self-hosted or private model.", [
			from.id, target.id, lib.provider_identity(target),
		]),
		"path": ["routing", "fallbacks", k, "to", m],
		"source_id": from.id,
	}
}
