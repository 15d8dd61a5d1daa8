# METADATA
# title: Cloud API may train on non-public inputs
# description: |
#   Unless the contract excludes it, a provider may use prompts and completions to train its
#   models, where they can resurface for other customers. Sending confidential or personal data
#   without a contractual training opt-out breaks confidentiality and purpose limitation (GDPR
#   Art. 5(1)(b), Art. 28(3)(a)). Providers' defaults differ and change (free tiers such as the
#   unpaid Gemini API train on inputs), so the manifest must state the opt-out. Internal-only
#   data makes this a warning.
#   The same holds for open weights on a provider's platform and a vendor's model on the vendor's
#   cloud (`hosting: provider`): processor duties follow who runs the model, not the sector label.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP105.md
#     description: Rule documentation
# custom:
#   id: LP105
#   severity: error
#   frameworks: {gdpr: ["Art. 28(3)(a)"], ru-152fz: ["Art. 6(3)"]}
#   remediation: |
#     Obtain a contractual commitment that the provider does not train on your inputs and set
#     `dpa.training_opt_out: true`, or send the source only public data.
#   tags: [data-protection, gdpr, contracts]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: contract-review
#         owner: legal-tech@example.com
#       data:
#         classes: [confidential]
#       sources:
#         - id: gpt4o
#           sector: cloud_api
#           provider: openai
#           model: gpt-4o-2024-08-06
#           dpa: {reference: DPA-2025-014, signed: 2025-01-10, training_opt_out: false}  # LP105: the provider may train on the data
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
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: contract-review
#         owner: legal-tech@example.com
#       data:
#         classes: [confidential]
#       sources:
#         - id: gpt4o
#           sector: cloud_api
#           provider: openai
#           model: gpt-4o-2024-08-06
#           dpa: {reference: DPA-2025-014, signed: 2025-01-10, training_opt_out: true}
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
package llm_policy.rules.lp105

import data.llm_policy.lib

findings contains f if {
	lib.rule_enabled("LP105")
	some [i, src] in data.llm_policy.lib.sources
	lib.provider_hosted(src)
	not lib.training_opt_out(src)
	classes := lib.non_public_classes(src)
	count(classes) > 0
	f := {
		"id": "LP105",
		"severity": lib.exposure_severity(classes),
		"msg": sprintf("%s %q receives %s data without dpa.training_opt_out: true, so the provider may train on it. Obtain a contractual training opt-out and set dpa.training_opt_out: true, or send it only public data.", [
			lib.processor_label(src), src.id, concat(", ", sort(classes)),
		]),
		"path": ["sources", i, "dpa", "training_opt_out"],
		"source_id": src.id,
	}
}
