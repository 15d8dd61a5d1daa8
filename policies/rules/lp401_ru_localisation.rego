# METADATA
# title: Personal data under 152-FZ processed outside Russia
# description: |
#   Russian Federal Law 152-FZ Art. 18(5) requires that the recording, systematisation,
#   accumulation, storage, clarification and extraction of personal data of Russian citizens use
#   databases located in Russia; a DPA with a foreign provider does not change that, and
#   cross-border transfers also need prior notice to Roskomnadzor (Art. 12). When the project's
#   jurisdictions include RU, every source that receives personal or special-category data must
#   therefore run in Russia. The provider's regions and 152-FZ suitability from the catalog
#   outrank a declared region: a cloud API (or open weights on a provider's platform) that the
#   catalog says cannot keep the data in Russia fails even when the source declares `region: RU`,
#   and a reseller named in `via` does not move inference. Where the source does not declare its
#   region, the catalog decides; when nothing shows where inference runs, the rule warns.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP401.md
#     description: Rule documentation
# custom:
#   id: LP401
#   severity: error
#   frameworks: {ru-152fz: ["Art. 18(5)"]}
#   remediation: |
#     Send personal data only to sources that run in Russia (`region: RU`): a self-hosted model in a
#     Russian data centre, a private deployment, or a Russian provider (yandex, gigachat, sbercloud,
#     mts-ai); restrict the other sources' `data_classes` so they receive no personal data.
#   tags: [data-protection, residency, 152-fz]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: hr-assistant
#         owner: hr-tech@example.com
#         jurisdictions: [RU]
#         ru_152fz: {rkn_notification: "RKN-2024-0117"}
#       data:
#         classes: [personal]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: own_cloud
#           region: DE  # LP401: personal data of a RU project outside Russia
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: hr-assistant
#         owner: hr-tech@example.com
#         jurisdictions: [RU]
#         ru_152fz: {rkn_notification: "RKN-2024-0117"}
#       data:
#         classes: [personal]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: own_cloud
#           region: RU
package llm_policy.rules.lp401

import data.llm_policy.lib

_applies if {
	some code in data.llm_policy.lib.jurisdictions
	lib.in_ru(code)
}

# [i, source, personal classes it receives]
_personal contains [i, src, concat(", ", sort(classes))] if {
	some [i, src] in data.llm_policy.lib.sources
	classes := {c | some c in lib.source_classes(src); lib.is_personal_class(c)}
	count(classes) > 0
}

# The declared region is outside Russia.
findings contains f if {
	lib.rule_enabled("LP401")
	_applies
	some [i, src, classes] in _personal
	lib.has_region(src)
	not lib.in_ru(src.region)
	f := {
		"id": "LP401",
		"severity": "error",
		"msg": sprintf("Source %q processes %s data in %s, outside Russia, but the project's jurisdictions include RU, and 152-FZ requires Russian citizens' personal data to be processed in Russia whatever the DPA says. Send this data only to sources in region RU.", [
			src.id, classes, src.region,
		]),
		"path": ["sources", i, "region"],
		"source_id": src.id,
	}
}

# The declared region is in Russia, but the catalog says the provider that runs inference cannot
# keep personal data there: a label (or a reseller's "region: RU") does not move inference.
findings contains f if {
	lib.rule_enabled("LP401")
	_applies
	some [i, src, classes] in _personal
	lib.has_region(src)
	lib.in_ru(src.region)
	[level, reference, reason] := _foreign_provider(src)
	f := object.union(
		{
			"id": "LP401",
			"severity": lib.cap_severity("error", level),
			"msg": sprintf("Source %q declares region %s, but %s, so its %s data would leave Russia although the project's jurisdictions include RU (152-FZ localisation): the declared region contradicts the catalog.%s Send this data only to sources that really run in Russia.%s", [
				src.id, src.region, reason, classes, lib.via_note(src), lib.unverified_note(level),
			]),
			"path": ["sources", i, "region"],
			"source_id": src.id,
		},
		lib.evidence(level, reference),
	)
}

# No region is declared, and the catalog says the hosting provider cannot keep the data in Russia.
findings contains f if {
	lib.rule_enabled("LP401")
	_applies
	some [i, src, classes] in _personal
	not lib.has_region(src)
	[level, reference, reason] := _foreign_provider(src)
	f := object.union(
		{
			"id": "LP401",
			"severity": lib.cap_severity("error", level),
			"msg": sprintf("Source %q declares no region and %s, so its %s data would leave Russia although the project's jurisdictions include RU (152-FZ localisation). Send this data only to sources in region RU.%s", [
				src.id, reason, classes, lib.unverified_note(level),
			]),
			"path": ["sources", i, "region"],
			"source_id": src.id,
		},
		lib.evidence(level, reference),
	)
}

# Nothing shows where inference runs.
findings contains f if {
	lib.rule_enabled("LP401")
	_applies
	some [i, src, classes] in _personal
	not lib.effective_region(src)
	not _foreign_provider(src)
	f := {
		"id": "LP401",
		"severity": "warning",
		"msg": sprintf("Source %q declares no region, so nothing shows that its %s data stays in Russia as 152-FZ requires for this project. Declare region: RU if inference runs in Russia, or stop sending personal data to it.", [
			src.id, classes,
		]),
		"path": ["sources", i, "region"],
		"source_id": src.id,
	}
}

# [verification, reference, reason] when the catalog says the provider hosting the source cannot
# keep personal data in Russia.
_foreign_provider(src) := [fact.verification, fact.source, sprintf("the catalog says %s cannot serve 152-FZ personal data", [p.id])] if {
	p := lib.hosting_provider(src)
	p.can_serve_152fz_personal_data == false
	fact := p.evidence.can_serve_152fz_personal_data
} else := [fact.verification, fact.source, sprintf("the catalog lists %s only in %s", [p.id, concat(", ", p.regions)])] if {
	p := lib.hosting_provider(src)
	is_array(p.regions)
	every r in p.regions {
		not lib.in_ru(r)
	}
	fact := p.evidence.regions
}
