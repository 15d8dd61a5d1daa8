# Data retention and logging (issue 16): how long a provider keeps a source's prompts and outputs
# (LP106), and the project's own data stores (prompt and response logs, vector stores, caches)
# with a residency and retention of their own (LP107, LP108).
package llm_policy.lib

# --- provider retention ----------------------------------------------------------------------

# How long the provider of a provider-hosted source keeps its prompts and outputs, when it can be
# known: {"days", "basis", "verification", "reference", "note"}. A contractual zero data retention
# or retention period (the source's dpa) outranks the provider's default; without one, the catalog's
# default period (abuse monitoring included) applies. Undefined when neither says.
provider_retention(src) := {"days": 0, "basis": "dpa.zero_retention", "verification": "primary", "reference": null, "note": ""} if {
	zero_retention(src)
} else := {"days": src.dpa.retention_days, "basis": "dpa.retention_days", "verification": "primary", "reference": null, "note": ""} if {
	is_number(src.dpa.retention_days)
} else := {
	"days": p.retention_days,
	"basis": "catalog",
	"verification": p.evidence.retention_days.verification,
	"reference": p.evidence.retention_days.source,
	"note": object.get(p.evidence.retention_days, "note", ""),
} if {
	p := hosting_provider(src)
	is_number(p.retention_days)
}

# The longest period the provider_retention_max_days table allows for class c (undefined: no limit).
provider_retention_limit(c) := tables.provider_retention_max_days[c] if {
	is_number(tables.provider_retention_max_days[c])
}

# --- stores ----------------------------------------------------------------------------------

# The manifest's stores as [index, store] pairs, for rules that build paths.
stores contains [i, st] if some i, st in object.get(input, "stores", [])

# The classes that reach the sources naming a store in their `stores`: what they are declared to
# receive, and what reaches them as a backup or an escalation target (routing.rego's class reach).
_writer_classes(id) := {c |
	some c, reach in _class_reach
	some [_, src] in sources
	id in object.get(src, "stores", [])
	src.id in reach
}

# The data classes a store holds: its own `data_classes`; by default every class that reaches the
# sources naming it, before redaction (a log written around a call may hold the raw prompt, and a
# backup's log holds what it took over), or all of `data.classes` when no source names it (fail
# closed).
store_classes(st) := {c | some c in st.data_classes} if {
	is_array(st.data_classes)
} else := _writer_classes(st.id) if {
	count(_writer_classes(st.id)) > 0
} else := {c | some c in manifest_classes}

# The personal classes a store holds, sorted.
store_personal_classes(st) := sort({c | some c in store_classes(st); is_personal_class(c)})

# The longest period the store_retention_max_days table allows for class c (undefined: no limit).
store_retention_limit(c) := tables.store_retention_max_days[c] if {
	is_number(tables.store_retention_max_days[c])
}

# Whether a store declares how long it keeps entries (negate this, never is_number(st.retention_days)).
declares_retention(st) if is_number(st.retention_days)
