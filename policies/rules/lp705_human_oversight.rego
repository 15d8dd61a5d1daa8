# METADATA
# title: Decisions with legal or similar effect without assigned human oversight
# description: |
#   A project whose models take or prepare decisions with legal or similarly significant effect on
#   people (the purpose `automated_adverse_decisions`, or an Annex III area such as credit scoring or
#   employment) needs a human who can review and override them: GDPR Art. 22(3) gives data subjects
#   the right to human intervention, and the EU AI Act requires human oversight of high-risk systems
#   (Art. 14), assigned by the deployer to named people (Art. 26(2)). A high-risk AI system needs it
#   too. The manifest names the people in `project.human_oversight`.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP705.md
#     description: Rule documentation
# custom:
#   id: LP705
#   severity: error
#   frameworks: {gdpr: ["Art. 22"], eu-ai-act: ["Art. 14", "Art. 26"]}
#   remediation: |
#     Assign people with the competence and authority to review and override the decisions and
#     name them (a team mailbox or a person) in `project.human_oversight`.
#   tags: [eu-ai-act, gdpr]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: loan-decisions
#         owner: ml-team@example.com
#         jurisdictions: [NO]
#         purposes: [automated_adverse_decisions]  # LP705: nobody oversees the decisions
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
#         name: loan-decisions
#         owner: ml-team@example.com
#         jurisdictions: [NO]
#         purposes: [automated_adverse_decisions]
#         human_oversight: credit-review@example.com
#       data:
#         classes: [public]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
package llm_policy.rules.lp705

import data.llm_policy.lib

findings contains f if {
	lib.rule_enabled("LP705")
	some reason in _reasons
	not is_string(object.get(lib.project, "human_oversight", null))
	f := {
		"id": "LP705",
		"severity": "error",
		"msg": sprintf("The project %s, but names nobody in project.human_oversight. Assign people who can review and override the decisions (GDPR Art. 22(3), EU AI Act Art. 14 and 26(2)).", [reason]),
		"path": ["project", "human_oversight"],
	}
}

# The first reason that applies (one finding per project).
_reasons := {r |
	r := _reason
}

_reason := sprintf("declares the purpose %s", [p]) if {
	some p in object.get(lib.project, "purposes", [])
	p in data.llm_policy.ai_act.legal_effect_purposes
} else := sprintf("decides about people in Annex III area %s", [lib.project.ai_act.annex_iii_area]) if {
	lib.project.ai_act.annex_iii_area in data.llm_policy.ai_act.legal_effect_areas
} else := "is a high-risk AI system" if {
	lib.project.ai_act.risk == "high"
}
