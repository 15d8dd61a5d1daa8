# METADATA
# title: Declared license differs from the checkpoint's license
# description: |
#   Licenses are decided per checkpoint, not per model family: Qwen2.5-3B is research-only while
#   Qwen2.5-7B is Apache-2.0; DeepSeek-V3 carries the DeepSeek license while V3-0324 is MIT;
#   Mistral 7B is Apache-2.0 while Mistral Large is under the Mistral Research License. A manifest
#   that declares another license than the catalog's for the checkpoint either runs a different
#   checkpoint than it says or has its obligations wrong, and every license rule then reasons on
#   the wrong terms. License ids match case-insensitively; Hugging Face tags and LicenseRef- ids
#   are accepted.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP202.md
#     description: Rule documentation
# custom:
#   id: LP202
#   severity: error
#   remediation: |
#     Set the source's `license` to the catalog's license for the checkpoint, or, if you run a
#     different checkpoint, correct `model` to its Hugging Face repo id.
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
#           license: Apache-2.0  # LP202: the catalog says llama3.1-community
#           hosting: on_prem
#     passing: |
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
#           license: llama3.1-community
#           hosting: on_prem
package llm_policy.rules.lp202

import data.llm_policy.lib

findings contains f if {
	some [i, src] in data.llm_policy.lib.sources
	is_string(src.license)
	m := lib.model(src.model)
	expected := lib.license_key(m.license)
	_declared_key(src.license) != expected
	level := m.evidence.license.verification
	f := object.union(
		{
			"id": "LP202",
			"severity": lib.cap_severity("error", level),
			"msg": sprintf("Source %q declares license %s, but the catalog licenses %s under %s. Set license: %s, or correct model if you run a different checkpoint.%s", [
				src.id, src.license, m.repo, m.license, m.license, lib.unverified_note(level),
			]),
			"path": ["sources", i, "license"],
			"source_id": src.id,
		},
		lib.evidence(level, m.evidence.license.source),
	)
}

_declared_key(id) := lib.license_key(id) if {
	lib.license_key(id)
} else := lower(id)
