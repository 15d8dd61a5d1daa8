# METADATA
# title: Data class not allowed for the source's sector
# description: |
#   Each data class may only reach sources whose sector and hosting can protect it. Confidential,
#   financial, payment and personal data may go to a multi-tenant cloud API only under a valid data
#   processing agreement with a contractual training opt-out (GDPR Art. 28(3); PCI DSS v4.0
#   Req. 12.8.2 for payment data); special-category data additionally needs zero data retention
#   (GDPR Art. 9). State secrets may only be processed on isolated, on-premises systems, never by
#   a cloud API. The allowed sectors, hosting and requirements per class come from the
#   class_rules table; residency of personal data is checked separately by LP401 and LP402.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP101.md
#     description: Rule documentation
# custom:
#   id: LP101
#   severity: error
#   remediation: |
#     Send the class only to sources allowed to receive it: restrict the source's `data_classes`,
#     route the class to a self-hosted or private source, or, for a cloud_api source, declare a
#     `dpa` that is in force with `training_opt_out: true` (and `zero_retention: true` for
#     special_category). State secrets need an open_source or private source with `hosting: on_prem`.
#   tags: [data-protection, gdpr, 152-fz, pci-dss]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: archive-search
#         owner: security-office@example.com
#       data:
#         classes: [state_secret]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: own_cloud  # LP101: state secrets need on_prem hosting
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: archive-search
#         owner: security-office@example.com
#       data:
#         classes: [state_secret]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
package llm_policy.rules.lp101

import data.llm_policy.lib

findings contains f if {
	some [i, src] in data.llm_policy.lib.sources
	some c in lib.source_classes(src)
	denials := lib.class_denials(src, c)
	count(denials) > 0
	f := {
		"id": "LP101",
		"severity": "error",
		"msg": sprintf("Source %q may not receive %s data: %s. Fix: %s, or stop sending %s data to it.", [
			src.id, c, lib.denial_whys(denials), lib.denial_fixes(denials), c,
		]),
		"path": lib.class_path(i, src, c),
		"source_id": src.id,
	}
}
