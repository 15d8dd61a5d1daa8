package llm_policy.rules.lp106_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp106

run(m) := fs if {
	fs := lp106.findings with input as m with data.llm_policy.context.today as fx.today
}

dpa(overrides) := object.union(fx.valid_dpa, overrides)

test_declared_retention_longer_than_the_limit_errs if {
	fs := run(fx.manifest({}, ["personal", "internal"], [fx.cloud("gpt", "openai", {"dpa": dpa({"retention_days": 90})})]))
	count(fs) == 1
	some f in fs
	f.id == "LP106"
	f.severity == "error"
	f.path == ["sources", 0, "dpa", "retention_days"]
	f.source_id == "gpt"
	contains(f.msg, `Cloud API source "gpt" (provider openai) keeps prompts and outputs for 90 days (per dpa.retention_days), longer than the 30 days the provider_retention_max_days table allows for personal data`)
	not f.verification
}

test_the_catalog_default_within_the_limit_passes if {
	count(run(fx.manifest({}, ["personal", "confidential"], [fx.cloud("gpt", "openai", {})]))) == 0
}

test_the_catalog_default_decides_when_the_contract_is_silent if {
	tables := fx.tables_with("provider_retention_max_days", {"personal": 7, "financial": 14})
	fs := run(fx.manifest({}, ["personal", "financial"], [fx.cloud("gpt", "openai", {})])) with data.llm_policy.tables as tables
	some f in fs
	f.severity == "error"
	f.verification == "primary"
	startswith(f.reference, "https://")
	contains(f.msg, "for 30 days (the provider's default per the catalog: scope: abuse_monitoring;")
	contains(f.msg, "the 7 days the provider_retention_max_days table allows for financial, personal data")
}

test_an_unverified_catalog_period_is_at_most_a_warning if {
	tables := fx.tables_with("provider_retention_max_days", {"personal": 7})
	catalog := object.union(data.llm_policy.catalog, {"providers": {"openai": {"evidence": {"retention_days": {"verification": "unverified"}}}}})
	fs := run(fx.manifest({}, ["personal"], [fx.cloud("gpt", "openai", {})])) with data.llm_policy.tables as tables with data.llm_policy.catalog as catalog
	some f in fs
	f.severity == "warning"
	contains(f.msg, "unverified catalog fact")
}

test_zero_retention_passes if {
	count(run(fx.manifest({}, ["personal"], [fx.cloud("gpt", "openai", {"dpa": dpa({"zero_retention": true, "retention_days": 0})})]))) == 0
}

test_an_unknown_period_warns_with_the_catalog_note if {
	fs := run(fx.manifest({}, ["personal", "public"], [fx.cloud("gem", "google-vertex", {})]))
	count(fs) == 1
	some f in fs
	f.severity == "warning"
	f.path == ["sources", 0, "dpa", "retention_days"]
	contains(f.msg, `Cloud API source "gem" (provider google-vertex) receives personal data, but neither its dpa nor the catalog says how long the provider keeps prompts and outputs (the catalog notes: prompt logging for abuse monitoring`)
}

test_an_unknown_provider_warns_without_a_note if {
	fs := run(fx.manifest({}, ["confidential"], [fx.cloud("x", "acme", {})]))
	some f in fs
	f.severity == "warning"
	contains(f.msg, "keeps prompts and outputs, so storage limitation cannot be shown")
}

test_a_declared_period_settles_an_unknown_default if {
	count(run(fx.manifest({}, ["personal"], [fx.cloud("gem", "google-vertex", {"dpa": dpa({"retention_days": 30})})]))) == 0
}

test_zero_retention_with_a_period_contradicts_itself if {
	fs := run(fx.manifest({}, ["public"], [fx.cloud("gpt", "openai", {"dpa": dpa({"zero_retention": true, "retention_days": 30})})]))
	count(fs) == 1
	some f in fs
	f.severity == "error"
	contains(f.msg, `Source "gpt" declares dpa.zero_retention: true and dpa.retention_days: 30, which contradict each other`)
}

test_self_hosted_and_unlimited_classes_pass if {
	count(run(fx.manifest({}, ["personal"], [fx.local("q", {})]))) == 0
	count(run(fx.manifest({}, ["internal", "public"], [fx.cloud("gem", "google-vertex", {"dpa": dpa({"retention_days": 400})})]))) == 0
}

test_open_weights_on_a_provider_platform_count if {
	src := fx.local("q", {"hosting": "provider", "dpa": dpa({"retention_days": 60})})
	fs := run(fx.manifest({}, ["personal"], [src]))
	some f in fs
	contains(f.msg, `Provider-hosted source "q" (provider (none)) keeps prompts and outputs for 60 days`)
}

test_out_of_scope_frameworks_silence_the_rule if {
	count(run(fx.manifest({"frameworks": ["eu-ai-act"]}, ["personal"], [fx.cloud("gpt", "openai", {"dpa": dpa({"retention_days": 90})})]))) == 0
}

# A backup keeps what it takes over: its retention is checked against the classes of its primary.
test_a_backup_is_checked_for_what_it_takes_over if {
	primary := fx.local("q", {"data_classes": ["personal"]})
	backup := fx.cloud("gpt", "openai", {"data_classes": ["internal"], "dpa": dpa({"retention_days": 90})})
	m := fx.with_routing(fx.manifest({}, ["personal", "internal"], [primary, backup]), {"strategy": "fallback", "fallbacks": [{"from": "q", "to": ["gpt"]}]})
	fs := run(m)
	some f in fs
	f.source_id == "gpt"
	contains(f.msg, "allows for personal data")
}
