package llm_policy.rules.lp406_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp406

run(m) := fs if {
	fs := lp406.findings with input as m with data.llm_policy.context.today as fx.today
}

one(src) := fx.manifest({}, ["public"], [src])

test_a_retired_model_is_an_error if {
	fs := run(one(fx.cloud("claude", "anthropic", {"model": "claude-3-5-sonnet-20241022"})))
	count(fs) == 1
	some f in fs
	f.id == "LP406"
	f.severity == "error"
	f.path == ["sources", 0, "model"]
	f.verification == "secondary"
	contains(f.msg, `Source "claude" calls claude-3-5-sonnet-20241022, which anthropic retired on 2025-10-22, so its calls fail. Move to the replacement the provider names (claude-sonnet-4-20250514).`)
}

test_an_unverified_retirement_is_a_warning if {
	some f in run(one(fx.cloud("o1", "openai", {"model": "o1-preview"})))
	f.severity == "warning"
	contains(f.msg, "unverified catalog fact")
}

test_a_retiring_model_warns if {
	m := one(fx.cloud("gem", "google-vertex", {"model": "gemini-2.0-flash"}))
	fs := lp406.findings with input as m with data.llm_policy.context.today as "2026-03-01"
	some f in fs
	f.severity == "warning"
	contains(f.msg, "retires on 2026-06-01. Move to the replacement the provider names (gemini-2.5-flash-lite) before then.")
}

test_a_deprecated_model_without_a_date_warns if {
	catalog := object.union(data.llm_policy.catalog, {"hosted_models": {"openai": {"gpt-x": {
		"model": "gpt-x", "floating_alias": false, "pinned_versions": [], "deprecated": "2026-01-01",
		"retires": null, "replacement": null, "source": null, "verification": "primary",
	}}}})
	m := one(fx.cloud("gpt", "openai", {"model": "GPT-X"}))
	fs := lp406.findings with input as m with data.llm_policy.context.today as fx.today with data.llm_policy.catalog as catalog
	some f in fs
	f.severity == "warning"
	contains(f.msg, "which openai deprecated on 2026-01-01. Move to a supported model before then.")
}

test_a_floating_alias_warns_and_a_pinned_version_passes if {
	some f in run(one(fx.cloud("gpt", "openai", {"model": "gpt-4o"})))
	f.severity == "warning"
	contains(f.msg, "a floating alias that openai moves to new snapshots without notice. Pin a dated version (gpt-4o-2024-05-13, gpt-4o-2024-08-06, gpt-4o-2024-11-20)")
	count(run(one(fx.cloud("gpt", "openai", {"model": "gpt-4o-2024-08-06"})))) == 0
}

test_self_hosted_and_unknown_models_pass if {
	count(run(one(fx.local("llama", {})))) == 0
	count(run(one(fx.cloud("gpt", "azure-openai", {"model": "gpt-4o"})))) == 0
	count(run(one(fx.cloud("acme", "acme-llm", {"model": "gpt-4o"})))) == 0
}

test_organisation_entries_without_a_level_count_as_unverified if {
	catalog := object.union(data.llm_policy.catalog, {"hosted_models": {"mistral": {"old-large": {"retires": "2025-01-01"}}}})
	m := one(fx.cloud("mis", "mistral", {"model": "old-large", "region": "EU"}))
	fs := lp406.findings with input as m with data.llm_policy.context.today as fx.today with data.llm_policy.catalog as catalog
	some f in fs
	f.severity == "warning"
	contains(f.msg, "which mistral retired on 2025-01-01")
}
