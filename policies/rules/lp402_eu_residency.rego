# METADATA
# title: Personal data under GDPR processed outside the EU/EEA
# description: |
#   GDPR Art. 44-49 allow transfers of personal data out of the EU/EEA only under an adequacy
#   decision (Art. 45) or appropriate safeguards such as standard contractual clauses (Art. 46),
#   and supervisory authorities expect data residency where providers offer it (OpenAI EU
#   projects, Azure EU Data Zone, Vertex and Bedrock EU regions, Mistral). When the project's
#   jurisdictions include the EU or an EEA state, a source that receives personal data in a
#   country without an adequacy decision (the `gdpr_adequacy` table: CH, GB, JP, KR, CA, IL, NZ,
#   UY, AR, ...; the US only for a provider the catalog verifies as certified under the EU-US
#   Data Privacy Framework), or that does not say where it runs, gets a warning; a declared
#   `dpa.transfer_mechanism` turns it into an informational note (LP405 asks for its transfer
#   impact assessment). Special-category data sent there without a transfer mechanism is an
#   error. A declared region the catalog contradicts (e.g. `region: EU` on a provider that
#   processes only in the US) does not count: the catalog's regions decide.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP402.md
#     description: Rule documentation
# custom:
#   id: LP402
#   severity: warning
#   frameworks: {gdpr: ["Art. 44"]}
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
#         ai_act: {role: deployer, risk: minimal}
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
#         ai_act: {role: deployer, risk: minimal}
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

_personal contains [i, src, concat(", ", sort(classes))] if {
	some [i, src] in data.llm_policy.lib.sources
	classes := {c | some c in lib.source_classes(src); lib.is_personal_class(c)}
	count(classes) > 0
}

# The first EU/EEA jurisdiction of the project, for the message.
_jurisdiction := min({code | some code in data.llm_policy.lib.jurisdictions; lib.in_eea(code)})

# Personal data is processed in a country without adequacy.
findings contains f if {
	lib.rule_enabled("LP402")
	jurisdiction := _jurisdiction
	some [i, src] in data.llm_policy.lib.sources
	t := lib.gdpr_transfer(src)
	dest := t.destination
	severity := _severity(src, t.classes)
	f := object.union(
		{
			"id": "LP402",
			"severity": lib.cap_severity(severity, _level(severity, dest)),
			"msg": sprintf("Source %q processes %s data in %s, outside the EU/EEA and without an adequacy decision, while the project's jurisdictions include %s.%s %s%s", [
				src.id, concat(", ", t.classes), concat(", ", t.countries), jurisdiction, _claim(src, dest), _advice(src), lib.unverified_note(_level(severity, dest)),
			]),
			"path": ["sources", i, "region"],
			"source_id": src.id,
		},
		_evidence(dest),
	)
}

# Nothing shows where inference runs.
findings contains f if {
	lib.rule_enabled("LP402")
	jurisdiction := _jurisdiction
	some [i, src, classes] in _personal
	not lib.transfer_destination(src)
	f := {
		"id": "LP402",
		"severity": _severity(src, classes),
		"msg": sprintf("Source %q declares no region%s, so nothing shows that its %s data stays in the EU/EEA while the project's jurisdictions include %s. Declare region: EU if it runs there; otherwise %s", [
			src.id, _provider_regions(src), classes, jurisdiction, _advice_lower(src),
		]),
		"path": ["sources", i, "region"],
		"source_id": src.id,
	}
}

_severity(src, _) := "info" if {
	lib.transfer_mechanism(src)
} else := "error" if {
	"special_category" in lib.source_classes(src)
} else := "warning"

# The verification that caps a finding: only an error resting on the catalog's regions is capped.
_level(_, dest) := dest.verification

_evidence(dest) := {} if {
	dest.basis == "declared"
} else := lib.evidence(dest.verification, dest.reference)

_claim(src, dest) := sprintf(" It declares region %s, but the catalog lists %s only in %s: the declared region contradicts the catalog.", [
	dest.claimed, src.provider, concat(", ", dest.regions),
]) if {
	is_string(dest.claimed)
} else := ""

_advice(src) := sprintf("The transfer relies on the declared mechanism (%s); keep it and its transfer impact assessment current.", [lib.transfer_mechanism(src)]) if {
	lib.transfer_mechanism(src)
} else := "Special-category data (GDPR Art. 9) may not go there without a transfer mechanism: use the provider's EU region or a country with an adequacy decision, or document the mechanism (e.g. EU SCCs) in dpa.transfer_mechanism." if {
	"special_category" in lib.source_classes(src)
} else := "Use the provider's EU region, or document the transfer mechanism (e.g. EU SCCs) in dpa.transfer_mechanism."

_advice_lower(src) := sprintf("the transfer relies on the declared mechanism (%s).", [lib.transfer_mechanism(src)]) if {
	lib.transfer_mechanism(src)
} else := "use an EU region or document the transfer mechanism in dpa.transfer_mechanism."

_provider_regions(src) := sprintf(" (the catalog lists %s in %s)", [p.id, concat(", ", p.regions)]) if {
	p := lib.hosting_provider(src)
	is_array(p.regions)
} else := ""
