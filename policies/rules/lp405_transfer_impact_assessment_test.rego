package llm_policy.rules.lp405_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp405

run(m) := fs if {
	fs := lp405.findings with input as m with data.llm_policy.context.today as fx.today
}

eu(classes, sources) := fx.manifest({"jurisdictions": ["EU"]}, classes, sources)

scc := object.union(fx.valid_dpa, {"transfer_mechanism": "EU SCCs (Module 2)"})

test_mechanism_without_assessment_warns if {
	fs := run(eu(["personal"], [fx.cloud("gpt4o", "openai", {"region": "US", "dpa": scc})]))
	count(fs) == 1
	some f in fs
	f.id == "LP405"
	f.severity == "warning"
	f.path == ["sources", 0, "dpa", "transfer_mechanism"]
	contains(f.msg, `Source "gpt4o" sends personal data to US, which has no adequacy decision, on the strength of EU SCCs (Module 2), but its dpa references no transfer impact assessment`)
}

test_mechanism_with_assessment_passes if {
	dpa := object.union(scc, {"transfer_impact_assessment": "TIA-2025-07"})
	count(run(eu(["personal"], [fx.cloud("gpt4o", "openai", {"region": "US", "dpa": dpa})]))) == 0
}

test_adequate_countries_need_no_assessment if {
	count(run(eu(["personal"], [fx.cloud("gpt4o", "openai", {"region": "JP", "dpa": scc})]))) == 0
}

test_no_mechanism_is_lp402s_case if {
	count(run(eu(["personal"], [fx.cloud("gpt4o", "openai", {"region": "US"})]))) == 0
}

test_projects_without_gdpr_pass if {
	count(run(fx.manifest({}, ["personal"], [fx.cloud("gpt4o", "openai", {"region": "US", "dpa": scc})]))) == 0
}
