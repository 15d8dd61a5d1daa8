# METADATA
# title: Personal data under GDPR processed outside the EU/EEA
# description: |
#   GDPR Art. 44-49 allow transfers of personal data out of the EU/EEA only under an adequacy
#   decision (Art. 45) or appropriate safeguards such as standard contractual clauses (Art. 46),
#   and supervisory authorities expect data residency where providers offer it (OpenAI EU
#   projects, Azure EU Data Zone, Vertex and Bedrock EU regions, Mistral). When the project's
#   jurisdictions include the EU or an EEA state, a source that receives personal data outside the
#   EU/EEA, or that does not say where it runs, gets a warning; a declared
#   `dpa.transfer_mechanism` turns it into an informational note.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP402.md
#     description: Rule documentation
# custom:
#   id: LP402
#   severity: warning
#   remediation: |
#     Use the provider's EU region (`region: EU` or a member state) for sources that receive
#     personal data, or document the transfer mechanism (for example EU SCCs) in
#     `dpa.transfer_mechanism`.
#   tags: [data-protection, residency, gdpr]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: hr-assistant
#         owner: hr-tech@example.com
#         jurisdictions: [EU]
#       data:
#         classes: [personal]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: own_cloud
#           region: US  # LP402: personal data of an EU project outside the EU/EEA
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: hr-assistant
#         owner: hr-tech@example.com
#         jurisdictions: [EU]
#       data:
#         classes: [personal]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: own_cloud
#           region: DE
package llm_policy.rules.lp402

import data.llm_policy.lib

# The first EU/EEA jurisdiction of the project, for the message.
_jurisdiction := min({code | some code in data.llm_policy.lib.jurisdictions; lib.in_eea(code)})

_personal contains [i, src, concat(", ", sort(classes))] if {
	some [i, src] in data.llm_policy.lib.sources
	classes := {c | some c in lib.source_classes(src); lib.is_personal_class(c)}
	count(classes) > 0
}

# Inference is known to run outside the EU/EEA.
findings contains f if {
	jurisdiction := _jurisdiction
	some [i, src, classes] in _personal
	region := lib.effective_region(src)
	not lib.in_eea(region.region)
	f := object.union(
		{
			"id": "LP402",
			"severity": _severity(src),
			"msg": sprintf("Source %q processes %s data in %s, outside the EU/EEA, while the project's jurisdictions include %s. %s%s", [
				src.id, classes, region.region, jurisdiction, _advice(src), lib.unverified_note(region.verification),
			]),
			"path": ["sources", i, "region"],
			"source_id": src.id,
		},
		lib.region_evidence(region),
	)
}

# Nothing shows where inference runs.
findings contains f if {
	jurisdiction := _jurisdiction
	some [i, src, classes] in _personal
	not lib.effective_region(src)
	f := {
		"id": "LP402",
		"severity": _severity(src),
		"msg": sprintf("Source %q declares no region%s, so nothing shows that its %s data stays in the EU/EEA while the project's jurisdictions include %s. Declare region: EU if it runs there; otherwise %s", [
			src.id, _provider_regions(src), classes, jurisdiction, _advice_lower(src),
		]),
		"path": ["sources", i, "region"],
		"source_id": src.id,
	}
}

_severity(src) := "info" if {
	_transfer_mechanism(src)
} else := "warning"

_transfer_mechanism(src) := src.dpa.transfer_mechanism if {
	is_string(src.dpa.transfer_mechanism)
	trim_space(src.dpa.transfer_mechanism) != ""
}

_advice(src) := sprintf("The transfer relies on the declared mechanism (%s); keep it current.", [_transfer_mechanism(src)]) if {
	_transfer_mechanism(src)
} else := "Use the provider's EU region, or document the transfer mechanism (e.g. EU SCCs) in dpa.transfer_mechanism."

_advice_lower(src) := sprintf("the transfer relies on the declared mechanism (%s).", [_transfer_mechanism(src)]) if {
	_transfer_mechanism(src)
} else := "use an EU region or document the transfer mechanism in dpa.transfer_mechanism."

_provider_regions(src) := sprintf(" (the catalog lists %s in %s)", [p.id, concat(", ", p.regions)]) if {
	p := lib.hosting_provider(src)
	is_array(p.regions)
} else := ""
