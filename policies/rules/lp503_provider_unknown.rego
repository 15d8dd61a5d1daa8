# METADATA
# title: Provider unknown to the catalog
# description: |
#   Several rules rely on what the catalog knows about a provider: whether it offers a DPA and
#   trains on inputs by default, its regions, whether it can serve personal data under 152-FZ. A
#   provider the catalog does not know (or a misspelt name) is therefore not evaluated by them,
#   which must not pass silently. Names match case-insensitively and through aliases
#   (yandexgpt, claude, bedrock, ...).
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP503.md
#     description: Rule documentation
# custom:
#   id: LP503
#   severity: warning
#   remediation: |
#     Write the provider as one of the catalog's names (openai, azure-openai, anthropic,
#     google-vertex, google-gemini, aws-bedrock, mistral, yandex, gigachat, nvidia-nim, sbercloud,
#     yandex-private, mts-ai), or review the provider and add it to your catalog data with `--data`.
#   tags: [catalog, vendor-risk]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: docs-search
#         owner: search-team@example.com
#       data:
#         classes: [internal]
#       sources:
#         - id: llama-70b
#           sector: private
#           provider: acme-ai  # LP503: not in the catalog
#           model: meta-llama/Llama-3.1-70B-Instruct
#           license: llama3.1-community
#           hosting: vendor_perimeter
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: docs-search
#         owner: search-team@example.com
#       data:
#         classes: [internal]
#       sources:
#         - id: llama-70b
#           sector: private
#           provider: nvidia-nim
#           model: meta-llama/Llama-3.1-70B-Instruct
#           license: llama3.1-community
#           hosting: vendor_perimeter
package llm_policy.rules.lp503

import data.llm_policy.lib

findings contains f if {
	some [i, src] in data.llm_policy.lib.sources
	is_string(src.provider)
	not lib.known_provider(src)
	f := {
		"id": "LP503",
		"severity": "warning",
		"msg": sprintf("Source %q names provider %s, which the catalog does not know, so its DPA, training, region and 152-FZ facts are not checked. Use a catalog provider name (%s) or add the provider to your catalog data.", [
			src.id, src.provider, concat(", ", sort(object.keys(data.llm_policy.lib.catalog.providers))),
		]),
		"path": ["sources", i, "provider"],
		"source_id": src.id,
	}
}
