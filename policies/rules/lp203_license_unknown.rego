# METADATA
# title: License or model unknown to the catalog
# description: |
#   The license rules can only evaluate terms the catalog knows: which license a checkpoint
#   carries, whether it allows commercial use, user caps and regional clauses. A license id or an
#   open-weights model the catalog does not know is therefore not evaluated, which must not pass
#   silently: the warning asks for a catalog id, or for the organisation to add the entry to its
#   catalog data (`--data`) after reviewing the terms. A license whose SPDX id marks it
#   non-commercial (`*-NC-*`) is not unknown: LP201 judges it.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP203.md
#     description: Rule documentation
# custom:
#   id: LP203
#   severity: warning
#   remediation: |
#     Write the model as its Hugging Face repo id (org/name) and the license as its SPDX id or
#     catalog id (for example Apache-2.0, llama3.1-community, qwen-license); if the catalog lacks
#     the entry, review the license and add it to your catalog data with `--data`.
#   tags: [licensing, catalog]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: shop-assistant
#         owner: shop-team@example.com
#       data:
#         classes: [public]
#       sources:
#         - id: local-model
#           sector: open_source
#           model: acme/acme-chat-7b  # LP203: neither model nor license is in the catalog
#           license: acme-model-license
#           hosting: on_prem
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: shop-assistant
#         owner: shop-team@example.com
#       data:
#         classes: [public]
#       sources:
#         - id: local-model
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
package llm_policy.rules.lp203

import data.llm_policy.lib

# A declared license the catalog does not know, on a source whose model it does not know either
# (when it knows the model, LP202 already names the right license).
findings contains f if {
	some [i, src] in data.llm_policy.lib.sources
	is_string(src.license)
	not lib.known_license(src)
	not lib.known_model(src)
	not lib.noncommercial_license_id(src.license)
	f := {
		"id": "LP203",
		"severity": "warning",
		"msg": sprintf("Source %q declares license %s, which the catalog does not know, so its terms are not evaluated. Use an SPDX or catalog license id, or add the license to your catalog data after reviewing it.", [
			src.id, src.license,
		]),
		"path": ["sources", i, "license"],
		"source_id": src.id,
	}
}

# Open weights whose checkpoint the catalog does not know: its license cannot be checked.
findings contains f if {
	some [i, src] in data.llm_policy.lib.sources
	src.sector == "open_source"
	not lib.known_model(src)
	f := {
		"id": "LP203",
		"severity": "warning",
		"msg": sprintf("Source %q runs model %s, which the catalog does not know, so its license is not checked against the checkpoint. Use the Hugging Face repo id (org/name), or add the model to your catalog data.", [
			src.id, src.model,
		]),
		"path": ["sources", i, "model"],
		"source_id": src.id,
	}
}
