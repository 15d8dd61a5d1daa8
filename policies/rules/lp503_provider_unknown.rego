# METADATA
# title: Provider unknown to the catalog
# description: |
#   Several rules rely on what the catalog knows about a provider: whether it offers a DPA and
#   trains on inputs by default, its regions, whether it can serve personal data under 152-FZ. A
#   provider the catalog does not know (or a misspelt name) is therefore not evaluated by them,
#   which must not pass silently. Names match case-insensitively and through aliases
#   (yandexgpt, claude, bedrock, ...). When such a source receives personal, financial,
#   confidential or higher data the finding is an error (fail closed: nothing checked where its
#   data goes); for public or internal data it is a warning. A provider-hosted source that names
#   no provider at all is the same case. The message suggests the catalog names a misspelt one
#   is probably meant to be (`opneai`, `open-ai`, a Cyrillic look-alike); organisations add their
#   own providers with `--data`.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP503.md
#     description: Rule documentation
# custom:
#   id: LP503
#   severity: error
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
#         classes: [confidential]
#       sources:
#         - id: llama-70b
#           sector: private
#           provider: acme-ai  # LP503: not in the catalog, and it receives confidential data
#           model: meta-llama/Llama-3.1-70B-Instruct
#           license: llama3.1-community
#           hosting: vendor_perimeter
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: docs-search
#         owner: search-team@example.com
#       data:
#         classes: [confidential]
#       sources:
#         - id: llama-70b
#           sector: private
#           provider: nvidia-nim
#           model: meta-llama/Llama-3.1-70B-Instruct
#           license: llama3.1-community
#           hosting: vendor_perimeter
package llm_policy.rules.lp503

import data.llm_policy.lib

_names := concat(", ", sort(object.keys(data.llm_policy.lib.catalog.providers)))

findings contains f if {
	some [i, src] in data.llm_policy.lib.sources
	is_string(src.provider)
	not lib.known_provider(src)
	severity := _severity(src)
	f := {
		"id": "LP503",
		"severity": severity,
		"msg": sprintf("Source %q names provider %s, which the catalog does not know, so its DPA, training, region, availability and 152-FZ facts are not checked%s.%s%s Use a catalog provider name (%s) or add the provider to your catalog data with --data.", [
			src.id, src.provider, _stakes(src, severity), lib.did_you_mean(src.provider), _upstream(src), _names,
		]),
		"path": ["sources", i, "provider"],
		"source_id": src.id,
	}
}

# Runs on a provider's infrastructure, but which provider is not said.
findings contains f if {
	some [i, src] in data.llm_policy.lib.sources
	lib.provider_hosted(src)
	not lib.names_provider(src)
	severity := _severity(src)
	f := {
		"id": "LP503",
		"severity": severity,
		"msg": sprintf("Source %q runs on a provider's infrastructure (hosting: provider) but names no provider, so nothing about where its data goes can be checked%s. Name the provider (%s).", [
			src.id, _stakes(src, severity), _names,
		]),
		"path": ["sources", i],
		"source_id": src.id,
	}
}

# Fail closed: an unknown processor of anything above internal data is an error.
_severity(src) := lib.exposure_severity(classes) if {
	classes := lib.non_public_classes(src)
	count(classes) > 0
} else := "warning"

_stakes(src, "error") := sprintf(" although it receives %s data", [concat(", ", sort(lib.non_public_classes(src)))])

_stakes(_, "warning") := ""

# A reseller in disguise: the catalog knows the model as a hosted model of other providers.
_upstream(src) := sprintf(" The catalog knows %s as a hosted model of %s: if %s resells it, write provider: %s and via: %s, so that the upstream's facts are checked.", [
	src.model, concat(" and ", ups), src.provider, ups[0], src.provider,
]) if {
	ups := sort({name | some name, models in data.llm_policy.lib.catalog.hosted_models; models[lower(src.model)]})
	count(ups) > 0
} else := ""
