# METADATA
# title: Provider does not offer the declared region
# description: |
#   If the provider does not offer inference in the declared `region`, the declaration is wrong
#   and the data is processed elsewhere, typically in the provider's default (US) region: the
#   claim contradicts the catalog, and the residency rules (LP401, LP402) judge by the catalog's
#   facts instead. A reseller named in `via` does not move inference. The regions come from the catalog; where the
#   catalog describes them in prose the derived list is marked unverified and the finding is a
#   warning. A member state matches a provider's "EU" region. Private deployments inside the
#   project's perimeter are not checked: they run wherever the project installs them.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP403.md
#     description: Rule documentation
# custom:
#   id: LP403
#   severity: error
#   frameworks: {gdpr: ["Art. 44"], ru-152fz: ["Art. 18(5)"]}
#   remediation: |
#     Declare a region the provider offers (and configure the API project or deployment for it),
#     or choose a provider with the region you need. If the provider added the region recently,
#     update the catalog data with `--data`.
#   tags: [residency, catalog]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: docs-search
#         owner: search-team@example.com
#       data:
#         classes: [public]
#       sources:
#         - id: gpt4o
#           sector: cloud_api
#           provider: openai
#           model: gpt-4o-2024-08-06
#           region: CH  # LP403: openai does not offer CH
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
#       routing:
#         strategy: fallback
#         routes:
#           - {name: all, to: gpt4o}
#         fallbacks:
#           - {from: gpt4o, to: [local-qwen]}
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: docs-search
#         owner: search-team@example.com
#       data:
#         classes: [public]
#       sources:
#         - id: gpt4o
#           sector: cloud_api
#           provider: openai
#           model: gpt-4o-2024-08-06
#           region: EU
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
#       routing:
#         strategy: fallback
#         routes:
#           - {name: all, to: gpt4o}
#         fallbacks:
#           - {from: gpt4o, to: [local-qwen]}
package llm_policy.rules.lp403

import data.llm_policy.lib

findings contains f if {
	lib.rule_enabled("LP403")
	some [i, src] in data.llm_policy.lib.sources
	is_string(src.region)
	p := lib.hosting_provider(src)
	is_array(p.regions)
	not lib.provider_offers_region(p, src.region)
	level := p.evidence.regions.verification
	f := object.union(
		{
			"id": "LP403",
			"severity": lib.cap_severity("error", level),
			"msg": sprintf("Source %q declares region %s, but the catalog lists %s only in %s: the claim contradicts the catalog, so the residency rules (LP401, LP402) judge by the catalog's regions.%s Declare a region the provider offers, or choose a provider that offers %s.%s", [
				src.id, src.region, p.id, concat(", ", p.regions), lib.via_note(src), src.region, lib.unverified_note(level),
			]),
			"path": ["sources", i, "region"],
			"source_id": src.id,
		},
		lib.evidence(level, p.evidence.regions.source),
	)
}
