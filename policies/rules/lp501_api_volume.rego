# METADATA
# title: Per-token API at a volume where self-hosting is likely cheaper
# description: |
#   Cloud APIs (and open weights served by a provider's platform) are priced per token, so their cost
#   grows linearly with traffic, while a self-hosted open model costs roughly the same whether it
#   serves a hundred or many thousand requests an hour. From about a thousand requests per hour
#   (requests_per_hour_threshold in the tables), a self-hosted or private deployment of a
#   comparable open model is usually cheaper and also removes the provider dependency. The rule
#   judges the traffic each source really receives: the routes and escalations that reach it
#   (`requests_per_hour` or `share_percent` of `project.requests_per_hour` on each), so a layered
#   or migration pattern whose bulk is self-hosted does not warn; a source reached only as a
#   fallback carries no traffic in normal operation. Where the routes do not say, the whole
#   project's volume counts. This is an economic hint, not a compliance failure.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP501.md
#     description: Rule documentation
# custom:
#   id: LP501
#   severity: warning
#   remediation: |
#     Compare the API bill at the source's volume with the cost of serving an open model yourself;
#     route the bulk of the traffic (for example simple requests in a layered routing) to a
#     self-hosted or private source and keep the API for what needs it, and declare each route's
#     `requests_per_hour` or `share_percent` so the rule sees the split.
#   tags: [cost]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: docs-search
#         owner: search-team@example.com
#         requests_per_hour: 5000  # LP501: at or above the 1,000 threshold
#       data:
#         classes: [public]
#       sources:
#         - id: gpt4o
#           sector: cloud_api
#           provider: openai
#           model: gpt-4o-2024-08-06
#         - id: claude
#           sector: cloud_api
#           provider: anthropic
#           model: claude-sonnet-4
#       routing:
#         strategy: fallback
#         routes:
#           - {name: all, to: gpt4o}
#         fallbacks:
#           - {from: gpt4o, to: [claude]}
#           - {from: claude, to: [gpt4o]}
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: docs-search
#         owner: search-team@example.com
#         requests_per_hour: 300
#       data:
#         classes: [public]
#       sources:
#         - id: gpt4o
#           sector: cloud_api
#           provider: openai
#           model: gpt-4o-2024-08-06
#         - id: claude
#           sector: cloud_api
#           provider: anthropic
#           model: claude-sonnet-4
#       routing:
#         strategy: fallback
#         routes:
#           - {name: all, to: gpt4o}
#         fallbacks:
#           - {from: gpt4o, to: [claude]}
#           - {from: claude, to: [gpt4o]}
package llm_policy.rules.lp501

import data.llm_policy.lib

_threshold := data.llm_policy.lib.tables.requests_per_hour_threshold

_project_rph := data.llm_policy.lib.project.requests_per_hour

# The routes and escalations that send a source primary traffic: [path of the entry, entry].
_inbound(id) := {[["routing", "routes", k], r] | some k, r in data.llm_policy.lib.routes; r.to == id} | {[["routing", "escalations", k], e] |
	some k, e in data.llm_policy.lib.escalations
	e.to == id
}

# An entry's volume times 100 (whole-percent shares stay integers on both engines), with the
# key that declares it.
_volume(entry) := [entry.requests_per_hour * 100, "requests_per_hour"] if {
	is_number(entry.requests_per_hour)
} else := [_project_rph * entry.share_percent, "share_percent"] if {
	is_number(entry.share_percent)
	is_number(_project_rph)
}

# The per-token sources with primary traffic: cloud APIs and open weights served by a provider's
# platform (a vendor's private deployment is priced by capacity, not by token).
_billed contains [i, src] if {
	some [i, src] in data.llm_policy.lib.sources
	_per_token(src)
	not lib.fallback_only(src)
}

_per_token(src) if src.sector == "cloud_api"

_per_token(src) if {
	src.sector == "open_source"
	src.hosting == "provider"
}

# Every route and escalation that reaches the source says how much traffic it carries.
_known(id) if {
	inbound := _inbound(id)
	count(inbound) > 0
	every item in inbound {
		_volume(item[1])
	}
}

# Judged by the traffic its routes and escalations declare.
findings contains f if {
	some [_, src] in _billed
	_known(src.id)
	inbound := _inbound(src.id)
	total := sum([v | some item in inbound; [v, _] := _volume(item[1])])
	total >= _threshold * 100
	[path, entry] := min(inbound)
	[_, key] := _volume(entry)
	f := {
		"id": "LP501",
		"severity": "warning",
		"msg": sprintf("Source %q, billed per token by %s, receives about %d requests per hour through its routes and escalations, at or above %d, where a self-hosted or private deployment of an open model is usually cheaper. Compare the costs and route the bulk of the traffic to a self-hosted source.", [
			src.id, _provider(src), floor(total / 100), _threshold,
		]),
		"path": array.concat(path, [key]),
		"source_id": src.id,
	}
}

# The routes do not say: the whole project's volume counts.
findings contains f if {
	is_number(_project_rph)
	_project_rph >= _threshold
	some [_, src] in _billed
	not _known(src.id)
	f := {
		"id": "LP501",
		"severity": "warning",
		"msg": sprintf("Source %q, billed per token by %s, serves a project with %d requests per hour, at or above %d, where a self-hosted or private deployment of an open model is usually cheaper. Compare the costs and route the bulk of the traffic to a self-hosted source; declare requests_per_hour or share_percent on the routes that reach it if it gets only part of the traffic.", [
			src.id, _provider(src), _project_rph, _threshold,
		]),
		"path": ["project", "requests_per_hour"],
		"source_id": src.id,
	}
}

_provider(src) := src.provider if {
	is_string(src.provider)
} else := "its provider"
