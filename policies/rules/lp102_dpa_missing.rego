# METADATA
# title: Cloud API receives non-public data without a DPA
# description: |
#   A multi-tenant cloud API that receives anything but public data acts as a processor for the
#   project, which needs a binding contract with the mandatory terms (GDPR Art. 28(3); a
#   processing instruction under 152-FZ Art. 6(3); a written TPSP agreement under PCI DSS v4.0
#   Req. 12.8.2). Without a data processing agreement nothing limits what the provider does with
#   the data. Internal-only data makes this a warning: it is a policy choice, not a statute.
#   Processor duties follow who runs the model, not the sector label: open weights on a
#   provider's multi-tenant platform and a vendor's "private" model on the vendor's cloud
#   (`hosting: provider`) need the DPA exactly like a cloud API.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP102.md
#     description: Rule documentation
# custom:
#   id: LP102
#   severity: error
#   frameworks: {gdpr: ["Art. 28(3)"], ru-152fz: ["Art. 6(3)"], pci-dss: ["Req. 12.8.2"]}
#   remediation: |
#     Sign a data processing agreement with the provider and declare it under the source's `dpa`
#     (reference, signed, expires, training_opt_out, zero_retention), or stop sending non-public
#     data to the source (restrict its `data_classes` to public).
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
#           model: gpt-4o-2024-08-06  # LP102: confidential data, but no dpa
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
package llm_policy.rules.lp102

import data.llm_policy.lib

findings contains f if {
	lib.rule_enabled("LP102")
	some [i, src] in data.llm_policy.lib.sources
	lib.provider_hosted(src)
	not lib.has_dpa(src)
	classes := lib.non_public_classes(src)
	count(classes) > 0
	f := {
		"id": "LP102",
		"severity": lib.exposure_severity(classes),
		"msg": sprintf("%s %q (provider %s) receives %s data but declares no dpa. Sign a data processing agreement with the provider and declare it under dpa, or send it only public data.", [
			lib.processor_label(src), src.id, object.get(src, "provider", "(none)"), concat(", ", sort(classes)),
		]),
		"path": ["sources", i, "dpa"],
		"source_id": src.id,
	}
}
