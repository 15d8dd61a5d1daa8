# METADATA
# title: Credit scoring or insurance pricing without a fundamental rights impact assessment
# description: |
#   A deployer that uses a high-risk AI system to evaluate creditworthiness or establish a credit
#   score (Annex III point 5(b)), or for risk assessment and pricing of life and health insurance
#   (point 5(c)), performs a fundamental rights impact assessment before first use (EU AI Act Art.
#   27). The manifest cites it in `project.ai_act.fria`. The areas are data
#   (`data.llm_policy.ai_act.fria_areas`). Public bodies and private entities providing public
#   services, which Art. 27 also binds, are not modelled: they declare `fria` themselves.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP704.md
#     description: Rule documentation
# custom:
#   id: LP704
#   severity: error
#   frameworks: {eu-ai-act: ["Art. 27"]}
#   remediation: |
#     Perform the fundamental rights impact assessment, notify the market surveillance authority of
#     its results, and cite it in `project.ai_act.fria`.
#   tags: [eu-ai-act]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: credit-scoring
#         owner: ml-team@example.com
#         jurisdictions: [DE]
#         ai_act: {role: deployer, risk: high, annex_iii_area: credit_scoring, log_retention_days: 365}  # LP704: no fria
#         human_oversight: credit-risk@example.com
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
#         name: credit-scoring
#         owner: ml-team@example.com
#         jurisdictions: [DE]
#         ai_act: {role: deployer, risk: high, annex_iii_area: credit_scoring, log_retention_days: 365, fria: FRIA-2026-003}
#         human_oversight: credit-risk@example.com
#       data:
#         classes: [public]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
package llm_policy.rules.lp704

import data.llm_policy.lib

findings contains f if {
	lib.rule_enabled("LP704")
	lib.project.ai_act.role == "deployer"
	area := lib.project.ai_act.annex_iii_area
	area in data.llm_policy.ai_act.fria_areas
	not is_string(object.get(lib.project.ai_act, "fria", null))
	f := {
		"id": "LP704",
		"severity": "error",
		"msg": sprintf("A deployer of a high-risk AI system for %s performs a fundamental rights impact assessment before first use (EU AI Act Art. 27), but project.ai_act declares no fria.", [area]),
		"path": ["project", "ai_act", "fria"],
	}
}
