package llm_policy.rules.lp702_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp702

run(project) := fs if {
	fs := lp702.findings with input as fx.manifest(object.union({"jurisdictions": ["DE"]}, project), ["public"], [fx.local("llama", {})])
}

declared := {"role": "deployer", "risk": "limited"}

test_a_customer_facing_chatbot_needs_a_notice if {
	fs := run({"customer_facing": true, "ai_act": declared})
	some f in fs
	f.path == ["project", "ai_act", "transparency_notice"]
	contains(f.msg, "is customer-facing")
}

test_generated_content_needs_a_notice if {
	fs := run({"purposes": ["content_generation"], "ai_act": declared})
	some f in fs
	contains(f.msg, "its purposes")
}

test_a_cited_notice_passes if {
	count(run({"customer_facing": true, "ai_act": object.union(declared, {"transparency_notice": "UX-1"})})) == 0
}

test_an_internal_tool_needs_none if {
	count(run({"purposes": ["code_assistance"], "ai_act": declared})) == 0
}
