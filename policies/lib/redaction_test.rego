package llm_policy.lib_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.lib

_control := {"method": "pseudonymisation", "removes": ["personal"], "leaves": "internal", "evidence": "TEST-7"}

test_an_evidenced_control_lowers_what_the_source_receives if {
	src := fx.cloud("gpt", "openai", {"redaction": _control})
	m := fx.manifest({}, ["personal", "internal"], [src])
	lib.source_classes(src) == {"internal"} with input as m
	lib.received_as(src, "personal") == "internal" with input as m
	lib.lowered_classes(src) == ["personal"] with input as m
	lib.declared_classes(src) == ["personal", "internal"] with input as m
}

test_a_control_without_evidence_lowers_nothing if {
	blank := object.union(_control, {"evidence": "  "})
	src := fx.cloud("gpt", "openai", {"redaction": object.remove(_control, ["evidence"])})
	blank_src := fx.cloud("gpt", "openai", {"redaction": blank})
	m := fx.manifest({}, ["personal"], [src])
	lib.source_classes(src) == {"personal"} with input as m
	lib.source_classes(blank_src) == {"personal"} with input as m
	lib.source_classes(fx.cloud("gpt", "openai", {})) == ["personal"] with input as m
	lib.lowered_classes(src) == [] with input as m
}

test_a_control_that_leaves_what_it_removes_lowers_nothing if {
	src := fx.cloud("gpt", "openai", {"redaction": object.union(_control, {"leaves": "personal"})})
	m := fx.manifest({}, ["personal"], [src])
	lib.source_classes(src) == {"personal"} with input as m
}

# No LP109 (no framework of it in scope), no lowering: a lowered class is always shown.
test_a_control_lowers_nothing_when_lp109_does_not_run if {
	src := fx.cloud("gpt", "openai", {"redaction": _control})
	m := fx.manifest({"frameworks": ["pci-dss"]}, ["personal"], [src])
	lib.source_classes(src) == {"personal"} with input as m
}

test_class_path_points_at_leaves_when_only_the_control_brings_the_class if {
	src := fx.cloud("gpt", "openai", {"redaction": _control})
	m := fx.manifest({}, ["personal", "internal"], [src])
	lib.class_path(0, src, "internal") == ["sources", 0, "redaction", "leaves"] with input as m
	lib.class_path(0, object.union(src, {"data_classes": ["internal"]}), "internal") == ["sources", 0, "data_classes", 0] with input as m
}

test_declares_redaction if {
	lib.declares_redaction({"redaction": _control})
	not lib.declares_redaction({})
}
