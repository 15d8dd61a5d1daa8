# METADATA
# title: Chatbot or generated content without an AI Act transparency notice
# description: |
#   A customer-facing system that talks to people, or one whose purposes include customer support
#   or content generation, must tell people they are interacting with an AI system, and generated
#   content must be marked as such (EU AI Act Art. 50, in force from 2 August 2026). The project
#   cites where it does so in `project.ai_act.transparency_notice`.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP702.md
#     description: Rule documentation
# custom:
#   id: LP702
#   severity: error
#   frameworks: {eu-ai-act: ["Art. 50"]}
#   remediation: |
#     Tell users that they interact with an AI system (and mark generated content), and cite the
#     notice or its specification in `project.ai_act.transparency_notice`.
#   tags: [eu-ai-act]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: support-bot
#         owner: ml-team@example.com
#         jurisdictions: [DE]
#         customer_facing: true
#         ai_act: {role: deployer, risk: limited}  # LP702: no transparency_notice
#       data:
#         classes: [public]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: support-bot
#         owner: ml-team@example.com
#         jurisdictions: [DE]
#         customer_facing: true
#         ai_act: {role: deployer, risk: limited, transparency_notice: UX-SPEC-12 AI disclosure banner}
#       data:
#         classes: [public]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
package llm_policy.rules.lp702

import data.llm_policy.lib

findings contains f if {
	lib.rule_enabled("LP702")
	_interacts_or_generates
	not _has_notice
	f := {
		"id": "LP702",
		"severity": "error",
		"msg": sprintf("The project %s, but declares no project.ai_act.transparency_notice. Tell people they interact with an AI system and mark generated content (EU AI Act Art. 50), and cite the notice.", [_why]),
		"path": ["project", "ai_act", "transparency_notice"],
	}
}

_interacts_or_generates if lib.customer_facing == true

_interacts_or_generates if {
	some p in object.get(lib.project, "purposes", [])
	p in data.llm_policy.ai_act.transparency_purposes
}

_why := "is customer-facing" if {
	lib.customer_facing == true
} else := "generates content or talks to customers (its purposes)"

_has_notice if is_string(lib.project.ai_act.transparency_notice)
