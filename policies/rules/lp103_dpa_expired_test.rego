package llm_policy.rules.lp103_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp103

run(m) := fs if {
	fs := lp103.findings with input as m with data.llm_policy.context.today as fx.today
}

with_expiry(expires, classes) := fx.manifest({}, classes, [fx.cloud("gpt4o", "openai", {"dpa": {"expires": expires}})])

test_expired_dpa_fails if {
	fs := run(with_expiry("2026-11-26", ["personal"]))
	count(fs) == 1
	some f in fs
	f.id == "LP103"
	f.severity == "error"
	f.path == ["sources", 0, "dpa", "expires"]
	f.source_id == "gpt4o"
	contains(f.msg, `The DPA DPA-2025-014 of source "gpt4o" expired on 2026-11-26 (evaluated on 2026-11-27)`)
}

test_dpa_valid_through_its_expiry_date if {
	count(run(with_expiry(fx.today, ["personal"]))) == 0
}

test_future_expiry_passes if {
	count(run(with_expiry("2027-12-31", ["personal"]))) == 0
}

test_open_ended_dpa_passes if {
	src := fx.replace(fx.cloud("gpt4o", "openai", {}), "dpa", fx.without(fx.valid_dpa, ["expires"]))
	count(run(fx.manifest({}, ["personal"], [src]))) == 0
}

test_expired_dpa_for_internal_data_is_a_warning if {
	fs := run(with_expiry("2020-01-01", ["internal"]))
	some f in fs
	f.severity == "warning"
}

test_expiry_follows_the_evaluation_date if {
	m := with_expiry("2026-11-26", ["personal"])
	count(lp103.findings) == 0 with input as m with data.llm_policy.context.today as "2026-11-26"
}

test_expired_dpa_on_a_private_source_is_reported_too if {
	src := fx.private("nim", "nvidia-nim", {"dpa": object.union(fx.valid_dpa, {"expires": "2026-01-31"})})
	fs := run(fx.manifest({}, ["confidential"], [src]))
	some f in fs
	f.source_id == "nim"
}
