# Redaction and pseudonymisation before a model call (issue 16): a source may declare a control
# (`redaction: {method, removes, leaves, evidence}`) that lowers the data classes it receives.
#
# Fail-closed semantics, in one place:
# - A control lowers a class only with `evidence` (a non-blank reference that shows it works). A
#   control without evidence lowers nothing: every rule judges the classes as declared, and LP109
#   says so (an error when it would have lowered special-category, payment or state-secret data,
#   the `redaction.evidence_required` table; a warning otherwise).
# - A control lowers only while LP109 runs (one of its frameworks is in scope), so a lowered class
#   is always visible in the findings: an info finding per source names the control and its
#   evidence. No LP109, no lowering.
# - It never leaves a class it removes (LP002 as well), and it works only in front of the source
#   that declares it: traffic a backup takes over, or an escalation passes on, carries the declared
#   classes (routing.rego), lowered again only by the receiving source's own control.
package llm_policy.lib

# The class in which a source receives data of class c: the control's `leaves` when the source's
# control applies to c, else c itself.
received_as(src, c) := src.redaction.leaves if {
	redaction_lowers(src, c)
} else := c

# (Cheapest test first: most sources declare no control, and this runs per class and edge.)
redaction_lowers(src, c) if {
	c in src.redaction.removes
	redaction_applies(src)
	rule_enabled("LP109")
}

# The control is well formed and evidenced: it can lower classes.
redaction_applies(src) if {
	is_string(src.redaction.leaves)
	is_array(src.redaction.removes)
	not src.redaction.leaves in src.redaction.removes
	redaction_evidence(src)
}

# The control's evidence, when it is not blank.
redaction_evidence(src) := src.redaction.evidence if {
	is_string(src.redaction.evidence)
	trim_space(src.redaction.evidence) != ""
}

# Whether a source declares a redaction control at all (negate this, never is_object(src.redaction)).
declares_redaction(src) if is_object(src.redaction)

# The classes a source's control lowers, sorted (empty when it lowers none): of those it is declared
# to receive and those that reach it as a backup or an escalation target.
lowered_classes(src) := sort({c | some c in reaching_classes(src); redaction_lowers(src, c)})
