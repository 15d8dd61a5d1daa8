# METADATA
# title: Fallback cannot do the source's job (another role, or another embedding model)
# description: |
#   A fallback takes over the traffic of the source it backs up, so it must do the same job. A
#   source's `role` says which (chat by default; completion, embedding, reranker, moderation,
#   guard): a reranker cannot answer chat requests, a chat model is no moderation classifier. For
#   embeddings the job is narrower still: vectors from different models live in different spaces,
#   so an embedding source that fails over to another model returns vectors that match nothing in
#   the index built with the first one, and search silently returns noise during the outage. An
#   embedding source may fall back only to the same model (self-hosted, or on another provider).
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP305.md
#     description: Rule documentation
# custom:
#   id: LP305
#   severity: error
#   remediation: |
#     Fall back to a source with the same role; for an embedding source, to the same model served
#     elsewhere (for example the open embedding model self-hosted), or keep a second index built
#     with the fallback model and waive the finding with that reason.
#   tags: [availability]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: docs-search
#         owner: search-team@example.com
#       data:
#         classes: [public]
#       sources:
#         - id: embed
#           sector: cloud_api
#           provider: openai
#           model: text-embedding-3-large
#           role: embedding
#         - id: embed-backup
#           sector: cloud_api
#           provider: mistral
#           model: mistral-embed
#           role: embedding
#       routing:
#         strategy: fallback
#         routes:
#           - {name: index-and-query, to: embed}
#         fallbacks:
#           - {from: embed, to: [embed-backup]}  # LP305: another embedding model
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: docs-search
#         owner: search-team@example.com
#       data:
#         classes: [public]
#       sources:
#         - id: embed
#           sector: cloud_api
#           provider: openai
#           model: text-embedding-3-large
#           role: embedding
#         - id: embed-backup
#           sector: cloud_api
#           provider: azure-openai
#           model: text-embedding-3-large
#           role: embedding
#       routing:
#         strategy: fallback
#         routes:
#           - {name: index-and-query, to: embed}
#         fallbacks:
#           - {from: embed, to: [embed-backup]}
package llm_policy.rules.lp305

import data.llm_policy.lib

_role(src) := object.get(src, "role", "chat")

_edges contains [k, m, from, target] if {
	some [k, m, from_id, to_id] in data.llm_policy.lib.fallback_edges
	from := lib.source_by_id(from_id)
	target := lib.source_by_id(to_id)
}

# Another role.
findings contains f if {
	some [k, m, from, target] in _edges
	_role(from) != _role(target)
	f := {
		"id": "LP305",
		"severity": "error",
		"msg": sprintf("Source %q (role %s) falls back to %q (role %s), which cannot do its job, so the outage is not covered. Fall back to a source with role %s.", [
			from.id, _role(from), target.id, _role(target), _role(from),
		]),
		"path": ["routing", "fallbacks", k, "to", m],
		"source_id": from.id,
	}
}

# Another embedding model.
findings contains f if {
	some [k, m, from, target] in _edges
	_role(from) == "embedding"
	_role(target) == "embedding"
	lower(from.model) != lower(target.model)
	f := {
		"id": "LP305",
		"severity": "error",
		"msg": sprintf("Embedding source %q (%s) falls back to %q, another model (%s): its vectors do not match the index built with %s, so search returns noise during the outage. Fall back to %s served elsewhere, or keep a second index for the fallback model.", [
			from.id, from.model, target.id, target.model, from.model, from.model,
		]),
		"path": ["routing", "fallbacks", k, "to", m],
		"source_id": from.id,
	}
}
