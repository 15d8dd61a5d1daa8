# METADATA
# title: Model used in code but not declared
# description: |
#   `llm-policy check --scan` found a model id passed to the SDK of a provider the manifest
#   declares, but no source of that provider declares this model. The provider's review may still
#   hold, but the model's facts (license, context, pricing, deprecation) and the routing were
#   decided for another model. A dated snapshot of a declared model (`gpt-4o-2024-08-06` for
#   `gpt-4o`) counts as declared. Example: the openai source declares `model: gpt-4o` and the code
#   calls `client.chat.completions.create(model="gpt-4o-mini", ...)`: LP602 at that string.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP602.md
#     description: Rule documentation
# custom:
#   id: LP602
#   severity: warning
#   remediation: |
#     Add a source for the model (or change the model of the existing source) in the governing
#     llm-sourcing.yaml, or use a declared model in the code.
#   tags: [drift, scan]
package llm_policy.rules.lp602

import data.llm_policy.lib

_undeclared contains [e.file, u, e.model] if {
	lib.governed
	some e in lib.scan_items
	is_string(e.model)
	u := lib.evidence_use(e)
	lib.declares_use(u)
	not lib.model_declared(u, e.model)
}

findings contains f if {
	some [file, u, model] in _undeclared
	items := [e | some e in lib.scan_items; e.file == file; e.model == model; lib.evidence_use(e) == u]
	declared := sort({src.model | some src in lib.sources_of_use(u); is_string(src.model)})
	f := {
		"id": "LP602",
		"severity": "warning",
		"msg": sprintf("%s uses model %s with %s, but the sources of %s for %s declare only %s. Declare the model in the manifest, or use a declared one.", [
			file, model, u, lib.scan.manifest, u, concat(", ", declared),
		]),
		"path": ["sources"],
		"location": lib.first_location(file, items),
	}
}
