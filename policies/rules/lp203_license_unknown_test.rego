package llm_policy.rules.lp203_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp203

run(m) := fs if {
	fs := lp203.findings with input as m with data.llm_policy.context.today as fx.today
}

oss(model, license) := fx.manifest({}, ["internal"], [fx.local("local", {"model": model, "license": license})])

test_unknown_license_and_model_warn_on_both if {
	fs := run(oss("acme/private-7b", "acme-eula"))
	count(fs) == 2
	{f.path | some f in fs} == {["sources", 0, "license"], ["sources", 0, "model"]}
	every f in fs {
		f.id == "LP203"
		f.severity == "warning"
		f.source_id == "local"
	}
	some f in fs
	contains(f.msg, `Source "local" declares license acme-eula, which the catalog does not know`)
}

test_unknown_model_with_a_known_license_warns_on_the_model if {
	fs := run(oss("acme/private-7b", "Apache-2.0"))
	count(fs) == 1
	some f in fs
	f.path == ["sources", 0, "model"]
	contains(f.msg, "runs model acme/private-7b, which the catalog does not know")
}

test_known_model_and_license_pass if {
	count(run(oss("bigcode/starcoder2-15b", "bigcode-openrail-m"))) == 0
}

test_unknown_license_on_a_known_model_is_left_to_lp202 if {
	count(run(oss("bigcode/starcoder2-15b", "openrail"))) == 0
}

test_private_deployment_of_a_vendor_model_without_license_passes if {
	src := fx.without(fx.private("yagpt", "yandex-private", {"model": "yandexgpt-pro"}), ["license"])
	count(run(fx.manifest({}, ["internal"], [src]))) == 0
}

test_private_deployment_with_an_unknown_license_warns if {
	src := fx.private("yagpt", "yandex-private", {"model": "yandexgpt-pro", "license": "yandex-onprem-eula"})
	fs := run(fx.manifest({}, ["internal"], [src]))
	{f.path | some f in fs} == {["sources", 0, "license"]}
}

test_cloud_api_models_are_not_catalog_models if {
	count(run(fx.manifest({}, ["internal"], [fx.cloud("gpt4o", "openai", {})]))) == 0
}

test_a_non_commercial_spdx_id_is_not_unknown if {
	src := fx.local("acme", {"model": "acme/acme-chat-7b", "license": "CC-BY-NC-SA-4.0"})
	fs := run(fx.manifest({}, ["internal"], [src]))
	count(fs) == 1
	some f in fs
	f.path == ["sources", 0, "model"]
}
