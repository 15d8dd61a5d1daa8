# METADATA
# title: State information system with a source outside the Russian perimeter or without attestation
# description: |
#   The technical means of a Russian state information system (GIS), software and means of
#   protection included, are located in Russia (149-FZ Art. 13-14); the system is protected to
#   its class (K1 to K3) with certified means, attested before it goes into operation, and a part
#   that runs on another operator's infrastructure relies on infrastructure protected to a class no
#   lower than its own (FSTEC Order No. 17). For a project that declares `project.ru_gis`, every
#   source must run in Russia by the facts (a declared region RU, and for a provider-run source a
#   provider the catalog lists only in Russia: facts over claims); a source run by a third party
#   declares `certification` for at least the system's class; a system past development declares
#   its `attestation`. The localisation fact is confirmed from secondary sources (errors); the
#   Order No. 17 facts are not yet confirmed here, so those findings are warnings that say so
#   (`policies/data/ru_sector.json`, `gis`).
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP410.md
#     description: Rule documentation
# custom:
#   id: LP410
#   severity: error
#   frameworks: {ru-gis: ["149-FZ Art. 14", "FSTEC Order No. 17"]}
#   remediation: |
#     Run every source of the system in Russia (region RU, a provider that processes only in
#     Russia), declare the attestation of the system as `project.ru_gis.attestation` and, for a
#     source a provider runs, the attestation of its infrastructure as `certification`.
#   tags: [ru-gis]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: public-services-assistant
#         owner: ml-team@example.com
#         jurisdictions: [RU]
#         ru_gis: {protection_class: K2, attestation: "AT-2025-031"}
#       data:
#         classes: [internal]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: own_cloud
#           region: DE  # LP410: the technical means of a GIS are located in Russia
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: public-services-assistant
#         owner: ml-team@example.com
#         jurisdictions: [RU]
#         ru_gis: {protection_class: K2, attestation: "AT-2025-031"}
#       data:
#         classes: [internal]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: own_cloud
#           region: RU
package llm_policy.rules.lp410

import data.llm_policy.lib

_gis := data.llm_policy.lib.project.ru_gis

_facts := data.llm_policy.ru_sector.gis

_declared if is_object(_gis)

# --- localisation ----------------------------------------------------------------------------

# A source is in Russia by the facts: a declared Russian region and, when a provider runs it, a
# catalog region list that is all Russian.
_in_russia(src) if {
	_declared_russian(src)
	not lib.provider_hosted(src)
}

_in_russia(src) if {
	_declared_russian(src)
	lib.provider_hosted(src)
	_provider_only_in_russia(src)
}

_declared_russian(src) if src.region in _facts.localisation.regions

_provider_only_in_russia(src) if {
	p := lib.provider(src.provider)
	is_array(p.regions)
	count(p.regions) > 0
	every r in p.regions {
		r in _facts.localisation.regions
	}
}

findings contains f if {
	lib.rule_enabled("LP410")
	_declared
	some [i, src] in data.llm_policy.lib.sources
	not _in_russia(src)
	level := _facts.localisation.verification
	f := object.union(
		{
			"id": "LP410",
			"severity": lib.cap_severity("error", level),
			"msg": sprintf("Source %q of a state information system is not shown to run in Russia: %s. The technical means of a state information system, software included, are located in Russia (%s). Run it in region RU on infrastructure in Russia, with a provider that processes only there.%s", [
				src.id, _where(src), _facts.localisation.law, lib.unverified_note(level),
			]),
			"path": ["sources", i, "region"],
			"source_id": src.id,
		},
		lib.evidence(level, _facts.localisation.source),
	)
}

_where(src) := sprintf("it declares region %s", [src.region]) if {
	lib.has_region(src)
	not _declared_russian(src)
} else := "it declares no region" if {
	not lib.has_region(src)
} else := sprintf("the catalog does not list provider %s only in Russia", [object.get(src, "provider", "(none)")])

# --- certification -----------------------------------------------------------------------------

_level := _facts.certification.verification

_class_rank(c) := _facts.certification.class_rank[c]

# Run by someone other than the operator of the system.
_third_party(src) if lib.provider_hosted(src)

_third_party(src) if {
	src.sector == "private"
	not _self_hosted(src)
}

_self_hosted(src) if src.hosting in data.llm_policy.tables.self_hosting

_certified(src) if _class_rank(src.certification.protection_class) >= _class_rank(_gis.protection_class)

findings contains f if {
	lib.rule_enabled("LP410")
	_declared
	some [i, src] in data.llm_policy.lib.sources
	_third_party(src)
	not _certified(src)
	f := object.union(
		{
			"id": "LP410",
			"severity": lib.cap_severity("error", _level),
			"msg": sprintf("Source %q runs on infrastructure of provider %s, and %s, but a state information system of class %s relies on another operator's infrastructure only when it is protected to a class no lower than its own (%s). Declare the attestation of the provider's infrastructure under certification, or run the model on the system's own attested infrastructure.%s", [
				src.id, object.get(src, "provider", "(none)"), _certificate_text(src), _gis.protection_class, _facts.certification.law, lib.unverified_note(_level),
			]),
			"path": ["sources", i, "certification"],
			"source_id": src.id,
		},
		lib.evidence(_level, _facts.certification.source),
	)
}

_certificate_text(src) := sprintf("its certification %s is for class %s", [src.certification.reference, src.certification.protection_class]) if {
	is_object(src.certification)
} else := "it declares no certification"

# --- attestation -------------------------------------------------------------------------------

_in_operation if not _before_operation

_before_operation if data.llm_policy.lib.project.stage in data.llm_policy.tables.non_production_stages

_attested if is_string(_gis.attestation)

findings contains f if {
	lib.rule_enabled("LP410")
	_declared
	_in_operation
	not _attested
	f := object.union(
		{
			"id": "LP410",
			"severity": lib.cap_severity("error", _level),
			"msg": sprintf("The project is part of a state information system of class %s but declares no attestation: such a system is attested for its protection class before it goes into operation (%s). Declare project.ru_gis.attestation, or set project.stage to research or development while it is not in operation.%s", [
				_gis.protection_class, _facts.certification.law, lib.unverified_note(_level),
			]),
			"path": ["project", "ru_gis", "attestation"],
		},
		lib.evidence(_level, _facts.certification.source),
	)
}
