package llm_policy.lib_facts_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.lib

test_names_are_normalised_to_ascii_letters_and_digits if {
	lib.normalise_name("Open-AI") == "openai"
	lib.normalise_name("оpenai") == "penai" # a Cyrillic о is dropped, leaving one deletion
	lib.normalise_name("") == ""
}

test_one_edit_covers_replace_insert_delete_and_swap if {
	lib.within_one_edit("openai", "openai")
	lib.within_one_edit("opneai", "openai") # adjacent swap
	lib.within_one_edit("openaj", "openai") # replace
	lib.within_one_edit("openaii", "openai") # insert
	lib.within_one_edit("penai", "openai") # delete
	not lib.within_one_edit("oxnexi", "openai")
	not lib.within_one_edit("aiopen", "openai")
	not lib.within_one_edit("", "ab")
}

test_suggestions_name_canonical_providers if {
	lib.provider_suggestions("opneai") == ["openai"]
	lib.provider_suggestions("open-ai") == ["openai"]
	lib.provider_suggestions("оpenai") == ["openai"]
	lib.provider_suggestions("antropic") == ["anthropic"]
	lib.provider_suggestions("gigachad") == ["gigachat"]
	lib.provider_suggestions("acme-llm") == []
	lib.did_you_mean("opneai") == " Did you mean openai?"
	lib.did_you_mean("acme-llm") == ""
}

test_via_note_names_the_reseller_and_the_upstream if {
	contains(lib.via_note({"via": "proxy-ru", "provider": "openai"}), "Contracting via proxy-ru does not move inference")
	lib.via_note({"provider": "openai"}) == ""
}

test_availability_keys_cover_eu_and_eea_members if {
	lib.availability_keys("DE") == {"DE", "EU", "EEA"}
	lib.availability_keys("NO") == {"NO", "EEA"}
	lib.availability_keys("US") == {"US"}
}

test_contradicted_region_routes_the_transfer_to_the_catalog_regions if {
	src := fx.cloud("claude", "anthropic", {"region": "EU"})
	lib.region_contradicted_by(src).id == "anthropic"
	d := lib.transfer_destination(src)
	d.regions == ["US"]
	d.basis == "catalog"
	d.claimed == "EU"
}

test_declared_region_is_the_destination_when_the_catalog_agrees if {
	d := lib.transfer_destination(fx.cloud("gpt4o", "openai", {"region": "US"}))
	d.regions == ["US"]
	d.basis == "declared"
}

test_adequacy_and_dpf if {
	lib.gdpr_adequate("JP", {})
	lib.gdpr_adequate("GB", {})
	not lib.gdpr_adequate("US", {"provider": "openai"}) # the shipped DPF fact is unverified
	not lib.gdpr_adequate("IN", {"provider": "openai"})
	lib.gdpr_adequate("US", {"provider": "openai"}) with data.llm_policy.catalog as verified_dpf
	not lib.gdpr_adequate("US", {"provider": "anthropic"}) with data.llm_policy.catalog as verified_dpf
}

# The catalog with OpenAI's and Anthropic's DPF facts verified (Anthropic's value stays null).
verified_dpf := object.union(data.llm_policy.catalog, {"providers": {
	"openai": {"evidence": {"dpf_certified": {"verification": "primary"}}},
	"anthropic": {"evidence": {"dpf_certified": {"verification": "primary"}}},
}})

test_gdpr_applies_to_eu_and_eea_jurisdictions if {
	lib.gdpr_applies({"US", "NO"})
	not lib.gdpr_applies({"US", "RU"})
}

test_a_transfer_lists_only_countries_without_adequacy if {
	t := lib.gdpr_transfer(fx.cloud("gpt4o", "openai", {"region": "IN", "data_classes": ["personal", "internal"]}))
	t.countries == ["IN"]
	t.classes == ["personal"]
	not lib.gdpr_transfer(fx.cloud("gpt4o", "openai", {"region": "JP", "data_classes": ["personal"]}))
}

test_blank_transfer_mechanism_and_assessment_count_as_absent if {
	not lib.transfer_mechanism({"dpa": {"transfer_mechanism": "  "}})
	not lib.transfer_impact_assessment({"dpa": {"transfer_impact_assessment": ""}})
	lib.transfer_impact_assessment({"dpa": {"transfer_impact_assessment": "TIA-7"}}) == "TIA-7"
}

test_a_private_source_without_hosting_from_a_cloud_only_provider_is_provider_hosted if {
	lib.provider_hosted(fx.without(fx.private("giga", "gigachat", {}), ["hosting"]))
	not lib.provider_hosted(fx.without(fx.private("nim", "nvidia-nim", {}), ["hosting"]))
	not lib.provider_hosted(fx.private("giga", "gigachat", {})) # vendor_perimeter declared
	not lib.provider_hosted(fx.without(fx.private("acme", "acme-onprem", {}), ["hosting"]))
}
