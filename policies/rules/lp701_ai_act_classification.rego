# METADATA
# title: EU AI Act classification missing, inconsistent, or a prohibited practice
# description: |
#   When the EU AI Act is in scope (an EU member state among the jurisdictions, or
#   `eu-ai-act` selected), the project must declare its role (provider or deployer) and risk class
#   under `project.ai_act`: every other AI Act duty in the pack follows from them. A prohibited
#   practice (Art. 5) is an error. A use in an Annex III area is high-risk (Art. 6(2)); a declared
#   lower class with an Annex III area is an error (a project relying on the Art. 6(3) derogation
#   documents that assessment and waives the finding with its reference).
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP701.md
#     description: Rule documentation
# custom:
#   id: LP701
#   severity: error
#   frameworks: {eu-ai-act: ["Art. 5", "Art. 6"]}
#   remediation: |
#     Declare `project.ai_act: {role: provider|deployer, risk: prohibited|high|limited|minimal}`
#     (with `annex_iii_area` for a high-risk use); stop a prohibited practice; set `risk: high` for an
#     Annex III use.
#   tags: [eu-ai-act]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: support-bot
#         owner: ml-team@example.com
#         jurisdictions: [DE]
#         ai_act: {role: deployer, risk: minimal, annex_iii_area: employment}  # LP701: Annex III is high-risk
#         human_oversight: hr-ops@example.com
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
#         ai_act: {role: deployer, risk: high, annex_iii_area: employment, log_retention_days: 365}
#         human_oversight: hr-ops@example.com
#       data:
#         classes: [public]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
package llm_policy.rules.lp701

import data.llm_policy.lib

findings contains f if {
	lib.rule_enabled("LP701")
	not lib.project.ai_act
	f := {
		"id": "LP701",
		"severity": "error",
		"msg": "The EU AI Act applies to this project, but it declares no project.ai_act. Declare its role (provider or deployer) and risk class (prohibited, high, limited, minimal).",
		"path": ["project", "ai_act"],
	}
}

findings contains f if {
	lib.rule_enabled("LP701")
	lib.project.ai_act.risk == "prohibited"
	f := {
		"id": "LP701",
		"severity": "error",
		"msg": "project.ai_act.risk is prohibited: an AI practice prohibited by Art. 5 of the EU AI Act may not be placed on the market, put into service or used.",
		"path": ["project", "ai_act", "risk"],
	}
}

findings contains f if {
	lib.rule_enabled("LP701")
	area := lib.project.ai_act.annex_iii_area
	is_string(area)
	lib.project.ai_act.risk in {"limited", "minimal"}
	f := {
		"id": "LP701",
		"severity": "error",
		"msg": sprintf("project.ai_act declares Annex III area %s but risk %s: an Annex III use is high-risk (Art. 6(2)). Set risk: high, or waive this finding with the reference of a documented Art. 6(3) assessment.", [area, lib.project.ai_act.risk]),
		"path": ["project", "ai_act", "risk"],
	}
}
