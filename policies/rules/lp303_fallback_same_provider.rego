# METADATA
# title: Fallback to the same provider, corporate group or account
# description: |
#   A fallback on the same provider (another model of the same API, or another region of it), on
#   another provider of the same corporate group (the catalog's `group`: gigachat and sbercloud are
#   both Sber, google-gemini and google-vertex both Google) or on the same `account` helps against
#   a single model's failure but not against the provider's outage, account suspension, terms
#   change, sanctions or loss of access, which is the risk a fallback exists for. What counts is who
#   runs the model, not the sector label: open weights on Bedrock fail with Bedrock. Provider names
#   are compared after resolving aliases (claude and anthropic are one provider).
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP303.md
#     description: Rule documentation
# custom:
#   id: LP303
#   severity: warning
#   remediation: |
#     Add, or put first, a fallback target run by another provider group on another account, or a
#     self-hosted model.
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
	reason := _shared(from, target)
	f := {
		"id": "LP303",
		"severity": "warning",
		"msg": sprintf("Source %q falls back to %q %s, which does not help when that fails or changes its terms. Fall back to another provider group or account, or to a self-hosted model.", [
			from.id, target.id, reason,
		]),
		"path": ["routing", "fallbacks", k, "to", m],
		"source_id": from.id,
	}
}

# What the two sources share, when a provider or an account runs both.
_shared(a, b) := sprintf("on the same account (%s)", [trim_space(b.account)]) if {
	lib.same_account(a, b)
} else := sprintf("on the same provider (%s)", [lib.provider_identity(b)]) if {
	_provider_run(a, b)
	lib.provider_identity(a) == lib.provider_identity(b)
} else := sprintf("in the same corporate group (%s)", [lib.group_of(b)]) if {
	_provider_run(a, b)
}

# Both depend on one provider group (neither runs on the project's own infrastructure).
_provider_run(a, b) if {
	g := lib.group_of(a)
	g != "self"
	g == lib.group_of(b)
}
