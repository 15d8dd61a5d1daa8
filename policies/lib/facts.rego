# Facts over claims (issue 12, sections 1 and 3): what the catalog knows about a provider outranks
# what a manifest declares about it. Helpers for the residency, transfer, availability and
# provider-identity rules (LP401-LP406, LP503).
package llm_policy.lib

# --- resellers -----------------------------------------------------------------------------

# A source may name the reseller or proxy it contracts with in `via`; `provider` stays the
# upstream that runs inference, whose facts decide. The clause appended to messages about it.
via_note(src) := sprintf(" Contracting via %s does not move inference: %s's facts decide.", [src.via, src.provider]) if {
	is_string(src.via)
	is_string(src.provider)
} else := ""

# --- declared regions that contradict the catalog ------------------------------------------

# The catalog entry of the hosting provider when a source declares a region that provider does
# not offer: the declaration cannot be where inference runs.
region_contradicted_by(src) := p if {
	is_string(src.region)
	p := hosting_provider(src)
	is_array(p.regions)
	not provider_offers_region(p, src.region)
}

# --- GDPR transfers (Art. 44-49) -----------------------------------------------------------

# (Input-dependent sets such as the project's GDPR jurisdiction are computed in the rule packages:
# regorus 0.13 does not apply `with input` to a complete rule of this package that reads another
# input-dependent rule of it.)

# Whether a project jurisdiction brings in the GDPR.
gdpr_applies(codes) if {
	some code in codes
	in_eea(code)
}

# Where a source's personal data is processed, by facts: the catalog's regions when the declared
# region contradicts them and every catalog region is outside the EU/EEA, else the effective
# region (declared, or the provider's only region).
transfer_destination(src) := {
	"regions": sort(p.regions),
	"basis": "catalog",
	"verification": p.evidence.regions.verification,
	"reference": p.evidence.regions.source,
	"claimed": src.region,
} if {
	p := region_contradicted_by(src)
	every r in p.regions {
		not in_eea(r)
	}
} else := {
	"regions": [r.region],
	"basis": r.basis,
	"verification": r.verification,
	"reference": r.reference,
	"claimed": null,
} if {
	r := effective_region(src)
}

# A country personal data may go to without further safeguards: an Art. 45 adequacy decision
# (tables.gdpr_adequacy), or the US Data Privacy Framework when the catalog says the provider is
# certified on a verified fact (an unverified certification does not lift the duty).
gdpr_adequate(region, _) if tables.gdpr_adequacy.countries[region]

gdpr_adequate(region, src) if {
	tables.gdpr_adequacy.dpf_countries[region]
	p := provider(src.provider)
	p.dpf_certified == true
	p.evidence.dpf_certified.verification != "unverified"
}

# A source's declared transfer mechanism (e.g. EU SCCs), when it is not blank.
transfer_mechanism(src) := src.dpa.transfer_mechanism if {
	is_string(src.dpa.transfer_mechanism)
	trim_space(src.dpa.transfer_mechanism) != ""
}

transfer_impact_assessment(src) := src.dpa.transfer_impact_assessment if {
	is_string(src.dpa.transfer_impact_assessment)
	trim_space(src.dpa.transfer_impact_assessment) != ""
}

# The transfer of source `src`'s personal data out of the EU/EEA to a country without adequacy:
# {"classes" (sorted), "destination", "countries" (the non-adequate ones)}; undefined when there is
# none. The caller checks that GDPR applies to the project.
gdpr_transfer(src) := t if {
	classes := sort({c | some c in source_classes(src); is_personal_class(c)})
	count(classes) > 0
	dest := transfer_destination(src)
	countries := sort({r | some r in dest.regions; not in_eea(r); not gdpr_adequate(r, src)})
	count(countries) > 0
	t := {"classes": classes, "destination": dest, "countries": countries}
}

# --- availability and sanctions per jurisdiction ------------------------------------------

# The availability facts of a provider that apply to a project jurisdiction: its own code, and
# for EU/EEA members the provider's "EU" / "EEA" entries.
availability_keys(code) := {code, "EU", "EEA"} if {
	in_eu(code)
} else := {code, "EEA"} if {
	in_eea(code)
} else := {code}

# --- did you mean --------------------------------------------------------------------------
#
# Rego has no edit distance, and recursion is not allowed, so suggestions compare normalised
# names (lowercase ASCII letters and digits only: `open-ai`, `Open_AI` and `оpenai` with a
# Cyrillic о all lose what is not [a-z0-9]) against every catalog provider id and alias, and
# accept an exact match or one edit: one character inserted, deleted or replaced, or two
# adjacent characters swapped (`opneai`). That is a bounded comprehension over positions,
# evaluated only for names the catalog does not know.

normalise_name(s) := concat("", regex.find_n(`[a-z0-9]`, lower(s), -1))

# Every name the catalog accepts for a provider: [normalised name, canonical provider id]. A
# function, not a rule: every rule of this package is evaluated for every manifest (a rule that
# reads `lib.x` makes regorus evaluate the whole package), and normalising ~100 names costs more
# than the rest of the package together, while only a misspelt provider needs them.
_provider_names(providers, aliases) := {[normalise_name(k), k] | some k, _ in providers} | {[normalise_name(alias), k] | some alias, k in aliases}

# The canonical provider ids a misspelt name is probably meant to be (sorted, possibly empty).
provider_suggestions(name) := sorted if {
	n := normalise_name(name)
	names := _provider_names(catalog.providers, catalog.provider_aliases)
	sorted := sort({k | some [c, k] in names; c != ""; within_one_edit(n, c)})
}

within_one_edit(a, b) if a == b

# One replaced character, or two adjacent characters swapped.
within_one_edit(a, b) if {
	count(a) == count(b)
	count(a) > 0
	diff := {k | some k in numbers.range(0, count(a) - 1); substring(a, k, 1) != substring(b, k, 1)}
	_replace_or_swap(a, b, diff)
}

within_one_edit(a, b) if _one_deletion(a, b)

within_one_edit(a, b) if _one_deletion(b, a)

_replace_or_swap(_, _, diff) if count(diff) == 1

_replace_or_swap(a, b, diff) if {
	count(diff) == 2
	k := min(diff)
	k + 1 in diff
	substring(a, k, 1) == substring(b, k + 1, 1)
	substring(a, k + 1, 1) == substring(b, k, 1)
}

# `long` with one character removed is `short`.
_one_deletion(long, short) if {
	count(long) == count(short) + 1
	some k in numbers.range(0, count(short))
	concat("", [substring(long, 0, k), substring(long, k + 1, -1)]) == short
}

# " Did you mean X?" for messages, or "" when nothing is close.
did_you_mean(name) := sprintf(" Did you mean %s?", [concat(" or ", s)]) if {
	s := provider_suggestions(name)
	count(s) > 0
} else := ""

# Whether a source names its provider (negate this, never `is_string(src.provider)`: see the
# portability rule in manifest.rego).
names_provider(src) if is_string(src.provider)
