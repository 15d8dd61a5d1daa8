# METADATA
# title: DPA expires soon
# description: |
#   A data processing agreement that ends within the warning period (dpa_expiry_warning_days in
#   the tables, 30 days by default) needs renewing now: once it lapses, LP103 fails the build and
#   transfers to the provider lose their contractual basis (GDPR Art. 28(3)).
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP104.md
#     description: Rule documentation
# custom:
#   id: LP104
#   severity: warning
#   frameworks: {gdpr: ["Art. 28(3)"], ru-152fz: ["Art. 6(3)"], pci-dss: ["Req. 12.8.2"]}
#   remediation: |
#     Start the renewal with the provider and update `dpa.expires` once the new term is signed.
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
#           dpa: {reference: DPA-2024-007, signed: 2024-12-15, expires: 2026-12-15, training_opt_out: true}  # LP104: within 30 days of the evaluation date
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
#           dpa: {reference: DPA-2026-031, signed: 2026-11-20, expires: 2028-12-15, training_opt_out: true}
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
package llm_policy.rules.lp104

import data.llm_policy.lib

findings contains f if {
	lib.rule_enabled("LP104")
	some [i, src] in data.llm_policy.lib.sources
	expires := lib.iso_date(src.dpa.expires)
	days := data.llm_policy.lib.tables.dpa_expiry_warning_days
	expires >= data.llm_policy.lib.today
	expires <= lib.add_days(data.llm_policy.lib.today, days)
	f := {
		"id": "LP104",
		"severity": "warning",
		"msg": sprintf("The DPA %s of source %q expires on %s, within %d days of %s. Renew it now and update dpa.expires.", [
			object.get(src.dpa, "reference", "(no reference)"), src.id, expires, days, data.llm_policy.lib.today,
		]),
		"path": ["sources", i, "dpa", "expires"],
		"source_id": src.id,
	}
}
