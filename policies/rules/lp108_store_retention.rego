# METADATA
# title: Prompt log, vector store or cache without a bounded retention
# description: |
#   A store of prompts, responses, embeddings or cached answers keeps copies of what the models
#   received. Storage limitation (GDPR Art. 5(1)(e), 152-FZ Art. 5(7), PCI DSS Req. 3.2.1 for
#   account data) needs each such store to delete its entries after a defined period. A store that
#   holds non-public data must therefore declare `retention_days` (an error; a warning when it holds
#   only internal data), and the period must not exceed the limit the `store_retention_max_days`
#   table sets for any class it holds (no class has a default limit: the table carries the
#   organisation's retention schedule). A store holds its own `data_classes`, by default every class
#   its sources are declared to receive before any redaction, or all of `data.classes` when no
#   source names it.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP108.md
#     description: Rule documentation
# custom:
#   id: LP108
#   severity: error
#   frameworks: {gdpr: ["Art. 5(1)(e)"], ru-152fz: ["Art. 5(7)"], pci-dss: ["Req. 3.2.1"]}
#   remediation: |
#     Declare how long the store keeps entries (`stores[].retention_days`) and enforce it (a TTL, a
#     lifecycle rule, a deletion job); keep it within the organisation's schedule
#     (`store_retention_max_days`), or keep non-public data out of the store (`stores[].data_classes`).
#   tags: [data-protection, retention, gdpr, 152-fz, pci-dss]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: support-assistant
#         owner: ai-platform@example.com
#       data:
#         classes: [personal]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
#           region: US
#           stores: [chat-log]
#       stores:
#         - id: chat-log  # LP108: personal data kept without a retention period
#           kind: prompt_log
#           hosting: on_prem
#           region: US
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: support-assistant
#         owner: ai-platform@example.com
#       data:
#         classes: [personal]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
#           region: US
#           stores: [chat-log]
#       stores:
#         - id: chat-log
#           kind: prompt_log
#           hosting: on_prem
#           region: US
#           retention_days: 30
package llm_policy.rules.lp108

import data.llm_policy.lib

# [i, store, the non-public classes it holds]
_non_public contains [i, st, classes] if {
	some [i, st] in data.llm_policy.lib.stores
	classes := {c | some c in lib.store_classes(st); not lib.is_public_class(c)}
	count(classes) > 0
}

# No retention period.
findings contains f if {
	lib.rule_enabled("LP108")
	some [i, st, classes] in _non_public
	not lib.declares_retention(st)
	f := {
		"id": "LP108",
		"severity": lib.exposure_severity(classes),
		"msg": sprintf("Store %q (%s) keeps %s data but declares no retention_days, so nothing bounds how long it keeps them (storage limitation). Declare stores[].retention_days and enforce it, or keep non-public data out of the store.", [
			st.id, st.kind, concat(", ", sort(classes)),
		]),
		"path": ["stores", i, "retention_days"],
	}
}

# A period longer than the organisation's limit for a class it holds.
findings contains f if {
	lib.rule_enabled("LP108")
	some [i, st, classes] in _non_public
	over := {c | some c in classes; st.retention_days > lib.store_retention_limit(c)}
	count(over) > 0
	limit := min({lib.store_retention_limit(c) | some c in over})
	f := {
		"id": "LP108",
		"severity": "error",
		"msg": sprintf("Store %q (%s) keeps %s data for %d days, longer than the %d days the store_retention_max_days table allows. Shorten stores[].retention_days to at most %d days, or keep that data out of the store.", [
			st.id, st.kind, concat(", ", sort(over)), st.retention_days, limit, limit,
		]),
		"path": ["stores", i, "retention_days"],
	}
}
