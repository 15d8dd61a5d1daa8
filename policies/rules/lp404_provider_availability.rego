# METADATA
# title: Provider does not serve, or may not be contracted in, a jurisdiction of the project
# description: |
#   A provider that does not offer its service in a country (OpenAI, Anthropic and Google do not
#   serve Russia), that may not be licensed there (NVIDIA AI Enterprise in Russia), or that
#   sanctions bar from contracting (Sber companies under US blocking sanctions; EU restrictive
#   measures) cannot lawfully serve a project in that jurisdiction, whatever the manifest says
#   and whichever reseller (`via`) sits in between. Some providers allow only part of their
#   offer somewhere: apps serving EEA, Swiss or UK users may use only the paid Gemini API, whose
#   terms come with a DPA. The facts come from the catalog's `availability` per jurisdiction; a
#   finding that rests on an unverified fact is at most a warning, and "restricted" (sanctions
#   that may, but need not, bar the contract) is a warning.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP404.md
#     description: Rule documentation
# custom:
#   id: LP404
#   severity: error
#   remediation: |
#     Choose a provider that serves every jurisdiction of the project (for Russia: yandex,
#     gigachat, sbercloud, mts-ai or a self-hosted model), or take the jurisdiction out of the
#     project if it really does not serve users there. For a paid-only region, contract the paid
#     service and declare its DPA. If the catalog fact is outdated, override it with `--data`.
#   tags: [availability, sanctions, catalog]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: support-bot
#         owner: support@example.com
#         jurisdictions: [RU]
#       data:
#         classes: [public]
#       sources:
#         - id: claude
#           sector: cloud_api
#           provider: anthropic  # LP404: Anthropic does not serve Russia
#           model: claude-sonnet-4-20250514
#           region: US
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
#           region: RU
#       routing:
#         strategy: fallback
#         routes:
#           - {name: all, to: claude}
#         fallbacks:
#           - {from: claude, to: [local-qwen]}
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: support-bot
#         owner: support@example.com
#         jurisdictions: [RU]
#       data:
#         classes: [public]
#       sources:
#         - id: claude
#           sector: cloud_api
#           provider: yandex
#           model: yandexgpt
#           region: RU
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
#           region: RU
#       routing:
#         strategy: fallback
#         routes:
#           - {name: all, to: claude}
#         fallbacks:
#           - {from: claude, to: [local-qwen]}
package llm_policy.rules.lp404

import data.llm_policy.lib

findings contains f if {
	some [i, src] in data.llm_policy.lib.sources
	p := lib.provider(src.provider)
	some code in data.llm_policy.lib.jurisdictions
	some key in lib.availability_keys(code)
	fact := p.availability[key]
	_applies(fact, src)
	level := object.get(fact, "verification", "unverified") # a fact without a level is unverified
	f := object.union(
		{
			"id": "LP404",
			"severity": lib.cap_severity(_severity(fact), level),
			"msg": sprintf("Source %q uses provider %s, but for %s (a jurisdiction of the project) the catalog says %s%s.%s %s%s", [
				src.id, p.id, code, _meaning(fact), _note(fact), lib.via_note(src), _advice(fact), lib.unverified_note(level),
			]),
			"path": ["sources", i, "provider"],
			"source_id": src.id,
		},
		lib.evidence(level, object.get(fact, "source", null)),
	)
}

# A paid-only jurisdiction is met by the paid service, which comes with a DPA in force.
_applies(fact, src) if {
	fact.status == "paid_only"
	not lib.dpa_valid(src)
}

_applies(fact, _) if fact.status != "paid_only"

# What the status means; organisation data (`--data`) may omit the explanation.
_meaning(fact) := fact.meaning if {
	is_string(fact.meaning)
} else := sprintf("availability status %v applies", [object.get(fact, "status", null)])

# Any status but "restricted" is an error, including one the rule does not know (fail closed).
_severity(fact) := "warning" if {
	fact.status == "restricted"
} else := "error"

_note(fact) := sprintf(" (%s)", [fact.note]) if {
	is_string(fact.note)
} else := ""

_advice(fact) := "Contract the paid service and declare its DPA under dpa, or use another provider there." if {
	fact.status == "paid_only"
} else := "Use a provider that serves this jurisdiction, or remove it from project.jurisdictions if the project does not serve it."
