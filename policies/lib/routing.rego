# Helpers over `routing`: which source serves which traffic, which backs up which (failover),
# which passes hard requests to which (escalation), and whether a backup is really independent.
package llm_policy.lib

routing := object.get(input, "routing", {})

routes := object.get(routing, "routes", [])

fallbacks := object.get(routing, "fallbacks", [])

escalations := object.get(routing, "escalations", [])

# [k, m, from, to]: the m-th target `to` of the k-th fallback chain, which backs up `from`.
fallback_edges contains [k, m, fb.from, t] if {
	some k, fb in fallbacks
	some m, t in fb.to
}

# [k, from, to]: the k-th escalation.
escalation_edges contains [k, e.from, e.to] if some k, e in escalations

# --- traffic -------------------------------------------------------------------------------

_route_targets := {r.to | some r in routes}

_escalation_targets := {e.to | some e in escalations}

_fallback_targets := {t | some [_, _, _, t] in fallback_edges}

# The sources that receive primary traffic: a route's or an escalation's target, or a source that
# is nobody's fallback.
_primary_ids := {src.id | some [_, src] in sources; _receives_primary(src)}

_receives_primary(src) if src.id in _route_targets

_receives_primary(src) if src.id in _escalation_targets

_receives_primary(src) if not src.id in _fallback_targets

# A source reached only as the fallback of sources with primary traffic: it carries traffic only
# during an outage, so it needs no fallback of its own (LP301) and costs nothing at normal volume
# (LP501). A fallback cycle that no primary source leads into counts as primary (fail closed).
fallback_only(src) if src.id in _reached_as_fallback

_reached_as_fallback := graph.reachable(_failover_graph, _primary_ids) - _primary_ids

# --- data flow -----------------------------------------------------------------------------

# The classes an escalation lets through: its own `data_classes`, by default any class, so that it
# carries whatever reaches the escalating source (its own classes, and those it receives when it
# stands in for another source).
escalated_classes(e) := {c | some c in e.data_classes} if {
	is_array(e.data_classes)
} else := {c | some c in manifest_classes}

# Per data class, the graph along which that class can travel: every failover edge (a backup
# takes all the traffic) and the escalations that carry the class. Every source is a node
# (graph.reachable ignores nodes that are not keys); adjacency is indexed once, not per source.
_flow_graph(c) := _failover_graph if {
	count(escalations) == 0
} else := {id: _flow_targets(id, c) |
	some [_, src] in sources
	id := src.id
}

_flow_targets(id, c) := object.get(_failover_adjacency, id, set()) | object.get(_escalation_adjacency, concat("|", [c, id]), set())

# An index of each source's failover targets, built in one pass over the edges. regorus leaves a
# multi-value rule without values undefined where OPA gives {}: the `else` makes both give {}.
_failover_adjacency := adjacency if {
	adjacency := _failover_targets
} else := {}

_failover_targets[f] contains t if some [_, _, f, t] in fallback_edges

_escalation_adjacency := {key: targets |
	some e in escalations
	some c in escalated_classes(e)
	key := concat("|", [c, e.from])
	targets := {x.to | some x in escalations; x.from == e.from; c in escalated_classes(x)}
}

# The sources that receive class c on their own (their declared `data_classes`, before any
# redaction: the raw traffic is what travels on when another source takes it over).
_own_receivers(c) := {src.id | some [_, src] in sources; c in declared_classes(src)}

# The ids of every source class c can reach, through any chain of failovers and escalations
# (graph.reachable terminates on cycles), starting from the sources that receive it.
class_reach(c) := graph.reachable(_flow_graph(c), _own_receivers(c))

# The sources whose own class c reaches `id` (for messages): `id` itself when it receives c.
class_origins(c, id) := {o |
	some o in _own_receivers(c)
	id in graph.reachable(_flow_graph(c), {o})
}

# The classes, as declared (before the source's own redaction control), that reach a source: its
# own, and those it takes over as a backup or receives through an escalation (LP106, LP109, stores).
reaching_classes(src) := {c | some c, reach in _class_reach; src.id in reach}

# [class, from, to, kind, path] for every edge along which a class reaches a source that does not
# receive it on its own (as it arrives there: after the target's own redaction control, see
# received_as); computed once for LP302 (failover) and LP304 (escalation).
_class_reach := {c: class_reach(c) | some c in manifest_classes}

handovers contains [c, from, target, "failover", ["routing", "fallbacks", k, "to", m]] if {
	some c, reach in _class_reach
	some [k, m, from_id, to_id] in fallback_edges
	from_id in reach
	target := source_by_id(to_id)
	not received_as(target, c) in source_classes(target)
	from := source_by_id(from_id)
}

handovers contains [c, from, target, "escalation", ["routing", "escalations", k, "to"]] if {
	some c, reach in _class_reach
	some k, e in escalations
	e.from in reach
	c in escalated_classes(e)
	target := source_by_id(e.to)
	not received_as(target, c) in source_classes(target)
	from := source_by_id(e.from)
}

# Where a handed-over class came from, as a clause for messages: empty when `from` receives it
# itself, else the sources whose data it is.
handover_origin(c, from) := "" if {
	c in declared_classes(from)
} else := sprintf(" (the %s data that reaches it from %s)", [c, concat(", ", sort(class_origins(c, from.id)))])

# --- residency duties ----------------------------------------------------------------------

has_ru_duty if {
	some code in jurisdictions
	in_ru(code)
}

has_eea_duty if {
	some code in jurisdictions
	in_eea(code)
}

# The effective region of a source that would take personal data out of Russia for a project
# under 152-FZ; undefined when it is in Russia or unknown.
ru_breach(src) := region if {
	has_ru_duty
	region := effective_region(src)
	not in_ru(region.region)
}

# The effective region of a source that would take personal data out of the EU/EEA for a
# project under GDPR; undefined when it is in the EEA, in a country with an adequacy decision
# (or the US under a verified DPF certification: lib.gdpr_adequate), or unknown.
eea_breach(src) := region if {
	has_eea_duty
	region := effective_region(src)
	not in_eea(region.region)
	not gdpr_adequate(region.region, src)
}

# Whether `to` may not lawfully take over the personal data of `from` under the project's
# residency duties where `from` may: 152-FZ keeps it in Russia; GDPR keeps it in the EEA unless
# `to` declares a transfer mechanism. A duty that `from` itself breaches (a project under both
# 152-FZ and GDPR cannot meet both) is LP401's and LP402's, not a reason to refuse the backup;
# unknown regions are left to them as well.
residency_blocks(from, to) if {
	some c in declared_classes(from)
	is_personal_class(received_as(to, c))
	ru_breach(to)
	not ru_breach(from)
}

residency_blocks(from, to) if {
	some c in declared_classes(from)
	is_personal_class(received_as(to, c))
	eea_breach(to)
	not eea_breach(from)
	not transfer_mechanism(to)
}

# --- independence --------------------------------------------------------------------------

# Who a source depends on to run: the corporate group of its provider when the provider runs it
# (cloud API, `hosting: provider`) or hosts the project's tenant (`hosting: own_cloud` with a
# provider), else "self" (the project's own hardware or perimeter). Undefined for a provider-hosted
# source without a provider: nothing can be shown independent of it.
operator_group(src) := provider_group(src) if {
	provider_hosted(src)
} else := provider_group(src) if {
	src.hosting == "own_cloud"
	is_string(src.provider)
} else := "self" if {
	not provider_hosted(src)
}

# operator_group of every source that takes part in a failover, computed once per evaluation
# (the catalog lookups behind it are the costly part of comparing sources edge by edge).
_groups := {id: g |
	some id in _fallback_participants
	g := operator_group(source_by_id(id))
}

_fallback_participants := {id | some [_, _, f, t] in fallback_edges; some id in [f, t]}

# operator_group, from the index when the source takes part in a failover.
group_of(src) := _groups[src.id] if {
	_groups[src.id]
} else := operator_group(src)

# The provider's corporate group per the catalog (gigachat and sbercloud are both "sber"); a
# provider without one is its own group.
provider_group(src) := g if {
	k := provider_name(src.provider)
	g := object.get(catalog.providers[k], "group", k)
} else := lower(src.provider)

# Both sources declare one account (compared case-insensitively, ignoring surrounding spaces).
same_account(a, b) if {
	is_string(a.account)
	is_string(b.account)
	lower(trim_space(a.account)) == lower(trim_space(b.account))
}

# Whether `b` keeps working when whatever runs `a` fails: another corporate group (or the
# project's own infrastructure) and another account. The sector label does not matter.
independent(a, b) if {
	group_of(a) != group_of(b)
	not same_account(a, b)
}

# Why `b` is no independent backup for `a`, for messages.
dependence(a, b) := sprintf("%s: same account %s", [b.id, trim_space(b.account)]) if {
	same_account(a, b)
} else := sprintf("%s: provider of %s not declared", [b.id, a.id]) if {
	not group_of(a)
} else := sprintf("%s: provider of %s not declared", [b.id, b.id]) if {
	not group_of(b)
} else := sprintf("%s: same provider %s", [b.id, provider_identity(b)]) if {
	group_of(a) == group_of(b)
	provider_identity(a) == provider_identity(b)
} else := sprintf("%s: same corporate group %s", [b.id, group_of(b)]) if {
	group_of(a) == group_of(b)
} else := sprintf("%s: would take personal data outside the project's residency jurisdiction", [b.id])

# The ids of every source a source's failovers reach, directly or through other sources'
# fallbacks (the chain an outage walks), without the source itself.
failover_reach(id) := graph.reachable(_failover_graph, {id}) - {id}

_failover_graph := {id: object.get(_failover_adjacency, id, set()) | some [_, src] in sources; id := src.id}
