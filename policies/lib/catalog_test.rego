package llm_policy.lib_test

import data.llm_policy.lib

test_provider_names_are_case_insensitive_and_aliased if {
	lib.provider_name("OpenAI") == "openai"
	lib.provider_name("YandexGPT") == "yandex"
	lib.provider_name("azure_openai") == "azure-openai"
	lib.provider("claude").id == "anthropic"
	not lib.provider_name("acme")
}

test_provider_identity_falls_back_to_the_written_name if {
	lib.provider_identity({"provider": "Bedrock"}) == "aws-bedrock"
	lib.provider_identity({"provider": "ACME"}) == "acme"
}

test_license_keys_accept_spdx_case_tags_and_licenseref if {
	lib.license_key("Apache-2.0") == "apache-2.0"
	lib.license_key("apache-2.0") == "apache-2.0"
	lib.license_key("llama3.1") == "llama3.1-community"
	lib.license_key("LicenseRef-qwen-research") == "qwen-research"
	lib.license_key("gemma") == "gemma-terms"
	not lib.license_key("acme-eula")
}

test_models_are_looked_up_by_lowercase_repo_id if {
	lib.model("Qwen/Qwen2.5-3B-Instruct").license == "qwen-research"
	lib.known_model({"model": "qwen/qwen2.5-3b-instruct"})
	not lib.known_model({"model": "gpt-4o"})
}

test_source_license_prefers_the_catalog_checkpoint if {
	sl := lib.source_license({"model": "Qwen/Qwen2.5-3B-Instruct", "license": "Apache-2.0"})
	sl.key == "qwen-research"
	sl.basis == "catalog"
	declared := lib.source_license({"model": "acme/x", "license": "MIT"})
	declared.key == "mit"
	declared.basis == "declared"
	not lib.source_license({"model": "acme/x", "license": "acme-eula"})
}

test_licensed_sources if {
	lib.is_licensed({"sector": "open_source"})
	lib.is_licensed({"sector": "private"})
	lib.is_licensed({"sector": "cloud_api", "license": "MIT"})
	not lib.is_licensed({"sector": "cloud_api"})
}

test_regions if {
	lib.in_eu("DE")
	lib.in_eu("EU")
	not lib.in_eu("NO")
	lib.in_eea("NO")
	lib.in_ru("RU")
	not lib.in_ru("BY")
}

test_effective_region_declared_then_single_provider_region if {
	lib.effective_region({"sector": "cloud_api", "provider": "openai", "region": "US"}).basis == "declared"
	r := lib.effective_region({"sector": "cloud_api", "provider": "gigachat"})
	r.region == "RU"
	r.basis == "catalog"
	r.verification == "secondary"
	not lib.effective_region({"sector": "cloud_api", "provider": "openai"})
	not lib.effective_region({"sector": "private", "provider": "sbercloud", "hosting": "on_prem"})
	lib.effective_region({"sector": "private", "provider": "sbercloud", "hosting": "provider"}).region == "RU"
}

test_provider_offers_member_states_through_eu if {
	p := {"regions": ["EU", "US"]}
	lib.provider_offers_region(p, "US")
	lib.provider_offers_region(p, "FR")
	not lib.provider_offers_region(p, "NO")
	not lib.provider_offers_region({"regions": ["DE"]}, "EU")
}

test_weakest_level_and_severity_cap if {
	lib.weakest(["primary", "secondary"]) == "secondary"
	lib.weakest({"primary"}) == "primary"
	lib.weakest(["primary", "typo"]) == "unverified"
	lib.cap_severity("error", "unverified") == "warning"
	lib.cap_severity("error", "secondary") == "error"
	lib.cap_severity("info", "unverified") == "info"
	lib.unverified_note("primary") == ""
	contains(lib.unverified_note("unverified"), "unverified catalog fact")
}

test_evidence_omits_a_missing_reference if {
	lib.evidence("primary", "https://example.org") == {"verification": "primary", "reference": "https://example.org"}
	lib.evidence("primary", null) == {"verification": "primary"}
	lib.region_evidence({"basis": "declared"}) == {}
	lib.region_evidence({"basis": "catalog", "verification": "secondary", "reference": "https://x"}) == {"verification": "secondary", "reference": "https://x"}
}
