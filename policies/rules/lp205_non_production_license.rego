# METADATA
# title: Non-production license outside research and development
# description: |
#   Some licenses allow a model only in non-production environments (the Mistral Non-Production
#   License: testing, research and evaluation, no live use), whatever `commercial` says: a
#   non-commercial product that serves real users is still production. When the catalog marks
#   the license of a source's checkpoint `non_production`, a project at `stage: pilot` or
#   `production`, or a customer-facing one, gets an error; a project that declares no stage gets a
#   warning; a project at `stage: research` or `development` gets a note that the model cannot go
#   live under this license.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP205.md
#     description: Rule documentation
# custom:
#   id: LP205
#   severity: error
#   remediation: |
#     Use a checkpoint under a license that allows production use (for example an Apache-2.0
#     model), obtain a commercial license from the licensor, or, if the project really stays in
#     research or development, say so with `project.stage`.
#   tags: [licensing]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: code-helper
#         owner: devex@example.com
#         commercial: false
#         stage: production  # LP205: the license forbids production use
#       data:
#         classes: [internal]
#       sources:
#         - id: codestral
#           sector: open_source
#           model: mistralai/Codestral-22B-v0.1
#           license: mistral-non-production-license
#           hosting: on_prem
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: code-helper
#         owner: devex@example.com
#         commercial: false
#         stage: production
#       data:
#         classes: [internal]
#       sources:
#         - id: qwen-coder
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
package llm_policy.rules.lp205

import data.llm_policy.lib

findings contains f if {
	some [i, src, sl] in data.llm_policy.lib.licensed_sources
	object.get(sl.license, "non_production", false) == true
	[severity, why] := _stage
	level := lib.weakest([sl.verification, object.get(sl.license, ["evidence", "non_production", "verification"], object.get(sl.license, "verification", "unverified"))])
	f := object.union(
		{
			"id": "LP205",
			"severity": lib.cap_severity(severity, level),
			"msg": sprintf("Source %q runs %s under %s, which allows it only in non-production environments (testing, research, evaluation), and %s. %s%s", [
				src.id, src.model, sl.license.id, why, _advice(severity), lib.unverified_note(level),
			]),
			"path": _license_path(i, sl),
			"source_id": src.id,
		},
		lib.evidence(level, object.get(sl.license, ["evidence", "non_production", "source"], object.get(sl.license, "source", null))),
	)
}

_stage_name := object.get(data.llm_policy.lib.project, "stage", null)

# [severity, why] from what the project says about its stage.
_stage := ["error", sprintf("the project is at stage %s", [_stage_name])] if {
	_stage_name in data.llm_policy.lib.tables.production_stages
} else := ["error", "the project is customer-facing, so the model serves real users"] if {
	data.llm_policy.lib.customer_facing == true
} else := ["info", sprintf("the project is at stage %s", [_stage_name])] if {
	_stage_name in data.llm_policy.lib.tables.non_production_stages
} else := ["warning", "the project declares no stage (project.stage), so nothing shows it stays out of production"]

_advice(severity) := "Keep it out of pilots and production, or switch to a model licensed for production use." if {
	severity == "info"
} else := "Use a checkpoint licensed for production use or obtain a commercial license from the licensor."

_license_path(i, sl) := ["sources", i, "model"] if {
	sl.basis == "catalog"
} else := ["sources", i, "license"]
