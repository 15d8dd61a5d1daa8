# METADATA
# title: Prompt log, vector store or cache keeps personal data outside its jurisdiction
# description: |
#   Prompts, responses, embeddings and cached answers are copies of the data a model received,
#   kept after the call: a prompt log or a vector store of personal data is a database of personal
#   data with a residency of its own, whatever the region of the model. The top-level `stores`
#   declare them (kind, hosting, provider, region, retention, classes), and sources name the
#   stores that keep their traffic (`sources[].stores`). Under 152-FZ Art. 18(5) a store of
#   personal data of a project whose jurisdictions include RU must be in Russia; under GDPR
#   Art. 44 a store outside the EU/EEA, in a country without an adequacy decision, needs a transfer
#   mechanism (a warning; an error for special-category data; an informational note with a declared
#   `dpa.transfer_mechanism`). The catalog's regions outrank a store's declared region when the
#   store is a provider's service (`hosting: provider` with a `provider` the catalog knows). A
#   store of personal data that does not say where it is fails closed: an error under either law.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP107.md
#     description: Rule documentation
# custom:
#   id: LP107
#   severity: error
#   frameworks: {gdpr: ["Art. 44"], ru-152fz: ["Art. 18(5)"]}
#   remediation: |
#     Declare where each store of personal data keeps it (`stores[].region`) and keep it in the
#     project's jurisdiction: in Russia for 152-FZ, in the EU/EEA or a country with an adequacy
#     decision for GDPR (or document the transfer mechanism in the store's `dpa`). Or keep personal
#     data out of the store (`stores[].data_classes`).
#   tags: [data-protection, residency, retention, gdpr, 152-fz]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: hr-assistant
#         owner: hr-tech@example.com
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
#           stores: [chat-log]
#       stores:
#         - id: chat-log
#           kind: prompt_log
#           hosting: own_cloud
#           region: DE  # LP107: a log of Russian personal data outside Russia
#           retention_days: 30
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: hr-assistant
#         owner: hr-tech@example.com
#         jurisdictions: [RU]
#         ru_152fz: {rkn_notification: "RKN-77-0001"}
#       data:
#         classes: [personal]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
#           region: RU
#           stores: [chat-log]
#       stores:
#         - id: chat-log
#           kind: prompt_log
#           hosting: own_cloud
#           region: RU
#           retention_days: 30
package llm_policy.rules.lp107

import data.llm_policy.lib

# [i, store, its personal classes (sorted)]
_personal contains [i, st, classes] if {
	some [i, st] in data.llm_policy.lib.stores
	classes := lib.store_personal_classes(st)
	count(classes) > 0
}

_ru_applies if {
	lib.framework_in_scope("ru-152fz")
	some code in data.llm_policy.lib.jurisdictions
	lib.in_ru(code)
}

_eea_applies if {
	lib.framework_in_scope("gdpr")
	some code in data.llm_policy.lib.jurisdictions
	lib.in_eea(code)
}

# --- 152-FZ ----------------------------------------------------------------------------------

# The store is, by declaration or by the catalog, outside Russia.
findings contains f if {
	lib.rule_enabled("LP107")
	_ru_applies
	some [i, st, classes] in _personal
	region := lib.effective_region(st)
	not lib.in_ru(region.region)
	f := object.union(
		{
			"id": "LP107",
			"severity": lib.cap_severity("error", region.verification),
			"msg": sprintf("Store %q (%s) keeps %s data in %s, outside Russia, but the project's jurisdictions include RU, and 152-FZ requires Russian citizens' personal data to be stored in databases in Russia. Keep the store in region RU, or keep personal data out of it.%s", [
				st.id, st.kind, concat(", ", classes), region.region, lib.unverified_note(region.verification),
			]),
			"path": ["stores", i, "region"],
		},
		lib.region_evidence(region),
	)
}

# The store declares a region in Russia that the catalog says its provider does not offer.
findings contains f if {
	lib.rule_enabled("LP107")
	_ru_applies
	some [i, st, classes] in _personal
	lib.in_ru(st.region)
	p := lib.region_contradicted_by(st)
	f := object.union(
		{
			"id": "LP107",
			"severity": lib.cap_severity("error", p.evidence.regions.verification),
			"msg": sprintf("Store %q (%s) declares region %s, but the catalog lists %s only in %s, so its %s data would be stored outside Russia although the project's jurisdictions include RU (152-FZ localisation). Keep the store in Russia.%s", [
				st.id, st.kind, st.region, p.id, concat(", ", p.regions), concat(", ", classes), lib.unverified_note(p.evidence.regions.verification),
			]),
			"path": ["stores", i, "region"],
		},
		lib.evidence(p.evidence.regions.verification, p.evidence.regions.source),
	)
}

# Nothing shows where the store is: fail closed.
findings contains f if {
	lib.rule_enabled("LP107")
	_ru_applies
	some [i, st, classes] in _personal
	not lib.effective_region(st)
	f := {
		"id": "LP107",
		"severity": "error",
		"msg": sprintf("Store %q (%s) keeps %s data but declares no region, so nothing shows that it stays in Russia as 152-FZ requires for this project. Declare stores[].region (RU), or keep personal data out of it.", [
			st.id, st.kind, concat(", ", classes),
		]),
		"path": ["stores", i, "region"],
	}
}

# --- GDPR ------------------------------------------------------------------------------------

# The store is in a country without an adequacy decision.
findings contains f if {
	lib.rule_enabled("LP107")
	_eea_applies
	some [i, st, classes] in _personal
	dest := lib.transfer_destination(st)
	countries := sort({r | some r in dest.regions; not lib.in_eea(r); not lib.gdpr_adequate(r, st)})
	count(countries) > 0
	severity := _eea_severity(st)
	f := object.union(
		{
			"id": "LP107",
			"severity": lib.cap_severity(severity, dest.verification),
			"msg": sprintf("Store %q (%s) keeps %s data in %s, outside the EU/EEA and without an adequacy decision, while the project is under the GDPR. %s%s", [
				st.id, st.kind, concat(", ", classes), concat(", ", countries), _eea_advice(st), lib.unverified_note(dest.verification),
			]),
			"path": ["stores", i, "region"],
		},
		_dest_evidence(dest),
	)
}

# Nothing shows where the store is: fail closed.
findings contains f if {
	lib.rule_enabled("LP107")
	_eea_applies
	some [i, st, classes] in _personal
	not lib.transfer_destination(st)
	f := {
		"id": "LP107",
		"severity": "error",
		"msg": sprintf("Store %q (%s) keeps %s data but declares no region, so nothing shows that it stays in the EU/EEA or a country with an adequacy decision while the project is under the GDPR. Declare stores[].region, or keep personal data out of it.", [
			st.id, st.kind, concat(", ", classes),
		]),
		"path": ["stores", i, "region"],
	}
}

_eea_severity(st) := "info" if {
	lib.transfer_mechanism(st)
} else := "error" if {
	"special_category" in lib.store_classes(st)
} else := "warning"

_eea_advice(st) := sprintf("The transfer relies on the declared mechanism (%s); keep it and its transfer impact assessment current.", [lib.transfer_mechanism(st)]) if {
	lib.transfer_mechanism(st)
} else := "Special-category data (GDPR Art. 9) may not be stored there without a transfer mechanism: keep the store in the EU/EEA, or document the mechanism in the store's dpa.transfer_mechanism." if {
	"special_category" in lib.store_classes(st)
} else := "Keep the store in the EU/EEA, or document the transfer mechanism (e.g. EU SCCs) in the store's dpa.transfer_mechanism."

_dest_evidence(dest) := {} if {
	dest.basis == "declared"
} else := lib.evidence(dest.verification, dest.reference)
