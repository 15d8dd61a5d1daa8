package llm_policy.rules.lp201_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp201

run(m) := fs if {
	fs := lp201.findings with input as m with data.llm_policy.context.today as fx.today
}

oss(model, license) := fx.local("local", {"model": model, "license": license})

test_research_only_checkpoint_in_a_commercial_project_fails if {
	# Declared Apache-2.0 (like the 7B), but the 3B checkpoint is research-only.
	fs := run(fx.manifest({}, ["internal"], [oss("Qwen/Qwen2.5-3B-Instruct", "Apache-2.0")]))
	count(fs) == 1
	some f in fs
	f.id == "LP201"
	f.severity == "error"
	f.path == ["sources", 0, "model"]
	f.source_id == "local"
	f.verification == "secondary"
	f.reference == data.llm_policy.catalog.licenses["qwen-research"].source
	contains(f.msg, "runs Qwen/Qwen2.5-3B-Instruct under qwen-research, which does not allow commercial use")
}

test_commercial_is_the_default if {
	m := fx.manifest({}, ["internal"], [oss("Qwen/Qwen2.5-3B-Instruct", "qwen-research")])
	count(run(object.union(m, {"project": fx.without(m.project, ["commercial"])}))) == 1
}

test_research_only_checkpoint_in_a_non_commercial_project_passes if {
	count(run(fx.manifest({"commercial": false}, ["internal"], [oss("Qwen/Qwen2.5-3B-Instruct", "qwen-research")]))) == 0
}

test_permissive_sibling_checkpoint_passes if {
	count(run(fx.manifest({}, ["internal"], [oss("Qwen/Qwen2.5-7B-Instruct", "Apache-2.0")]))) == 0
}

test_declared_non_commercial_license_of_an_unknown_model_fails if {
	fs := run(fx.manifest({}, ["internal"], [oss("acme/vision-7b", "CC-BY-NC-4.0")]))
	some f in fs
	f.severity == "error"
	f.path == ["sources", 0, "license"]
	f.verification == "primary"
}

test_non_commercial_license_on_a_private_deployment_fails if {
	src := fx.private("nim", "nvidia-nim", {"model": "mistralai/Mistral-Large-Instruct-2411", "license": "mistral-research-license"})
	fs := run(fx.manifest({}, ["internal"], [src]))
	some f in fs
	f.source_id == "nim"
	f.severity == "error"
}

test_cloud_api_models_are_not_license_checked if {
	count(run(fx.manifest({}, ["internal"], [fx.cloud("gpt4o", "openai", {"model": "Qwen/Qwen2.5-3B-Instruct"})]))) == 0
}

test_unverified_non_commercial_fact_is_only_a_warning if {
	catalog := object.union(data.llm_policy.catalog, {"licenses": {"cc-by-nc-4.0": {"evidence": {"commercial_use": {"verification": "unverified"}}}}})
	fs := lp201.findings with input as fx.manifest({}, ["internal"], [oss("adept/fuyu-8b", "CC-BY-NC-4.0")])
		with data.llm_policy.catalog as catalog
	some f in fs
	f.severity == "warning"
	f.verification == "unverified"
	contains(f.msg, "unverified catalog fact")
}

test_unknown_commercial_terms_warn if {
	# No shipped license has unknown commercial terms any more (Falcon3's was resolved), so make one.
	catalog := object.union(data.llm_policy.catalog, {"licenses": {"tii-falcon-license-2.0": {
		"commercial_use": null,
		"evidence": {"commercial_use": {"verification": "unverified"}},
	}}})
	fs := lp201.findings with input as fx.manifest({}, ["internal"], [oss("tiiuae/Falcon3-7B-Instruct", "falcon-llm-license")])
		with data.llm_policy.context.today as fx.today
		with data.llm_policy.catalog as catalog
	count(fs) == 1
	some f in fs
	f.severity == "warning"
	f.verification == "unverified"
	contains(f.msg, "unverified in the catalog")
}

test_conditional_commercial_terms_warn if {
	fs := run(fx.manifest({}, ["internal"], [oss("someone/yi-34b-old-fork", "yi-license-legacy")]))
	some f in fs
	f.severity == "warning"
	contains(f.msg, "only on conditions (free commercial use after application")
}

test_users_above_the_qwen_cap_fail if {
	fs := run(fx.manifest({"monthly_active_users": 150000000}, ["internal"], [oss("Qwen/Qwen2.5-72B-Instruct", "qwen-license")]))
	count(fs) == 1
	some f in fs
	f.severity == "error"
	f.path == ["project", "monthly_active_users"]
	contains(f.msg, "150000000 monthly active users, above the 100000000 that qwen-license allows")
}

test_users_at_the_cap_pass if {
	count(run(fx.manifest({"monthly_active_users": 100000000}, ["internal"], [oss("Qwen/Qwen2.5-72B-Instruct", "qwen-license")]))) == 0
}

test_users_below_the_llama_cap_pass if {
	count(run(fx.manifest({"monthly_active_users": 150000000}, ["internal"], [oss("meta-llama/Llama-3.1-8B-Instruct", "llama3.1-community")]))) == 0
}

test_users_above_the_llama_cap_fail if {
	fs := run(fx.manifest({"monthly_active_users": 800000000}, ["internal"], [oss("meta-llama/Llama-3.1-8B-Instruct", "llama3.1-community")]))
	count(fs) == 1
}

test_unknown_user_count_is_not_a_finding if {
	count(run(fx.manifest({}, ["internal"], [oss("Qwen/Qwen2.5-72B-Instruct", "qwen-license")]))) == 0
}

test_multimodal_llama_in_an_eu_project_warns if {
	fs := run(fx.manifest({"jurisdictions": ["US", "DE", "EU"]}, ["internal"], [oss("meta-llama/Llama-3.2-11B-Vision-Instruct", "llama3.2-community")]))
	count(fs) == 1
	some f in fs
	f.severity == "warning"
	f.path == ["project", "jurisdictions", 1]
	f.verification == "primary"
	contains(f.msg, "jurisdictions include DE")
}

test_text_only_llama_in_an_eu_project_passes if {
	count(run(fx.manifest({"jurisdictions": ["EU"]}, ["internal"], [oss("meta-llama/Llama-3.2-3B-Instruct", "llama3.2-community")]))) == 0
}

test_multimodal_llama_outside_the_eu_passes if {
	count(run(fx.manifest({"jurisdictions": ["US", "NO"]}, ["internal"], [oss("meta-llama/Llama-3.2-90B-Vision-Instruct", "llama3.2-community")]))) == 0
}

test_unlisted_llama4_checkpoint_still_carries_the_eu_clause if {
	fs := run(fx.manifest({"jurisdictions": ["EU"]}, ["internal"], [oss("meta-llama/Llama-4-Behemoth", "llama4-community")]))
	some f in fs
	f.path == ["project", "jurisdictions", 0]
	f.verification == "secondary"
}

test_unlisted_llama32_checkpoint_is_not_assumed_multimodal if {
	count(run(fx.manifest({"jurisdictions": ["EU"]}, ["internal"], [oss("acme/llama-3.2-finetune", "llama3.2-community")]))) == 0
}

# --- non-commercial licenses recognised by their SPDX id -------------------------------------

nc_source(license) := fx.local("acme", {"model": "acme/acme-chat-7b", "license": license})

test_an_unknown_nc_license_in_a_commercial_project_fails if {
	fs := run(fx.manifest({}, ["internal"], [nc_source("CC-BY-NC-SA-4.0")]))
	count(fs) == 1
	some f in fs
	f.severity == "error"
	f.path == ["sources", 0, "license"]
	contains(f.msg, `Source "acme" runs acme/acme-chat-7b under CC-BY-NC-SA-4.0, a non-commercial license by its id, but the project is commercial`)
}

test_nc_ids_in_every_spelling if {
	every license in ["cc-by-nc-nd-3.0-igo", "LicenseRef-acme-NC-1.0", "PolyForm-Noncommercial-1.0.0", "CC-BY-NC-2.0 AND MIT", "(MIT OR CC-BY-NC-4.0)", "CC-BY-NC-4.0 OR CC-BY-NC-SA-4.0"] {
		count(run(fx.manifest({}, ["internal"], [nc_source(license)]))) == 1
	}
}

test_licenses_that_only_look_non_commercial_pass if {
	every license in ["NCSA", "MIT OR CC-BY-NC-4.0", "acme-license"] {
		count(run(fx.manifest({}, ["internal"], [nc_source(license)]))) == 0
	}
}

test_an_nc_license_in_a_non_commercial_project_passes if {
	count(run(fx.manifest({"commercial": false}, ["internal"], [nc_source("CC-BY-NC-SA-4.0")]))) == 0
}

# --- the Llama MAU clause counts the organisation ---------------------------------------------

test_organisation_users_above_the_llama_cap_fail if {
	fs := run(fx.manifest({"monthly_active_users": 1000, "organisation_monthly_active_users": 800000000}, ["internal"], [fx.local("llama", {})]))
	count(fs) == 1
	some f in fs
	f.severity == "error"
	f.path == ["project", "organisation_monthly_active_users"]
	contains(f.msg, "The licensee and its affiliates have 800000000 monthly active users, above the 700000000 that llama3.1-community allows")
	contains(f.msg, "counted across the licensee and its affiliates in the month before the model's release")
}

test_organisation_users_below_the_cap_pass if {
	count(run(fx.manifest({"organisation_monthly_active_users": 700000000}, ["internal"], [fx.local("llama", {})]))) == 0
}

test_a_product_scoped_cap_ignores_the_organisation if {
	qwen := fx.local("qwen", {"model": "Qwen/Qwen2.5-72B-Instruct", "license": "qwen-license"})
	count(run(fx.manifest({"organisation_monthly_active_users": 200000000}, ["internal"], [qwen]))) == 0
}

test_the_catalog_scope_wins_and_an_unknown_scope_warns if {
	product := object.union(data.llm_policy.catalog, {"licenses": {"llama3.1-community": {"mau_scope": "product"}}})
	m := fx.manifest({"organisation_monthly_active_users": 800000000}, ["internal"], [fx.local("llama", {})])
	count(lp201.findings) == 0 with input as m with data.llm_policy.catalog as product
	tables := fx.tables_with("license_mau_scopes", {})
	fs := lp201.findings with input as m with data.llm_policy.tables as tables
	some f in fs
	f.severity == "warning"
	contains(f.msg, "the catalog does not say whether the cap counts the product or the whole organisation")
}
