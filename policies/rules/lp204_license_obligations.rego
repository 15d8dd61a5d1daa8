# METADATA
# title: Obligations that come with the model's license
# description: |
#   Even licenses that allow the use carry obligations a project must meet when it ships: the
#   attribution text to display ("Built with Llama", "Built with Qwen", Gemma's Notice file), the
#   naming of distributed derivatives ("Llama ..."), use restrictions that must be passed on to
#   downstream users (Gemma, DeepSeek, OpenRAIL) and an acceptable-use policy. This rule lists them
#   for each source, so that they reach the product and legal checklist.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP204.md
#     description: Rule documentation
# custom:
#   id: LP204
#   severity: info
#   remediation: |
#     Nothing to change in the manifest: make sure the product meets the listed obligations
#     (attribution in the UI or docs, naming of published fine-tunes, use restrictions in your terms).
#   tags: [licensing]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: shop-assistant
#         owner: shop-team@example.com
#       data:
#         classes: [public]
#       sources:
#         - id: local-llama
#           sector: open_source
#           model: meta-llama/Llama-3.1-8B-Instruct
#           license: llama3.1-community  # LP204: attribution, derivative naming, acceptable-use policy
#           hosting: on_prem
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: shop-assistant
#         owner: shop-team@example.com
#       data:
#         classes: [public]
#       sources:
#         - id: gpt4o
#           sector: cloud_api
#           provider: openai
#           model: gpt-4o-2024-08-06
#         - id: claude
#           sector: cloud_api
#           provider: anthropic
#           model: claude-sonnet-4
#       routing:
#         strategy: fallback
#         routes:
#           - {name: all, to: gpt4o}
#         fallbacks:
#           - {from: gpt4o, to: [claude]}
#           - {from: claude, to: [gpt4o]}
package llm_policy.rules.lp204

import data.llm_policy.lib

findings contains f if {
	some [i, src, sl] in data.llm_policy.lib.licensed_sources
	terms := _terms[sl.key]
	level := lib.weakest({terms.level, sl.verification})
	f := object.union(
		{
			"id": "LP204",
			"severity": "info",
			"msg": sprintf("Source %q runs %s under %s, which comes with obligations: %s.", [
				src.id, src.model, sl.license.id, terms.text,
			]),
			"path": _path(i, src),
			"source_id": src.id,
		},
		lib.evidence(level, sl.license.source),
	)
}

# Per license in use (by catalog key) that comes with obligations: the obligations as one clause
# and the weakest verification of their facts, computed once however many sources run under it.
_terms := {k: {"text": text, "level": lib.weakest(levels)} |
	some k in {sl.key | some [_, _, sl] in data.llm_policy.lib.licensed_sources}
	lic := data.llm_policy.lib.catalog.licenses[k]
	obligations := _obligations(lic)
	count(obligations) > 0
	levels := {object.get(lic, ["evidence", fact, "verification"], "unverified") | some [fact, _, _] in obligations}
	text := concat("; ", [sprintf("%s: %s", [label, t]) | some [_, label, t] in obligations])
}

_path(i, src) := ["sources", i, "license"] if {
	is_string(src.license)
} else := ["sources", i, "model"]

# [fact, label, text] for each obligation the license states, in a fixed order; fact names the
# catalog fact (for its verification level).
_obligations(lic) := [item |
	some item in [
		_attribution(lic),
		["derivative_naming", "naming of derivatives", object.get(lic, "derivative_naming", null)],
		["use_restrictions", "use restrictions", object.get(lic, "use_restrictions", null)],
		["use_restrictions", "acceptable-use policy", object.get(lic, "aup", null)],
	]
	is_string(item[2])
]

_attribution(lic) := ["attribution_text", "attribution", lic.attribution_text] if {
	is_string(lic.attribution_text)
} else := ["requires_attribution", "attribution", "keep the license text and its notices with every copy you distribute"] if {
	lic.requires_attribution == true
} else := ["requires_attribution", "attribution", null]
