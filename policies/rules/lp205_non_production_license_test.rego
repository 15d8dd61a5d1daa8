package llm_policy.rules.lp205_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp205

# The catalog with the non_production fact the facts carry for the Mistral Non-Production License.
catalog := object.union(data.llm_policy.catalog, {"licenses": {"mistral-non-production-license": {
	"non_production": true,
	"evidence": {"non_production": {"verification": "secondary", "source": "https://mistral.ai/news/mistral-ai-non-production-license-mnpl/"}},
}}})

run(m) := fs if {
	cat := catalog
	fs := lp205.findings with input as m with data.llm_policy.catalog as cat
}

codestral := fx.local("codestral", {"model": "mistralai/Codestral-22B-v0.1", "license": "mistral-non-production-license"})

test_production_is_an_error_whatever_commercial_says if {
	fs := run(fx.manifest({"commercial": false, "stage": "production"}, ["internal"], [codestral]))
	count(fs) == 1
	some f in fs
	f.id == "LP205"
	f.severity == "error"
	f.path == ["sources", 0, "model"]
	f.source_id == "codestral"
	f.verification == "secondary"
	contains(f.msg, `Source "codestral" runs mistralai/Codestral-22B-v0.1 under mistral-non-production-license, which allows it only in non-production environments (testing, research, evaluation), and the project is at stage production`)
}

test_a_pilot_is_production if {
	some f in run(fx.manifest({"stage": "pilot"}, ["internal"], [codestral]))
	f.severity == "error"
}

test_customer_facing_is_production if {
	some f in run(fx.manifest({"commercial": false, "customer_facing": true}, ["internal"], [codestral]))
	f.severity == "error"
	contains(f.msg, "the project is customer-facing")
}

test_no_stage_is_a_warning if {
	some f in run(fx.manifest({"commercial": false}, ["internal"], [codestral]))
	f.severity == "warning"
	contains(f.msg, "declares no stage")
}

test_research_is_a_note if {
	some f in run(fx.manifest({"commercial": false, "stage": "research"}, ["internal"], [codestral]))
	f.severity == "info"
	contains(f.msg, "Keep it out of pilots and production")
}

test_declared_license_without_a_known_model_counts if {
	src := fx.local("x", {"model": "acme/private-finetune", "license": "MNPL"})
	some f in run(fx.manifest({"stage": "production"}, ["internal"], [src]))
	f.path == ["sources", 0, "license"]
}

test_an_unverified_fact_is_at_most_a_warning if {
	cat := object.union(data.llm_policy.catalog, {"licenses": {"mistral-non-production-license": {"non_production": true}}})
	no_evidence := object.union(cat, {"licenses": {"mistral-non-production-license": {
		"verification": "unverified",
		"evidence": {"non_production": {"verification": "unverified"}},
	}}})
	fs := lp205.findings with input as fx.manifest({"stage": "production"}, ["internal"], [codestral]) with data.llm_policy.catalog as no_evidence
	some f in fs
	f.severity == "warning"
	contains(f.msg, "unverified catalog fact")
}

test_licenses_without_the_fact_pass if {
	count(run(fx.manifest({"stage": "production"}, ["internal"], [fx.local("llama", {})]))) == 0
	cat := object.union(data.llm_policy.catalog, {"licenses": {"mistral-non-production-license": {"non_production": false}}})
	count(lp205.findings) == 0 with input as fx.manifest({"stage": "production"}, ["internal"], [codestral]) with data.llm_policy.catalog as cat
}
