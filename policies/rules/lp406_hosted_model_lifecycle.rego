# METADATA
# title: Hosted model retired, retiring, or called by a floating alias
# description: |
#   Providers retire hosted API models on announced dates, after which every call fails; a
#   product that still names such a model has an outage scheduled. A floating alias (`gpt-4o`,
#   `claude-3-5-sonnet-latest`, `gemini-flash-latest`) moves to a new snapshot whenever the
#   provider decides, so behaviour and evaluation results change without a change in the
#   manifest, while the provider offers dated, pinned versions. The catalog's `hosted_models`
#   records retirement dates and aliases per provider, with their verification: a retired
#   model is an error (at most a warning on an unverified date), a model with an announced
#   retirement or deprecation and a floating alias are warnings.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP406.md
#     description: Rule documentation
# custom:
#   id: LP406
#   severity: warning
#   remediation: |
#     Move to the replacement the provider names before the retirement date, and call a pinned,
#     dated version (for example gpt-4o-2024-08-06 instead of gpt-4o) so that a model change is a
#     reviewed change of the manifest.
#   tags: [lifecycle, availability, catalog]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: docs-search
#         owner: search-team@example.com
#       data:
#         classes: [public]
#       sources:
#         - id: gpt
#           sector: cloud_api
#           provider: openai
#           model: gpt-4o  # LP406: a floating alias
#           region: EU
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
#       routing:
#         strategy: fallback
#         routes:
#           - {name: all, to: gpt}
#         fallbacks:
#           - {from: gpt, to: [local-qwen]}
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: docs-search
#         owner: search-team@example.com
#       data:
#         classes: [public]
#       sources:
#         - id: gpt
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
#           - {name: all, to: gpt}
#         fallbacks:
#           - {from: gpt, to: [local-qwen]}
package llm_policy.rules.lp406

import data.llm_policy.lib

# [i, src, hosted model entry] for provider-hosted sources whose model the catalog lists.
_hosted contains [i, src, m] if {
	some [i, src] in data.llm_policy.lib.sources
	lib.provider_hosted(src)
	name := lib.provider_name(src.provider)
	entry := data.llm_policy.lib.catalog.hosted_models[name][lower(src.model)]
	m := object.union({"verification": "unverified", "source": null}, entry) # a fact without a level is unverified
}

# Retired: calls fail.
findings contains f if {
	some [i, src, m] in _hosted
	_retired(m)
	f := _finding(i, src, m, lib.cap_severity("error", m.verification), sprintf("Source %q calls %s, which %s retired on %s, so its calls fail. Move to %s.%s", [
		src.id, src.model, src.provider, m.retires, _replacement(m), lib.unverified_note(m.verification),
	]))
}

# Retiring or deprecated.
findings contains f if {
	some [i, src, m] in _hosted
	not _retired(m)
	when := _announced(m)
	f := _finding(i, src, m, "warning", sprintf("Source %q calls %s, which %s %s. Move to %s before then.%s", [
		src.id, src.model, src.provider, when, _replacement(m), lib.unverified_note(m.verification),
	]))
}

# A floating alias where pinned versions exist.
findings contains f if {
	some [i, src, m] in _hosted
	m.floating_alias == true
	count(m.pinned_versions) > 0
	f := _finding(i, src, m, "warning", sprintf("Source %q calls %s, a floating alias that %s moves to new snapshots without notice. Pin a dated version (%s) so that a model change is a reviewed change.%s", [
		src.id, src.model, src.provider, concat(", ", m.pinned_versions), lib.unverified_note(m.verification),
	]))
}

_retired(m) if {
	is_string(m.retires)
	m.retires <= lib.today
}

_announced(m) := sprintf("retires on %s", [m.retires]) if {
	is_string(m.retires)
} else := sprintf("deprecated on %s", [m.deprecated]) if {
	is_string(m.deprecated)
}

_replacement(m) := sprintf("the replacement the provider names (%s)", [m.replacement]) if {
	is_string(m.replacement)
} else := "a supported model"

_finding(i, src, m, severity, msg) := object.union(
	{
		"id": "LP406",
		"severity": severity,
		"msg": msg,
		"path": ["sources", i, "model"],
		"source_id": src.id,
	},
	lib.evidence(m.verification, m.source),
)
