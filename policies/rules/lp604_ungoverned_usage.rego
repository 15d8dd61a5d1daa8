# METADATA
# title: LLM usage governed by no manifest
# description: |
#   `llm-policy check --scan` found code that uses an LLM in a file with no llm-sourcing.yaml in
#   its directory or any parent up to the repository root. Nothing declares, and so nothing
#   reviews, where that code sends data. Reported once per file, at its first use. Example: the
#   only manifest is services/chat/llm-sourcing.yaml, and tools/eval.py imports anthropic.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP604.md
#     description: Rule documentation
# custom:
#   id: LP604
#   severity: error
#   remediation: |
#     Add an llm-sourcing.yaml in the directory of the code or a parent (`llm-policy init` writes
#     one), declaring the provider or model the code uses.
#   tags: [drift, scan]
package llm_policy.rules.lp604

import data.llm_policy.lib

findings contains f if {
	lib.ungoverned
	files := {e.file | some e in lib.scan_items}
	some file in files
	items := [e | some e in lib.scan_items; e.file == file]
	uses := {u | some e in items; u := lib.evidence_use(e)}
	f := {
		"id": "LP604",
		"severity": "error",
		"msg": sprintf("%s uses %s (%s), but no llm-sourcing.yaml governs it: add a manifest in its directory or a parent that declares this usage.", [
			file, concat(", ", sort(uses)), lib.evidence_summary(items),
		]),
		"path": [],
		"location": lib.first_location(file, items),
	}
}
