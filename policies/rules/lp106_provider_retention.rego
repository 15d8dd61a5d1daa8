# METADATA
# title: Provider keeps prompts and outputs longer than the data class allows
# description: |
#   A provider that runs a model keeps prompts and outputs after the call: abuse-monitoring logs
#   for up to 30 days by default at OpenAI, Azure OpenAI and Anthropic (the catalog's
#   `retention_days`, with its source), longer where a contract or the provider's terms say so.
#   Storage limitation (GDPR Art. 5(1)(e), 152-FZ Art. 5(7), PCI DSS Req. 3.2.1) needs that period
#   known and bounded. For each class with a limit in the `provider_retention_max_days` table
#   (personal, confidential, financial and payment data: 30 days by default), the period the source
#   is under must not exceed it: a contractual zero data retention (`dpa.zero_retention: true`) or
#   period (`dpa.retention_days`) outranks the provider's default, and without one the catalog's
#   default decides (a finding on an unverified catalog fact is at most a warning). When neither
#   says how long the provider keeps the data, the rule warns. A DPA that claims zero retention and
#   a retention period above zero contradicts itself and is an error. Special-category data needs
#   zero retention outright (LP101).
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP106.md
#     description: Rule documentation
# custom:
#   id: LP106
#   severity: error
#   frameworks: {gdpr: ["Art. 5(1)(e)"], ru-152fz: ["Art. 5(7)"], pci-dss: ["Req. 3.2.1"]}
#   remediation: |
#     Agree zero data retention (`dpa.zero_retention: true`) or a retention period within the
#     class's limit (`dpa.retention_days`) with the provider, or send the source only classes
#     without a limit. Where the catalog does not know the provider's period, declare the
#     contractual one in `dpa.retention_days`.
#   tags: [data-protection, retention, gdpr, 152-fz, pci-dss]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: contract-review
#         owner: legal-tech@example.com
#       data:
#         classes: [confidential]
#       sources:
#         - id: gpt4o
#           sector: cloud_api
#           provider: openai
#           model: gpt-4o-2024-08-06
#           dpa: {reference: DPA-2025-014, signed: 2025-01-10, training_opt_out: true, retention_days: 90}  # LP106: longer than 30 days
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
#         name: contract-review
#         owner: legal-tech@example.com
#       data:
#         classes: [confidential]
#       sources:
#         - id: gpt4o
#           sector: cloud_api
#           provider: openai
#           model: gpt-4o-2024-08-06
#           dpa: {reference: DPA-2025-014, signed: 2025-01-10, training_opt_out: true, retention_days: 30}
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
package llm_policy.rules.lp106

import data.llm_policy.lib

# [i, source, classes with a retention limit it receives, the strictest limit]: its own classes and
# those it takes over as a backup or receives through an escalation, as they arrive (after its own
# redaction control).
_limited contains [i, src, classes, limit] if {
	some [i, src] in data.llm_policy.lib.sources
	lib.provider_hosted(src)
	classes := {r | some c in lib.reaching_classes(src); r := lib.received_as(src, c); lib.provider_retention_limit(r)}
	count(classes) > 0
	limit := min({lib.provider_retention_limit(c) | some c in classes})
}

# The provider keeps the data longer than the strictest limit of the classes it receives.
findings contains f if {
	lib.rule_enabled("LP106")
	some [i, src, classes, limit] in _limited
	r := lib.provider_retention(src)
	r.days > limit
	over := sort({c | some c in classes; r.days > lib.provider_retention_limit(c)})
	f := object.union(
		{
			"id": "LP106",
			"severity": lib.cap_severity("error", r.verification),
			"msg": sprintf("%s %q (provider %s) keeps prompts and outputs for %d days (%s), longer than the %d days the provider_retention_max_days table allows for %s data (storage limitation). Agree zero data retention or a retention period of at most %d days and declare it in dpa.zero_retention or dpa.retention_days, or stop sending %s data to it.%s", [
				lib.processor_label(src), src.id, object.get(src, "provider", "(none)"), r.days, _basis(r), limit, concat(", ", over), limit, concat(", ", over), lib.unverified_note(r.verification),
			]),
			"path": ["sources", i, "dpa", "retention_days"],
			"source_id": src.id,
		},
		_evidence(r),
	)
}

# Nothing says how long the provider keeps the data.
findings contains f if {
	lib.rule_enabled("LP106")
	some [i, src, classes, _] in _limited
	not lib.provider_retention(src)
	f := {
		"id": "LP106",
		"severity": "warning",
		"msg": sprintf("%s %q (provider %s) receives %s data, but neither its dpa nor the catalog says how long the provider keeps prompts and outputs%s, so storage limitation cannot be shown. Declare the contractual period in dpa.retention_days, or agree zero data retention (dpa.zero_retention: true).", [
			lib.processor_label(src), src.id, object.get(src, "provider", "(none)"), concat(", ", sort(classes)), _catalog_note(src),
		]),
		"path": ["sources", i, "dpa", "retention_days"],
		"source_id": src.id,
	}
}

# A DPA that claims zero retention and a retention period contradicts itself.
findings contains f if {
	lib.rule_enabled("LP106")
	some [i, src] in data.llm_policy.lib.sources
	lib.zero_retention(src)
	src.dpa.retention_days > 0
	f := {
		"id": "LP106",
		"severity": "error",
		"msg": sprintf("Source %q declares dpa.zero_retention: true and dpa.retention_days: %d, which contradict each other. Set retention_days: 0 (or remove it) if the provider keeps nothing, else set zero_retention: false.", [
			src.id, src.dpa.retention_days,
		]),
		"path": ["sources", i, "dpa", "retention_days"],
		"source_id": src.id,
	}
}

_basis(r) := sprintf("the provider's default per the catalog: %s", [r.note]) if {
	r.basis == "catalog"
} else := sprintf("per %s", [r.basis])

_evidence(r) := lib.evidence(r.verification, r.reference) if {
	r.basis == "catalog"
} else := {}

# What the catalog says in prose about an unknown period, for the message.
_catalog_note(src) := sprintf(" (the catalog notes: %s)", [note]) if {
	p := lib.hosting_provider(src)
	note := p.evidence.retention_days.note
	is_string(note)
} else := ""
