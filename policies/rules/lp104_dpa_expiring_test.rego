package llm_policy.rules.lp104_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp104

run(m) := fs if {
	fs := lp104.findings with input as m with data.llm_policy.context.today as fx.today
}

with_expiry(expires) := fx.manifest({}, ["personal"], [fx.cloud("gpt4o", "openai", {"dpa": {"expires": expires}})])

test_dpa_expiring_within_30_days_warns if {
	fs := run(with_expiry("2026-12-20"))
	count(fs) == 1
	some f in fs
	f.id == "LP104"
	f.severity == "warning"
	f.path == ["sources", 0, "dpa", "expires"]
	contains(f.msg, `The DPA DPA-2025-014 of source "gpt4o" expires on 2026-12-20, within 30 days of 2026-11-27`)
}

test_threshold_is_inclusive if {
	count(run(with_expiry("2026-12-27"))) == 1
	count(run(with_expiry("2026-12-28"))) == 0
}

test_expiring_today_warns if {
	count(run(with_expiry(fx.today))) == 1
}

test_already_expired_is_lp103_not_lp104 if {
	count(run(with_expiry("2026-11-26"))) == 0
}

test_threshold_comes_from_the_tables if {
	fs := lp104.findings with input as with_expiry("2027-01-20")
		with data.llm_policy.context.today as fx.today
		with data.llm_policy.tables as fx.tables_with("dpa_expiry_warning_days", 60)
	some f in fs
	contains(f.msg, "within 60 days")
}

test_open_ended_dpa_passes if {
	src := fx.replace(fx.cloud("gpt4o", "openai", {}), "dpa", fx.without(fx.valid_dpa, ["expires"]))
	count(run(fx.manifest({}, ["personal"], [src]))) == 0
}
