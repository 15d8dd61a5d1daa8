# METADATA
# title: Personal data of a Russian project without a Roskomnadzor notification
# description: |
#   An operator notifies Roskomnadzor of its intention to process personal data before it starts
#   (152-FZ Art. 22(1)); Roskomnadzor enters it in the register of operators. A project whose
#   jurisdictions include RU and whose data includes personal data declares the registry number or
#   the notification's reference in `project.ru_152fz.rkn_notification`; without it this is an
#   error. The fact and its source are in `policies/data/ru_sector.json` (`rkn_notification`). The
#   exemptions of Art. 22(2) are not guessed: record one as a waiver of LP407 that names its clause.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP407.md
#     description: Rule documentation
# custom:
#   id: LP407
#   severity: error
#   frameworks: {ru-152fz: ["Art. 22"]}
#   remediation: |
#     Notify Roskomnadzor (or find the operator's entry in its register) and declare
#     `project.ru_152fz.rkn_notification` with the registry number or the notification's reference.
#   tags: [ru-152fz]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:  # LP407: no project.ru_152fz.rkn_notification
#         name: bank-assistant
#         owner: ml-team@example.com
#         jurisdictions: [RU]
#       data:
#         classes: [personal]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
#           region: RU
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
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
#           region: RU
package llm_policy.rules.lp407

import data.llm_policy.lib

findings contains f if {
	lib.rule_enabled("LP407")
	_russian_project
	classes := {c | some c in lib.manifest_classes; lib.is_personal_class(c)}
	count(classes) > 0
	not _notified
	fact := data.llm_policy.ru_sector.rkn_notification
	f := object.union(
		{
			"id": "LP407",
			"severity": lib.cap_severity("error", fact.verification),
			"msg": sprintf("The project processes %s data and its jurisdictions include RU, but declares no Roskomnadzor notification: an operator notifies Roskomnadzor of its intention to process personal data before it starts (%s). Declare project.ru_152fz.rkn_notification with the registry number or the notification's reference.%s", [
				concat(", ", sort(classes)), fact.law, lib.unverified_note(fact.verification),
			]),
			"path": ["project", "ru_152fz", "rkn_notification"],
		},
		lib.evidence(fact.verification, fact.source),
	)
}

_russian_project if {
	some code in data.llm_policy.lib.jurisdictions
	lib.in_ru(code)
}

_notified if is_string(lib.project.ru_152fz.rkn_notification)
