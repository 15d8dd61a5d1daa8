# METADATA
# title: High-risk AI system deployed without logs kept six months
# description: |
#   A deployer of a high-risk AI system keeps the logs the system generates for at least six
#   months (EU AI Act Art. 26(6)). The manifest declares the retention in
#   `project.ai_act.log_retention_days`; a missing or shorter value is an error. (Art. 26(2), human
#   oversight, is LP705.)
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP703.md
#     description: Rule documentation
# custom:
#   id: LP703
#   severity: error
#   frameworks: {eu-ai-act: ["Art. 26"]}
#   remediation: |
#     Keep the system's logs for at least 183 days and declare `project.ai_act.log_retention_days`.
#   tags: [eu-ai-act]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: hr-screening
#         owner: ml-team@example.com
#         jurisdictions: [DE]
#         ai_act: {role: deployer, risk: high, annex_iii_area: employment, log_retention_days: 30}  # LP703: under six months
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
#         name: hr-screening
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
package llm_policy.rules.lp703

import data.llm_policy.lib

findings contains f if {
	lib.rule_enabled("LP703")
	lib.project.ai_act.role == "deployer"
	lib.project.ai_act.risk == "high"
	not _kept_long_enough
	f := {
		"id": "LP703",
		"severity": "error",
		"msg": sprintf("A deployer of a high-risk AI system keeps its logs for at least %d days (EU AI Act Art. 26(6)); project.ai_act.log_retention_days is %v.", [data.llm_policy.ai_act.min_log_retention_days, object.get(lib.project.ai_act, "log_retention_days", "not declared")]),
		"path": ["project", "ai_act", "log_retention_days"],
	}
}

_kept_long_enough if lib.project.ai_act.log_retention_days >= data.llm_policy.ai_act.min_log_retention_days
