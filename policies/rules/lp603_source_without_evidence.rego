# METADATA
# title: Declared source not found in code
# description: |
#   A full `llm-policy check --scan` of the manifest's directory found no evidence of a declared
#   source's provider (for an `open_source` source: no open-weights model run locally). Either the
#   code reaches it in a way the scanner does not recognise (an OpenAI-compatible client with a
#   base URL, a gateway), or the source is no longer used and the manifest overstates what the
#   project sends where. Informational, and only on a full scan: a pre-commit run on changed files
#   cannot know what the rest of the code uses. Example: a `mistral` source is declared, and no
#   file under the manifest's directory imports `mistralai`, lists it as a dependency, names
#   api.mistral.ai or MISTRAL_API_KEY, or passes a Mistral model id.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP603.md
#     description: Rule documentation
# custom:
#   id: LP603
#   severity: info
#   remediation: |
#     Remove the source if nothing uses it any more (and the routes and fallbacks that name it),
#     or ignore this note when the code reaches it through a gateway or a compatible client.
#   tags: [drift, scan]
package llm_policy.rules.lp603

import data.llm_policy.lib

_used contains u if {
	some e in lib.scan_items
	u := lib.evidence_use(e)
}

_use(src) := "open weights" if src.sector == "open_source"

_use(src) := lib.provider_identity(src) if {
	src.sector != "open_source"
	is_string(src.provider)
}

findings contains f if {
	lib.governed
	lib.scan_complete
	some [i, src] in lib.sources
	u := _use(src)
	not u in _used
	f := {
		"id": "LP603",
		"severity": "info",
		"msg": sprintf("Source %q (%s) has no evidence in the code under the directory of %s: no import, package, endpoint, key variable or model id of it was found. Remove the source if it is no longer used.", [
			src.id, u, lib.scan.manifest,
		]),
		"path": ["sources", i],
		"source_id": src.id,
	}
}
