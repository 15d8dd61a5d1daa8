# METADATA
# title: Redaction or pseudonymisation control that lowers what a source receives
# description: |
#   A source may declare a control in front of it that redacts or pseudonymises data before the
#   call (`redaction: {method, removes, leaves, evidence}`), so that it receives, say, internal data
#   where the application holds personal data (GDPR Art. 25(1) and Art. 32(1)(a) name
#   pseudonymisation; 152-FZ Art. 3(9) depersonalisation). The control lowers the classes the
#   source receives for every rule (LP101, LP102, LP105, LP401, LP402, LP302, LP304, ...) but
#   never implicitly: each source whose classes it lowers gets an informational finding that names
#   the control and its evidence, for the reviewer to check. It lowers a class only with
#   `evidence` (a test report, DPIA section or tool configuration that shows it works); without
#   evidence it lowers nothing, and this rule warns, or errs when the control claims to remove
#   special-category, payment or state-secret data (the `redaction_evidence_required` table). The
#   control works in front of the source that declares it: data a backup takes over, or an
#   escalation passes on, is judged as declared unless the receiving source has its own control.
#   Pseudonymised data stays personal data for whoever holds the key (GDPR Recital 26): the
#   evidence is where the controller shows the source cannot re-identify it.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP109.md
#     description: Rule documentation
# custom:
#   id: LP109
#   severity: error
#   frameworks: {gdpr: ["Art. 25(1)", "Art. 32(1)(a)"], ru-152fz: ["Art. 3(9)"]}
#   remediation: |
#     Cite the evidence that the control works in `redaction.evidence` (e.g. a test report of the
#     PII detector on production-like data, or the DPIA section that assesses it), or remove the
#     control and meet the rules for the classes the source really receives.
#   tags: [data-protection, pseudonymisation, gdpr, 152-fz]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: support-assistant
#         owner: ai-platform@example.com
#       data:
#         classes: [special_category, internal]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
#           redaction: {method: pseudonymisation, removes: [special_category], leaves: internal}  # LP109: no evidence
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: support-assistant
#         owner: ai-platform@example.com
#       data:
#         classes: [special_category, internal]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
package llm_policy.rules.lp109

import data.llm_policy.lib

# The control lowers what the source receives: say so, with the evidence it rests on.
findings contains f if {
	lib.rule_enabled("LP109")
	some [i, src] in data.llm_policy.lib.sources
	lib.declares_redaction(src)
	lowered := lib.lowered_classes(src)
	count(lowered) > 0
	f := {
		"id": "LP109",
		"severity": "info",
		"msg": sprintf("Source %q receives %s data only after %s by its declared control, so every rule judges it as %s data (evidence: %s). Check that the control runs on every call to this source.", [
			src.id, concat(", ", lowered), src.redaction.method, src.redaction.leaves, lib.redaction_evidence(src),
		]),
		"path": ["sources", i, "redaction"],
		"source_id": src.id,
	}
}

# The control cites no evidence: it lowers nothing.
findings contains f if {
	lib.rule_enabled("LP109")
	some [i, src] in data.llm_policy.lib.sources
	lib.declares_redaction(src)
	not lib.redaction_evidence(src)
	removes := sort({c | some c in src.redaction.removes})
	f := {
		"id": "LP109",
		"severity": _severity(removes),
		"msg": sprintf("Source %q declares a %s control that removes %s data, but cites no evidence that it works, so it lowers nothing: every rule judges the data the source is declared to receive. Cite the test report or DPIA section in redaction.evidence, or remove the control.", [
			src.id, object.get(src.redaction, "method", "redaction"), concat(", ", removes),
		]),
		"path": ["sources", i, "redaction", "evidence"],
		"source_id": src.id,
	}
}

_severity(removes) := "error" if {
	some c in removes
	c in lib.tables.redaction_evidence_required
} else := "warning"
