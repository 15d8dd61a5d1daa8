package llm_policy.rules.lp304_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp304

run(m) := fs if {
	fs := lp304.findings with input as m with data.llm_policy.context.today as fx.today
}

# A self-hosted source for personal data that escalates hard requests to a cloud API.
layered(project, escalation, cloud_overrides) := fx.with_routing(
	fx.manifest(project, ["personal", "internal"], [
		fx.local("llama", {"data_classes": ["personal", "internal"]}),
		fx.cloud("gpt4o", "openai", object.union({"data_classes": ["internal"]}, cloud_overrides)),
	]),
	{
		"strategy": "layered",
		"routes": [{"name": "all", "to": "llama"}],
		"escalations": [object.union({"from": "llama", "to": "gpt4o"}, escalation)],
		"fallbacks": [{"from": "gpt4o", "to": ["llama"]}],
	},
)

test_escalating_personal_data_to_a_cloud_api_without_opt_out_fails if {
	fs := run(layered({}, {}, {"dpa": {"training_opt_out": false}}))
	count(fs) == 1
	some f in fs
	f.id == "LP304"
	f.severity == "error"
	f.path == ["routing", "escalations", 0, "to"]
	f.source_id == "gpt4o"
	contains(f.msg, `"llama" escalates requests with personal data to "gpt4o", which may not receive it: its dpa does not set training_opt_out: true`)
}

test_escalating_only_what_the_target_may_receive_passes if {
	count(run(layered({}, {"data_classes": ["internal"]}, {"dpa": {"training_opt_out": false}}))) == 0
}

test_escalating_to_a_compliant_target_passes if {
	count(run(layered({}, {}, {}))) == 0
}

test_ru_personal_data_escalated_abroad_fails if {
	fs := run(layered({"jurisdictions": ["RU"]}, {}, {"region": "EU"}))
	some f in fs
	f.severity == "error"
	contains(f.msg, "which processes them in EU, outside Russia")
}

test_eu_personal_data_escalated_to_the_us_warns if {
	fs := run(layered({"jurisdictions": ["EU"]}, {}, {}))
	some f in fs
	f.severity == "warning"
	contains(f.msg, "which processes them in US, outside the EU/EEA")
	contains(f.msg, "document the transfer mechanism")
}

test_eu_escalation_with_a_transfer_mechanism_is_a_note if {
	fs := run(layered({"jurisdictions": ["EU"]}, {}, {"dpa": {"transfer_mechanism": "EU SCCs"}}))
	some f in fs
	f.severity == "info"
	contains(f.msg, "(EU SCCs)")
}

# Data a source receives only as a fallback is escalated on as well.
test_data_reaching_the_escalating_source_through_a_failover_is_named if {
	m := fx.with_routing(
		fx.manifest({}, ["personal", "internal"], [
			fx.local("a", {"data_classes": ["personal", "internal"]}),
			fx.local("b", {"data_classes": ["internal"]}),
			fx.cloud("c", "openai", {"data_classes": ["internal"], "dpa": {"training_opt_out": false}}),
		]),
		{"strategy": "layered", "fallbacks": [{"from": "a", "to": ["b"]}], "escalations": [{"from": "b", "to": "c"}]},
	)
	fs := run(m)
	some f in fs
	contains(f.msg, `"b" escalates requests with personal data (the personal data that reaches it from a) to "c"`)
}
