# METADATA
# title: Fallback target may not receive the data it would get
# description: |
#   During an outage a fallback target receives all the traffic of the source it backs up,
#   including its data classes. If the target may not receive one of them (a cloud API without a
#   valid DPA for personal data, a cloud API for state secrets, a region outside Russia for
#   personal data under 152-FZ), the project breaks the rules exactly when nobody is watching: in
#   an incident. Chains are followed: when A fails over to B and B to C, A's data can reach C (and
#   so can the data escalated to B); cycles end. The class rules are LP101's; residency mirrors
#   LP401 (personal data of a project under 152-FZ leaving Russia: an error) and LP402 (personal
#   data of a project under GDPR leaving the EU/EEA: a warning, a note with a declared
#   `dpa.transfer_mechanism`). Classes the target already receives on its own are left to LP101,
#   LP401 and LP402.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP302.md
#     description: Rule documentation
# custom:
#   id: LP302
#   severity: error
#   remediation: |
#     Fall back to a source that may receive every data class of the source it backs up (for
#     example a self-hosted model), give the target what it lacks (a valid DPA with training
#     opt-out, zero retention, on-prem hosting, an RU or EU region), or split the traffic so that
#     the sensitive classes go to a separate source with a compliant fallback.
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

# [from, target, class, path]: a class the target receives only when it stands in for `from`
# (directly or further down a chain).
_handover contains [from, target, c, path] if {
	some [c, from, target, "failover", path] in data.llm_policy.lib.handovers
}

# The target's sector, hosting or contract does not allow the class.
findings contains f if {
	some [from, target, c, path] in _handover
	denials := lib.class_denials(target, lib.received_as(target, c))
	count(denials) > 0
	f := {
		"id": "LP302",
		"severity": "error",
		"msg": sprintf("When %q fails, its fallback %q would receive %s data%s, which it may not: %s. Fix: %s, or fall back to a source that may receive %s data.", [
			from.id, target.id, c, lib.handover_origin(c, from), lib.denial_whys(denials), lib.denial_fixes(denials), c,
		]),
		"path": path,
		"source_id": target.id,
	}
}

# Personal data of a project under 152-FZ would leave Russia (mirrors LP401).
findings contains f if {
	some [from, target, c, path] in _handover
	lib.is_personal_class(lib.received_as(target, c))
	region := lib.ru_breach(target)
	f := object.union(
		{
			"id": "LP302",
			"severity": lib.cap_severity("error", region.verification),
			"msg": sprintf("When %q fails, its fallback %q would process %s data%s in %s, outside Russia, which 152-FZ localisation forbids for this project. Fall back to a source in region RU.%s", [
				from.id, target.id, c, lib.handover_origin(c, from), region.region, lib.unverified_note(region.verification),
			]),
			"path": path,
			"source_id": target.id,
		},
		lib.region_evidence(region),
	)
}

# Personal data of a project under GDPR would leave the EU/EEA (mirrors LP402).
findings contains f if {
	some [from, target, c, path] in _handover
	lib.is_personal_class(lib.received_as(target, c))
	region := lib.eea_breach(target)
	f := object.union(
		{
			"id": "LP302",
			"severity": _eea_severity(target),
			"msg": sprintf("When %q fails, its fallback %q would process %s data%s in %s, outside the EU/EEA, while the project's jurisdictions include the EU/EEA. %s%s", [
				from.id, target.id, c, lib.handover_origin(c, from), region.region, _eea_advice(target), lib.unverified_note(region.verification),
			]),
			"path": path,
			"source_id": target.id,
		},
		lib.region_evidence(region),
	)
}

_eea_severity(target) := "info" if {
	lib.transfer_mechanism(target)
} else := "warning"

_eea_advice(target) := sprintf("The transfer relies on the declared mechanism (%s); keep it current.", [lib.transfer_mechanism(target)]) if {
	lib.transfer_mechanism(target)
} else := "Fall back to a source in the EU/EEA, or document the transfer mechanism (e.g. EU SCCs) in the fallback's dpa.transfer_mechanism."
