package llm_policy.rules.lp109_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp101
import data.llm_policy.rules.lp102
import data.llm_policy.rules.lp109
import data.llm_policy.rules.lp302
import data.llm_policy.rules.lp401

run(m) := fs if {
	fs := lp109.findings with input as m with data.llm_policy.context.today as fx.today
}

control := {"method": "pseudonymisation", "removes": ["personal"], "leaves": "internal", "evidence": "DPIA-7 s.4"}

test_a_lowered_class_is_shown if {
	fs := run(fx.manifest({}, ["personal", "internal"], [fx.cloud("gpt", "openai", {"redaction": control})]))
	count(fs) == 1
	some f in fs
	f.id == "LP109"
	f.severity == "info"
	f.path == ["sources", 0, "redaction"]
	f.source_id == "gpt"
	contains(f.msg, `Source "gpt" receives personal data only after pseudonymisation by its declared control, so every rule judges it as internal data (evidence: DPIA-7 s.4)`)
}

test_a_control_on_data_the_source_does_not_receive_is_silent if {
	count(run(fx.manifest({}, ["personal", "internal"], [fx.cloud("gpt", "openai", {"data_classes": ["internal"], "redaction": control})]))) == 0
}

test_no_evidence_warns if {
	fs := run(fx.manifest({}, ["personal", "internal"], [fx.cloud("gpt", "openai", {"redaction": object.remove(control, ["evidence"])})]))
	count(fs) == 1
	some f in fs
	f.severity == "warning"
	f.path == ["sources", 0, "redaction", "evidence"]
	contains(f.msg, `Source "gpt" declares a pseudonymisation control that removes personal data, but cites no evidence that it works, so it lowers nothing`)
}

test_no_evidence_for_special_categories_errs if {
	special := object.union(control, {"removes": ["special_category", "personal"], "evidence": " "})
	fs := run(fx.manifest({}, ["special_category", "personal", "internal"], [fx.local("q", {"redaction": special})]))
	some f in fs
	f.severity == "error"
	contains(f.msg, "removes personal, special_category data")
}

# The lowered class is what the other rules see.
test_lp101_and_lp102_see_the_lowered_class if {
	src := fx.cloud("gpt", "openai", {"dpa": null, "redaction": object.union(control, {"removes": ["special_category"]})})
	m := fx.manifest({}, ["special_category", "internal"], [object.remove(src, ["dpa"])])
	count(lp101.findings) == 0 with input as m with data.llm_policy.context.today as fx.today
	dpa_findings := lp102.findings with input as m with data.llm_policy.context.today as fx.today
	some f in dpa_findings
	contains(f.msg, "receives internal data but declares no dpa")
	unlowered := fx.manifest({}, ["special_category", "internal"], [object.remove(object.union(src, {"redaction": object.remove(control, ["evidence"])}), ["dpa"])])
	count(lp101.findings) > 0 with input as unlowered with data.llm_policy.context.today as fx.today
}

test_lp401_sees_the_lowered_class if {
	m := fx.manifest({"jurisdictions": ["RU"]}, ["personal", "internal"], [fx.local("q", {"region": "DE", "redaction": control})])
	count(lp401.findings) == 0 with input as m with data.llm_policy.context.today as fx.today
}

# A backup takes over the declared classes unless it has a control of its own.
test_a_control_does_not_follow_traffic_to_a_backup if {
	primary := fx.local("q", {"region": "RU", "redaction": control})
	backup := fx.cloud("gpt", "openai", {"region": "US", "data_classes": ["internal"]})
	m := fx.with_routing(fx.manifest({"jurisdictions": ["RU"]}, ["personal", "internal"], [primary, backup]), {"strategy": "fallback", "fallbacks": [{"from": "q", "to": ["gpt"]}]})
	handover := lp302.findings with input as m with data.llm_policy.context.today as fx.today
	some f in handover
	contains(f.msg, "would process personal data")
	guarded := object.union(backup, {"redaction": control})
	m2 := fx.with_routing(fx.manifest({"jurisdictions": ["RU"]}, ["personal", "internal"], [primary, guarded]), {"strategy": "fallback", "fallbacks": [{"from": "q", "to": ["gpt"]}]})
	count(lp302.findings) == 0 with input as m2 with data.llm_policy.context.today as fx.today
}

# A backup's own control lowers what it takes over, and that lowering is shown too.
test_a_backup_control_lowering_taken_over_data_is_shown if {
	primary := fx.local("q", {"data_classes": ["personal"]})
	backup := fx.cloud("gpt", "openai", {"data_classes": ["internal"], "redaction": control})
	m := fx.with_routing(fx.manifest({}, ["personal", "internal"], [primary, backup]), {"strategy": "fallback", "fallbacks": [{"from": "q", "to": ["gpt"]}]})
	fs := run(m)
	some f in fs
	f.source_id == "gpt"
	f.severity == "info"
	contains(f.msg, `Source "gpt" receives personal data only after pseudonymisation`)
}
