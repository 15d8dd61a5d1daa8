# METADATA
# title: Declared purpose banned by the license's acceptable-use policy
# description: |
#   Many open-weights licenses incorporate an acceptable-use policy that bans purposes outright:
#   the Llama AUPs ban military, warfare and espionage use, DeepSeek's license fully automated
#   decisions that adversely affect people's legal rights. The catalog records each license's bans
#   (`aup_bans`) with the same purpose ids the manifest uses in `project.purposes`. A project whose
#   declared purpose is banned by the license of one of its models gets a warning: whether the use
#   really falls under the ban is a legal reading of the policy text.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP206.md
#     description: Rule documentation
# custom:
#   id: LP206
#   severity: warning
#   remediation: |
#     Have the license's acceptable-use policy reviewed for this purpose; use a model whose license
#     does not ban it (for example an Apache-2.0 model), or correct `project.purposes` if it does
#     not describe the project.
#   tags: [licensing]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: logistics-planner
#         owner: defence-it@example.com
#         purposes: [military]  # LP206: the Llama 3.1 AUP bans military use
#       data:
#         classes: [internal]
#       sources:
#         - id: local-llama
#           sector: open_source
#           model: meta-llama/Llama-3.1-8B-Instruct
#           license: llama3.1-community
#           hosting: on_prem
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: logistics-planner
#         owner: defence-it@example.com
#         purposes: [military]
#       data:
#         classes: [internal]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
package llm_policy.rules.lp206

import data.llm_policy.lib

findings contains f if {
	purposes := object.get(data.llm_policy.lib.project, "purposes", [])
	some [_, src, sl] in data.llm_policy.lib.licensed_sources
	bans := object.get(sl.license, "aup_bans", [])
	is_array(bans)
	some j, purpose in purposes
	purpose in bans
	level := lib.weakest([sl.verification, object.get(sl.license, ["evidence", "aup_bans", "verification"], object.get(sl.license, "verification", "unverified"))])
	f := object.union(
		{
			"id": "LP206",
			"severity": "warning",
			"msg": sprintf("The project declares purpose %s, which the acceptable-use policy of %s bans, and source %q runs %s under it. Have the policy reviewed for this use or use a model whose license allows it.%s", [
				purpose, sl.license.id, src.id, src.model, lib.unverified_note(level),
			]),
			"path": ["project", "purposes", j],
			"source_id": src.id,
		},
		lib.evidence(level, object.get(sl.license, ["evidence", "aup_bans", "source"], object.get(sl.license, "source", null))),
	)
}
