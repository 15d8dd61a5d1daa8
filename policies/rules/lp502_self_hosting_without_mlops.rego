# METADATA
# title: Self-hosted open model without an MLOps team
# description: |
#   Running open weights on your own hardware or cloud tenant means owning GPU capacity, model
#   serving, security updates, monitoring and evaluation of new checkpoints. A project that states
#   it has no team for this (`mlops_team: false`) risks an unmaintained, insecure or unavailable
#   deployment. A private vendor deployment or a managed offering moves that work to a vendor.
#   An absent `mlops_team` is not reported: the manifest does not say.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP502.md
#     description: Rule documentation
# custom:
#   id: LP502
#   severity: warning
#   remediation: |
#     Staff or contract the operation of the self-hosted model and set `project.mlops_team: true`,
#     or use a private vendor deployment (sector private, e.g. nvidia-nim) or a cloud API instead.
#   tags: [operations]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: docs-search
#         owner: search-team@example.com
#         mlops_team: false  # LP502: nobody to run the self-hosted model
#       data:
#         classes: [internal]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: docs-search
#         owner: search-team@example.com
#         mlops_team: true
#       data:
#         classes: [internal]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
package llm_policy.rules.lp502

import data.llm_policy.lib

findings contains f if {
	data.llm_policy.lib.project.mlops_team == false
	some [_, src] in data.llm_policy.lib.sources
	lib.is_self_hosted(src)
	f := {
		"id": "LP502",
		"severity": "warning",
		"msg": sprintf("Source %q is an open model hosted by the project (%s), but project.mlops_team is false, so nobody is set to run, patch and monitor it. Staff the operation and set mlops_team: true, or use a private vendor deployment or a cloud API.", [
			src.id, object.get(src, "hosting", "self-hosted"),
		]),
		"path": ["project", "mlops_team"],
		"source_id": src.id,
	}
}
