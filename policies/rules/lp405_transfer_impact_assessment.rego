# METADATA
# title: Transfer mechanism without a transfer impact assessment
# description: |
#   Standard contractual clauses and other Art. 46 GDPR safeguards do not stand alone: since
#   Schrems II (CJEU C-311/18) the exporter must assess, case by case, whether the destination's
#   law and practice let the importer keep them, and document that transfer impact assessment
#   (EDPB Recommendations 01/2020). When the project's jurisdictions include the EU or an EEA
#   state and a source sends personal data to a country without an adequacy decision on the
#   strength of a declared `dpa.transfer_mechanism`, the DPA should reference the assessment in
#   `dpa.transfer_impact_assessment`; without it, a warning. Countries with an adequacy decision
#   (and the US for a provider verified as certified under the Data Privacy Framework) need none.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP405.md
#     description: Rule documentation
# custom:
#   id: LP405
#   severity: warning
#   frameworks: {gdpr: ["Art. 46"]}
#   remediation: |
#     Carry out and document a transfer impact assessment for the transfer and reference it in the
#     source's `dpa.transfer_impact_assessment` (document id or link), or use the provider's EU
#     region.
#   tags: [data-protection, transfers, gdpr]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: hr-assistant
#         owner: hr-tech@example.com
#         jurisdictions: [EU]
#         ai_act: {role: deployer, risk: minimal}
#       data:
#         classes: [personal]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: own_cloud
#           region: IN
#           dpa:
#             reference: HOST-2025-3
#             signed: 2025-03-01
#             transfer_mechanism: EU SCCs (Module 3)  # LP405: no transfer impact assessment
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: hr-assistant
#         owner: hr-tech@example.com
#         jurisdictions: [EU]
#         ai_act: {role: deployer, risk: minimal}
#       data:
#         classes: [personal]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: own_cloud
#           region: IN
#           dpa:
#             reference: HOST-2025-3
#             signed: 2025-03-01
#             transfer_mechanism: EU SCCs (Module 3)
#             transfer_impact_assessment: TIA-2025-11
package llm_policy.rules.lp405

import data.llm_policy.lib

findings contains f if {
	lib.rule_enabled("LP405")
	lib.gdpr_applies(data.llm_policy.lib.jurisdictions)
	some [i, src] in data.llm_policy.lib.sources
	t := lib.gdpr_transfer(src)
	mechanism := lib.transfer_mechanism(src)
	not lib.transfer_impact_assessment(src)
	f := {
		"id": "LP405",
		"severity": "warning",
		"msg": sprintf("Source %q sends %s data to %s, which has no adequacy decision, on the strength of %s, but its dpa references no transfer impact assessment. Document the assessment and reference it in dpa.transfer_impact_assessment.", [
			src.id, concat(", ", t.classes), concat(", ", t.countries), mechanism,
		]),
		"path": ["sources", i, "dpa", "transfer_mechanism"],
		"source_id": src.id,
	}
}
