# METADATA
# title: Foreign software or service on a significant object of critical information infrastructure
# description: |
#   From 1 January 2025, Presidential Decree No. 166 of 30.03.2022 bars foreign software on the
#   significant objects of Russian critical information infrastructure (CII) of state bodies and
#   223-FZ customers; 187-FZ assigns such objects a category of significance (1 to 3). A project
#   that declares `project.ru_cii.category` 1, 2 or 3 may use only sources whose provider the
#   catalog confirms (primary or secondary) as incorporated in Russia (`providers[id].origin`):
#   facts over claims, so a foreign, unknown or merely unconfirmed provider is an error. Open
#   weights the project serves itself need the Unified Register of Russian Software entry of the
#   software that serves them (`ru_software_registry`). The facts and their sources are in
#   `policies/data/ru_sector.json` (`cii`); a subject outside the decree's scope records a waiver.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP409.md
#     description: Rule documentation
# custom:
#   id: LP409
#   severity: error
#   frameworks: {ru-187fz: ["Decree No. 166, item 1"]}
#   remediation: |
#     Replace the source with a service of a provider incorporated in Russia, or serve open weights
#     with software from the Unified Register of Russian Software and declare its entry as
#     `ru_software_registry`.
#   tags: [ru-187fz]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: grid-dispatch-assistant
#         owner: ml-team@example.com
#         jurisdictions: [RU]
#         ru_cii: {category: 2}
#       data:
#         classes: [internal]
#       sources:
#         - id: nim
#           sector: private
#           provider: nvidia-nim  # LP409: foreign software on a significant CII object
#           model: meta-llama/Llama-3.1-8B-Instruct
#           license: llama3.1-community
#           hosting: on_prem
#           region: RU
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: grid-dispatch-assistant
#         owner: ml-team@example.com
#         jurisdictions: [RU]
#         ru_cii: {category: 2}
#       data:
#         classes: [internal]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
#           region: RU
#           ru_software_registry: "reestr.digital.gov.ru entry 00000 (example)"
package llm_policy.rules.lp409

import data.llm_policy.lib

_significant if data.llm_policy.lib.project.ru_cii.category in data.llm_policy.ru_sector.cii.significant_categories

# Open weights the project serves itself: the serving software is what the decree judges.
_self_served(src) if {
	src.sector == "open_source"
	not lib.provider_hosted(src)
}

_registered(src) if is_string(src.ru_software_registry)

# The provider is confirmed Russian: the catalog's origin, at a level better than unverified.
_domestic(src) if {
	p := lib.provider(src.provider)
	p.origin in data.llm_policy.ru_sector.cii.domestic_origins
	p.evidence.origin.verification != "unverified"
}

findings contains f if {
	lib.rule_enabled("LP409")
	_significant
	some [i, src] in data.llm_policy.lib.sources
	_self_served(src)
	not _registered(src)
	f := _finding(
		sprintf("Source %q serves open weights (%s) on a significant object of critical information infrastructure (category %v), where %s bars foreign software, and declares no entry in the Unified Register of Russian Software for the software that serves them. Serve the model with registered Russian software and declare its entry as ru_software_registry, or take it off the significant object.", [
			src.id, src.model, data.llm_policy.lib.project.ru_cii.category, data.llm_policy.ru_sector.cii.short,
		]),
		["sources", i],
		src.id,
	)
}

findings contains f if {
	lib.rule_enabled("LP409")
	_significant
	some [i, src] in data.llm_policy.lib.sources
	not _self_served(src)
	not _domestic(src)
	f := _finding(
		sprintf("Source %q uses provider %s, and %s; on a significant object of critical information infrastructure (category %v) %s bars foreign software and services, so only a provider the catalog confirms as Russian may serve it. Use a Russian provider's service, or take this source off the significant object.", [
			src.id, object.get(src, "provider", "(none)"), _origin_text(src), data.llm_policy.lib.project.ru_cii.category, data.llm_policy.ru_sector.cii.short,
		]),
		["sources", i, "provider"],
		src.id,
	)
}

_finding(msg, path, id) := object.union(
	{
		"id": "LP409",
		"severity": lib.cap_severity("error", data.llm_policy.ru_sector.cii.verification),
		"msg": sprintf("%s%s", [msg, lib.unverified_note(data.llm_policy.ru_sector.cii.verification)]),
		"path": path,
		"source_id": id,
	},
	lib.evidence(data.llm_policy.ru_sector.cii.verification, data.llm_policy.ru_sector.cii.source),
)

# What the catalog says of the provider's origin, in words.
_origin_text(src) := sprintf("the catalog gives its origin as %s (%s)", [p.origin, p.evidence.origin.verification]) if {
	p := lib.provider(src.provider)
	is_string(p.origin)
} else := "the catalog does not know this provider" if {
	not _known(src)
} else := "the catalog records no origin for it"

_known(src) if lib.provider(src.provider)
