# Helpers over the manifest (`input`, exactly as written in llm-sourcing.yaml) and the run-time
# context. They apply the contract's defaults in one place, so that a rule never stops
# evaluating just because an optional key is absent.
#
# Portability rule for every policy here: never negate a call whose argument may be undefined
# (`not is_string(src.region)`). OPA evaluates the argument outside the negation, so the whole
# expression fails, while regorus treats it as true. Negate a helper that takes the whole object
# instead (`not has_region(src)`).
package llm_policy.lib

tables := data.llm_policy.tables

# Project facts, with the defaults of the manifest contract (issue 2).
project := object.get(input, "project", {})

customer_facing := object.get(project, "customer_facing", false)

commercial := object.get(project, "commercial", true)

jurisdictions := {j | some j in object.get(project, "jurisdictions", [])}

# Every data class the project sends to any model.
manifest_classes := object.get(object.get(input, "data", {}), "classes", [])

# The manifest's sources as [index, source] pairs, for rules that build paths.
sources contains [i, src] if some i, src in object.get(input, "sources", [])

# The source with the given id (ids are unique per the schema). An index built once per
# evaluation: a lookup per fallback edge would otherwise scan every source.
source_by_id(id) := _sources_by_id[id]

_sources_by_id := {src.id: src | some src in object.get(input, "sources", [])}

# The data classes a source is declared to receive, before any redaction control: its own
# `data_classes`, by default all of `data.classes`. This is what its traffic carries when a backup
# takes it over or it escalates (routing.rego): a control in front of one source is not assumed
# to sit in front of another.
declared_classes(src) := src.data_classes if {
	is_array(src.data_classes)
} else := manifest_classes

# The data classes a source receives: its declared classes, each as it arrives after the source's
# own redaction control (redaction.rego: applied only with evidence and while LP109 reports it).
# The single point where received classes are computed: LP101, LP102, LP105, LP401, LP402 and the
# transfer helpers read this, LP302 and LP304 the same lowering through received_as. A collection
# to use with `in` and `some ... in`: the declared array itself for a source without a control (the
# common case, evaluated per source and per fallback edge: no set is built), else a set.
source_classes(src) := declared_classes(src) if {
	not declares_redaction(src)
} else := {received_as(src, c) | some c in declared_classes(src)}

# Path of the manifest node to fix when `src` (at index i) must not receive class c: the class in
# the source's own `data_classes`, the redaction's `leaves` when only the control makes the source
# receive it, or the missing `data_classes` key when the source inherits them.
class_path(i, src, c) := ["sources", i, "data_classes", j] if {
	is_array(src.data_classes)
	j := min({k | some k, x in src.data_classes; x == c})
} else := ["sources", i, "redaction", "leaves"] if {
	some d in declared_classes(src)
	received_as(src, d) == c
	d != c
} else := ["sources", i, "data_classes"]

# Classes that never need a DPA or a training opt-out.
is_public_class(c) if c in tables.public_classes

# Non-public classes whose exposure is a policy preference rather than a legal requirement, so
# DPA findings about them are warnings.
is_low_risk_class(c) if c in tables.low_risk_classes

is_personal_class(c) if c in tables.personal_classes

# The non-public classes a source receives.
non_public_classes(src) := {c | some c in source_classes(src); not is_public_class(c)}

# Severity for findings that only matter for non-public data: a warning when every non-public
# class is low-risk (e.g. only `internal`), else an error.
exposure_severity(classes) := "warning" if {
	every c in classes {
		is_low_risk_class(c)
	}
} else := "error"

# A source runs on infrastructure the project controls: open weights with hosting on_prem or
# own_cloud (an open_source source without `hosting` is self-hosted by definition of the sector).
is_self_hosted(src) if {
	src.sector == "open_source"
	object.get(src, "hosting", "on_prem") in tables.self_hosting
}

# --- dates ---------------------------------------------------------------------------------

# The evaluation date, "YYYY-MM-DD": set by the CLI (`--date`) in data.llm_policy.context.today,
# else the clock (plain `opa eval` / conftest).
today := data.llm_policy.context.today if {
	is_string(data.llm_policy.context.today)
} else := ns_to_date(time.now_ns())

ns_to_date(ns) := sprintf("%04d-%02d-%02d", time.date(ns))

# The date n days after the ISO date d.
add_days(d, n) := ns_to_date(time.add_date(time.parse_ns("2006-01-02", d), 0, 0, n))

# An ISO date from the manifest, as a comparable "YYYY-MM-DD" string; undefined if it is not one.
# (The schema rejects bad dates before policies run; this keeps policies from erroring on them.)
iso_date(v) := substring(v, 0, 10) if {
	is_string(v)
	regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}`, v)
}

# Whether a source declares where its inference runs.
has_region(src) if is_string(src.region)

# --- data processing agreements -------------------------------------------------------------

has_dpa(src) if is_object(src.dpa)

dpa_expired(src) if iso_date(src.dpa.expires) < today

dpa_not_yet_signed(src) if iso_date(src.dpa.signed) > today

# A DPA that is in force today: declared, signed (not in the future) and not expired.
dpa_valid(src) if {
	has_dpa(src)
	not dpa_expired(src)
	not dpa_not_yet_signed(src)
}

training_opt_out(src) if src.dpa.training_opt_out == true

zero_retention(src) if src.dpa.zero_retention == true
