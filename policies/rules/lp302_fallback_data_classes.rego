# METADATA
# title: Fallback target may not receive the data it would get
# description: |
#   During an outage a fallback target receives all the traffic of the source it backs up,
#   including its data classes. If the target may not receive one of them (a cloud API without a
#   valid DPA for personal data, a cloud API for state secrets, a region outside Russia for
#   personal data under 152-FZ), the project breaks the rules exactly when nobody is watching: in
#   an incident. The class rules are the same as LP101's; classes the target already receives on
#   its own are left to LP101, LP401 and LP402.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP302.md
#     description: Rule documentation
# custom:
#   id: LP302
#   severity: error
#   remediation: |
#     Fall back to a source that may receive every data class of the source it backs up (for
#     example a self-hosted model), give the target what it lacks (a valid DPA with training
#     opt-out, zero retention, on-prem hosting, an RU region), or split the traffic so that the
#     sensitive classes go to a separate source with a compliant fallback.
#   tags: [availability, data-protection, 152-fz]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: hr-assistant
#         owner: hr-tech@example.com
#       data:
#         classes: [public, personal]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
#         - id: gpt4o
#           sector: cloud_api
#           provider: openai
#           model: gpt-4o-2024-08-06
#           data_classes: [public]
#       routing:
#         strategy: fallback
#         routes:
#           - {name: all, to: local-qwen}
#         fallbacks:
#           - {from: local-qwen, to: [gpt4o]}  # LP302: gpt4o would get personal data without a DPA
#           - {from: gpt4o, to: [local-qwen]}
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: hr-assistant
#         owner: hr-tech@example.com
#       data:
#         classes: [public, personal]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
#         - id: gpt4o
#           sector: cloud_api
#           provider: openai
#           model: gpt-4o-2024-08-06
#           data_classes: [public]
#           dpa: {reference: DPA-2025-014, signed: 2025-01-10, training_opt_out: true}
#       routing:
#         strategy: fallback
#         routes:
#           - {name: all, to: local-qwen}
#         fallbacks:
#           - {from: local-qwen, to: [gpt4o]}
#           - {from: gpt4o, to: [local-qwen]}
package llm_policy.rules.lp302

import data.llm_policy.lib

# [k, m, from, to, class]: a class the target only receives when it stands in for `from`.
_handover contains [k, m, from, target, c] if {
	some [k, m, from_id, to_id] in data.llm_policy.lib.fallback_edges
	from := lib.source_by_id(from_id)
	target := lib.source_by_id(to_id)
	some c in lib.source_classes(from)
	not c in lib.source_classes(target)
}

# The target's sector, hosting or contract does not allow the class.
findings contains f if {
	some [k, m, from, target, c] in _handover
	denials := lib.class_denials(target, c)
	count(denials) > 0
	f := {
		"id": "LP302",
		"severity": "error",
		"msg": sprintf("When %q fails, its fallback %q would receive %s data, which it may not: %s. Fix: %s, or fall back to a source that may receive %s data.", [
			from.id, target.id, c, lib.denial_whys(denials), lib.denial_fixes(denials), c,
		]),
		"path": ["routing", "fallbacks", k, "to", m],
		"source_id": target.id,
	}
}

# Personal data of a project under 152-FZ would leave Russia.
findings contains f if {
	some code in data.llm_policy.lib.jurisdictions
	lib.in_ru(code)
	some [k, m, from, target, c] in _handover
	lib.is_personal_class(c)
	region := lib.effective_region(target)
	not lib.in_ru(region.region)
	f := object.union(
		{
			"id": "LP302",
			"severity": lib.cap_severity("error", region.verification),
			"msg": sprintf("When %q fails, its fallback %q would process %s data in %s, outside Russia, which 152-FZ localisation forbids for this project. Fall back to a source in region RU.%s", [
				from.id, target.id, c, region.region, lib.unverified_note(region.verification),
			]),
			"path": ["routing", "fallbacks", k, "to", m],
			"source_id": target.id,
		},
		lib.region_evidence(region),
	)
}
