# METADATA
# title: Escalation target may not receive the data it would get
# description: |
#   An escalation (`routing.escalations`) sends the hard requests of one source to a stronger one:
#   the layered pattern's small self-hosted model passing what it cannot answer to a large cloud
#   model. Unlike a failover it happens every day, not in an outage, and it carries the data of
#   the escalated requests: by default every class that reaches the escalating source (its own,
#   and what it receives when it stands in for another source as a fallback), or only the
#   escalation's own `data_classes` when the project filters what it escalates. The target must
#   be allowed to receive each class: LP101's class rules, 152-FZ localisation (an error) and GDPR
#   residency (a warning, a note with a declared transfer mechanism). Escalated data that the
#   target then hands to its own fallback is LP302's. Classes the target already receives on its
#   own are left to LP101, LP401 and LP402.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP304.md
#     description: Rule documentation
# custom:
#   id: LP304
#   severity: error
#   remediation: |
#     Escalate only the classes the target may receive (`data_classes` on the escalation, with
#     personal data filtered out before escalating), escalate to a source that may receive them,
#     or give the target what it lacks (a valid DPA with training opt-out, an RU or EU region).
#   tags: [data-protection, 152-fz, gdpr]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: support-assistant
#         owner: ai-platform@example.com
#       data:
#         classes: [personal, public]
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
#         strategy: layered
#         routes:
#           - {name: all, to: local-qwen}
#         escalations:
#           - {from: local-qwen, to: gpt4o}  # LP304: escalated requests carry personal data, gpt4o has no DPA
#         fallbacks:
#           - {from: gpt4o, to: [local-qwen]}
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: support-assistant
#         owner: ai-platform@example.com
#       data:
#         classes: [personal, public]
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
#         strategy: layered
#         routes:
#           - {name: all, to: local-qwen}
#         escalations:
#           - {from: local-qwen, to: gpt4o, data_classes: [public]}
#         fallbacks:
#           - {from: gpt4o, to: [local-qwen]}
package llm_policy.rules.lp304

import data.llm_policy.lib

# [from, target, class, path]: a class that reaches the target only through an escalation.
_handover contains [from, target, c, path] if {
	some [c, from, target, "escalation", path] in data.llm_policy.lib.handovers
}

# The target's sector, hosting or contract does not allow the class.
findings contains f if {
	some [from, target, c, path] in _handover
	denials := lib.class_denials(target, lib.received_as(target, c))
	count(denials) > 0
	f := {
		"id": "LP304",
		"severity": "error",
		"msg": sprintf("%q escalates requests with %s data%s to %q, which may not receive it: %s. Fix: %s, or escalate only data_classes it may receive.", [
			from.id, c, lib.handover_origin(c, from), target.id, lib.denial_whys(denials), lib.denial_fixes(denials),
		]),
		"path": path,
		"source_id": target.id,
	}
}

# Personal data of a project under 152-FZ would leave Russia.
findings contains f if {
	some [from, target, c, path] in _handover
	lib.is_personal_class(lib.received_as(target, c))
	region := lib.ru_breach(target)
	f := object.union(
		{
			"id": "LP304",
			"severity": lib.cap_severity("error", region.verification),
			"msg": sprintf("%q escalates requests with %s data%s to %q, which processes them in %s, outside Russia, which 152-FZ localisation forbids for this project. Escalate to a source in region RU or without personal data.%s", [
				from.id, c, lib.handover_origin(c, from), target.id, region.region, lib.unverified_note(region.verification),
			]),
			"path": path,
			"source_id": target.id,
		},
		lib.region_evidence(region),
	)
}

# Personal data of a project under GDPR would leave the EU/EEA.
findings contains f if {
	some [from, target, c, path] in _handover
	lib.is_personal_class(lib.received_as(target, c))
	region := lib.eea_breach(target)
	f := object.union(
		{
			"id": "LP304",
			"severity": _eea_severity(target),
			"msg": sprintf("%q escalates requests with %s data%s to %q, which processes them in %s, outside the EU/EEA, while the project's jurisdictions include the EU/EEA. %s%s", [
				from.id, c, lib.handover_origin(c, from), target.id, region.region, _eea_advice(target), lib.unverified_note(region.verification),
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
} else := "Escalate to a source in the EU/EEA, or document the transfer mechanism (e.g. EU SCCs) in the target's dpa.transfer_mechanism."
