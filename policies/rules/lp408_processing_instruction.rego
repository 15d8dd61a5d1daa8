# METADATA
# title: Personal data processed by a third party without a 152-FZ processing instruction
# description: |
#   Under 152-FZ Art. 6(3) an operator may entrust the processing of personal data to another
#   person only under its instruction ("поручение оператора"), whose required content the law sets
#   (the list of data, the actions, the purposes, confidentiality, the security duties of Art. 19,
#   evidence on request, notice of incidents). In a project whose jurisdictions include RU, a
#   source that a third party runs (a cloud API, a model on a provider's platform, a vendor's
#   private deployment that the vendor operates) and that receives personal data declares
#   `processing_instruction` with its reference, the date it was given and the clauses it
#   contains. A missing instruction, or one dated after the evaluation date, is an error; a missing
#   clause is judged against `policies/data/ru_sector.json`, whose clause list is not yet confirmed
#   from the official text, so it is a warning that says so.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP408.md
#     description: Rule documentation
# custom:
#   id: LP408
#   severity: error
#   frameworks: {ru-152fz: ["Art. 6(3)"]}
#   remediation: |
#     Give the provider a processing instruction (usually a clause or an annex of the contract) with
#     the required content, and declare it under the source as `processing_instruction`
#     (`reference`, `signed`, `content`).
#   tags: [ru-152fz]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: bank-assistant
#         owner: ml-team@example.com
#         jurisdictions: [RU]
#         ru_152fz: {rkn_notification: "RKN-2024-0117"}
#       data:
#         classes: [personal]
#       sources:
#         - id: yandexgpt  # LP408: no processing_instruction
#           sector: cloud_api
#           provider: yandex
#           model: yandexgpt-lite
#           region: RU
#           dpa: {reference: "YC-2025-118", signed: 2025-02-01, training_opt_out: true}
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
#           region: RU
#       routing:
#         strategy: fallback
#         fallbacks:
#           - {from: yandexgpt, to: [local-qwen]}
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: bank-assistant
#         owner: ml-team@example.com
#         jurisdictions: [RU]
#         ru_152fz: {rkn_notification: "RKN-2024-0117"}
#       data:
#         classes: [personal]
#       sources:
#         - id: yandexgpt
#           sector: cloud_api
#           provider: yandex
#           model: yandexgpt-lite
#           region: RU
#           dpa: {reference: "YC-2025-118", signed: 2025-02-01, training_opt_out: true, retention_days: 30}
#           processing_instruction:
#             reference: "YC-2025-118, annex 3"
#             signed: 2025-02-01
#             content: [data_list, actions, purposes, confidentiality, security_measures, compliance_evidence, incident_notification]
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
#           region: RU
#       routing:
#         strategy: fallback
#         fallbacks:
#           - {from: yandexgpt, to: [local-qwen]}
package llm_policy.rules.lp408

import data.llm_policy.lib

_russian_project if {
	some code in data.llm_policy.lib.jurisdictions
	lib.in_ru(code)
}

# [i, source, its personal classes] for every source a third party runs that receives personal data.
_entrusted contains [i, src, concat(", ", sort(classes))] if {
	_russian_project
	some [i, src] in data.llm_policy.lib.sources
	_third_party(src)
	classes := {c | some c in lib.source_classes(src); lib.is_personal_class(c)}
	count(classes) > 0
}

# Run by someone other than the operator: on a provider's infrastructure, or a vendor's stack that
# is not declared as hosted by the project itself (fail closed: an undeclared hosting counts).
_third_party(src) if lib.provider_hosted(src)

_third_party(src) if {
	src.sector == "private"
	not _self_hosted(src)
}

_self_hosted(src) if src.hosting in data.llm_policy.tables.self_hosting

_has_instruction(src) if is_object(src.processing_instruction)

findings contains f if {
	lib.rule_enabled("LP408")
	some [i, src, classes] in _entrusted
	not _has_instruction(src)
	fact := data.llm_policy.ru_sector.processing_instruction
	f := object.union(
		{
			"id": "LP408",
			"severity": lib.cap_severity("error", fact.verification),
			"msg": sprintf("Source %q (provider %s) processes %s data of a project whose jurisdictions include RU on the operator's behalf, but declares no processing_instruction: %s allows that only under the operator's instruction with the required content. Give the provider an instruction and declare its reference, date and clauses under processing_instruction.%s", [
				src.id, object.get(src, "provider", "(none)"), classes, fact.law, lib.unverified_note(fact.verification),
			]),
			"path": ["sources", i, "processing_instruction"],
			"source_id": src.id,
		},
		lib.evidence(fact.verification, fact.source),
	)
}

findings contains f if {
	lib.rule_enabled("LP408")
	some [i, src, _classes] in _entrusted
	lib.iso_date(src.processing_instruction.signed) > data.llm_policy.lib.today
	f := {
		"id": "LP408",
		"severity": "error",
		"msg": sprintf("The processing instruction %s of source %q is dated %s, after the evaluation date %s: it was not given yet, so nothing entrusts the processing to the provider today. Correct processing_instruction.signed, or stop sending personal data to this source until it is given.", [
			object.get(src.processing_instruction, "reference", "(no reference)"), src.id, lib.iso_date(src.processing_instruction.signed), data.llm_policy.lib.today,
		]),
		"path": ["sources", i, "processing_instruction", "signed"],
		"source_id": src.id,
	}
}

findings contains f if {
	lib.rule_enabled("LP408")
	some [i, src, _classes] in _entrusted
	_has_instruction(src)
	fact := data.llm_policy.ru_sector.processing_instruction
	required := fact.required_content
	declared := {c | some c in object.get(src.processing_instruction, "content", [])}
	missing := [sprintf("%s (%s)", [k, text]) | some k, text in required.clauses; not k in declared]
	count(missing) > 0
	f := object.union(
		{
			"id": "LP408",
			"severity": lib.cap_severity("error", required.verification),
			"msg": sprintf("The processing instruction %s of source %q does not declare every clause %s requires; missing: %s. Add the clauses to the instruction and list them in processing_instruction.content.%s", [
				object.get(src.processing_instruction, "reference", "(no reference)"), src.id, fact.law, concat("; ", missing), lib.unverified_note(required.verification),
			]),
			"path": ["sources", i, "processing_instruction", "content"],
			"source_id": src.id,
		},
		lib.evidence(required.verification, required.source),
	)
}
