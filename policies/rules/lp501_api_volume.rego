# METADATA
# title: Cloud API at a volume where self-hosting is likely cheaper
# description: |
#   Cloud APIs are priced per token, so their cost grows linearly with traffic, while a
#   self-hosted open model costs roughly the same whether it serves a hundred or many thousand
#   requests an hour. From about a thousand requests per hour (requests_per_hour_threshold in the
#   tables), a self-hosted or private deployment of a comparable open model is usually cheaper and
#   also removes the provider dependency. This is an economic hint, not a compliance failure.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP501.md
#     description: Rule documentation
# custom:
#   id: LP501
#   severity: warning
#   remediation: |
#     Compare the API bill at `project.requests_per_hour` with the cost of serving an open model
#     yourself; route the bulk of the traffic (for example simple requests in a layered routing) to
#     a self-hosted or private source and keep the API for what needs it.
#   tags: [cost]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: docs-search
#         owner: search-team@example.com
#         requests_per_hour: 5000  # LP501: at or above the 1,000 threshold
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
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: docs-search
#         owner: search-team@example.com
#         requests_per_hour: 300
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
package llm_policy.rules.lp501

findings contains f if {
	rph := data.llm_policy.lib.project.requests_per_hour
	is_number(rph)
	threshold := data.llm_policy.lib.tables.requests_per_hour_threshold
	rph >= threshold
	some [_, src] in data.llm_policy.lib.sources
	src.sector == "cloud_api"
	f := {
		"id": "LP501",
		"severity": "warning",
		"msg": sprintf("Cloud API source %q serves a project with %d requests per hour, at or above %d, where a self-hosted or private deployment of an open model is usually cheaper. Compare the costs and route the bulk of the traffic to a self-hosted source.", [
			src.id, rph, threshold,
		]),
		"path": ["project", "requests_per_hour"],
		"source_id": src.id,
	}
}
