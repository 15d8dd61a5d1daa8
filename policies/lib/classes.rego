# Which source may receive which data class, per the class_rules table (data.llm_policy.tables).
# Shared by LP101 (what a source receives) and LP302 (what a fallback target would receive).
package llm_policy.lib

# Why source `src` may not receive data class `c`: a set of {"why", "fix"} objects, empty when it
# may. A class the table does not know is denied (fail closed), so a new class cannot slip through.
class_denials(src, c) := d if {
	rule := tables.class_rules[c]
	d := (_sector_denials(src, c, rule) | _hosting_denials(src, rule)) | _requirement_denials(src, rule)
} else := {{
	"why": sprintf("the class_rules table has no entry for %q", [c]),
	"fix": sprintf("add %q to the class_rules table", [c]),
}}

# The whys and fixes of a set of denials, each joined into one clause (sorted: stable messages).
denial_whys(denials) := concat("; ", sort([d.why | some d in denials]))

denial_fixes(denials) := concat("; ", sort([d.fix | some d in denials]))

_sector_denials(src, c, rule) := {{
	"why": sprintf("sector %s may not receive it (allowed: %s)", [object.get(src, "sector", "(none)"), concat(", ", object.get(rule, "sectors", []))]),
	"fix": sprintf("send %s data only to sources of sector %s", [c, concat(" or ", object.get(rule, "sectors", []))]),
}} if {
	not object.get(src, "sector", "") in object.get(rule, "sectors", [])
} else := set()

_hosting_denials(src, rule) := {{
	"why": sprintf("%s, but only %s is allowed", [_hosting_text(src), concat(" or ", rule.hosting)]),
	"fix": sprintf("run it with hosting: %s", [concat(" or ", rule.hosting)]),
}} if {
	is_array(rule.hosting)
	not object.get(src, "hosting", "") in rule.hosting
} else := set()

_hosting_text(src) := sprintf("its hosting is %s", [src.hosting]) if {
	is_string(src.hosting)
} else := "it declares no hosting"

_requirement_denials(src, rule) := {_requirement_denial(src, name) |
	some name in object.get(rule, ["requirements", requirement_sector(src)], [])
	not requirement_met(src, name)
}

# Whose requirements apply: processor duties follow who runs the model, not the sector label, so
# open weights on a provider's multi-tenant platform and a vendor's "private" model on the vendor's
# cloud (`hosting: provider`) meet the cloud_api requirements, exactly like a cloud API.
requirement_sector(src) := "cloud_api" if {
	provider_hosted(src)
} else := object.get(src, "sector", "")

# The requirements a class_rules entry can name for a sector.
requirement_met(src, "dpa_valid") if dpa_valid(src)

requirement_met(src, "training_opt_out") if training_opt_out(src)

requirement_met(src, "zero_retention") if zero_retention(src)

_requirement_denial(src, name) := _dpa_denial(src) if {
	name == "dpa_valid"
} else := {
	"why": "its dpa does not set training_opt_out: true",
	"fix": "obtain a contractual training opt-out and set dpa.training_opt_out: true",
} if {
	name == "training_opt_out"
} else := {
	"why": "its dpa does not set zero_retention: true",
	"fix": "agree zero data retention with the provider and set dpa.zero_retention: true",
} if {
	name == "zero_retention"
} else := {
	"why": sprintf("the class_rules table names requirement %q, which the policy does not know", [name]),
	"fix": "use one of dpa_valid, training_opt_out, zero_retention in the class_rules table",
}

_dpa_denial(src) := {
	"why": "it declares no dpa",
	"fix": "sign a DPA with the provider and declare it under dpa",
} if {
	not has_dpa(src)
} else := {
	"why": sprintf("its DPA expired on %s", [iso_date(src.dpa.expires)]),
	"fix": "renew the DPA and update dpa.expires",
} if {
	dpa_expired(src)
} else := {
	"why": sprintf("its DPA is signed only on %s", [iso_date(src.dpa.signed)]),
	"fix": "wait until the DPA is signed before sending this data",
}
