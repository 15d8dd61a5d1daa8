# METADATA
# title: DPA expired
# description: |
#   A data processing agreement that has expired no longer binds the provider, so every transfer
#   after its end date lacks the contract GDPR Art. 28(3) (and 152-FZ Art. 6(3)) requires. The
#   evaluation date is `--date` (data.llm_policy.context.today), else today. A DPA is in force on
#   its expiry date itself. It is a warning when the source receives only internal or public data.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP103.md
#     description: Rule documentation
# custom:
#   id: LP103
#   severity: error
#   frameworks: {gdpr: ["Art. 28(3)"], ru-152fz: ["Art. 6(3)"], pci-dss: ["Req. 12.8.2"]}
#   remediation: |
#     Renew the agreement with the provider and update `dpa.expires` (and `dpa.reference` if the
#     contract changed), or stop sending non-public data to the source until it is renewed.
#   tags: [data-protection, contracts]
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
#           dpa: {reference: DPA-2024-007, signed: 2024-07-01, expires: 2026-06-30, training_opt_out: true}  # LP103: expired before the evaluation date
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
#           dpa: {reference: DPA-2026-031, signed: 2026-06-15, expires: 2028-06-30, training_opt_out: true}
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
package llm_policy.rules.lp103

import data.llm_policy.lib

findings contains f if {
	lib.rule_enabled("LP103")
	some [i, src] in data.llm_policy.lib.sources
	lib.dpa_expired(src)
	f := {
		"id": "LP103",
		"severity": lib.exposure_severity(lib.non_public_classes(src)),
		"msg": sprintf("The DPA %s of source %q expired on %s (evaluated on %s). Renew it and update dpa.expires, or stop sending non-public data to this source.", [
			object.get(src.dpa, "reference", "(no reference)"), src.id, lib.iso_date(src.dpa.expires), data.llm_policy.lib.today,
		]),
		"path": ["sources", i, "dpa", "expires"],
		"source_id": src.id,
	}
}
