# METADATA
# title: Modified general-purpose model without the provider's Art. 53 documentation
# description: |
#   Fine-tuning or otherwise substantially modifying a general-purpose AI model makes the project
#   the provider of the modified model for that modification (EU AI Act Art. 3(63), recital 109,
#   the Commission's GPAI guidelines): it keeps technical documentation, informs downstream
#   providers and publishes a summary of the training content (Art. 53). A project that declares
#   `modifies_gpai: true` cites that documentation in `gpai_documentation` and declares
#   `role: provider`.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP706.md
#     description: Rule documentation
# custom:
#   id: LP706
#   severity: error
#   frameworks: {eu-ai-act: ["Art. 53"]}
#   remediation: |
#     Declare `role: provider`, prepare the Art. 53 documentation for the modification and cite it in
#     `project.ai_act.gpai_documentation`.
#   tags: [eu-ai-act]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: tuned-assistant
#         owner: ml-team@example.com
#         jurisdictions: [DE]
#         ai_act: {role: deployer, risk: minimal, modifies_gpai: true}  # LP706: a provider, without documentation
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
#         name: tuned-assistant
#         owner: ml-team@example.com
#         jurisdictions: [DE]
#         ai_act: {role: provider, risk: minimal, modifies_gpai: true, gpai_documentation: DOC-GPAI-7}
#       data:
#         classes: [public]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
package llm_policy.rules.lp706

import data.llm_policy.lib

findings contains f if {
	lib.rule_enabled("LP706")
	lib.project.ai_act.modifies_gpai == true
	lib.project.ai_act.role != "provider"
	f := {
		"id": "LP706",
		"severity": "error",
		"msg": "project.ai_act.modifies_gpai is true: modifying a general-purpose AI model makes the project its provider (EU AI Act Art. 53). Set role: provider.",
		"path": ["project", "ai_act", "role"],
	}
}

findings contains f if {
	lib.rule_enabled("LP706")
	lib.project.ai_act.modifies_gpai == true
	not is_string(object.get(lib.project.ai_act, "gpai_documentation", null))
	f := {
		"id": "LP706",
		"severity": "error",
		"msg": "project.ai_act.modifies_gpai is true, but no gpai_documentation is cited: the provider of a modified general-purpose AI model keeps technical documentation and publishes a training-content summary (EU AI Act Art. 53).",
		"path": ["project", "ai_act", "gpai_documentation"],
	}
}
