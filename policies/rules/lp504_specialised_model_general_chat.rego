# METADATA
# title: Specialised model serving general customer chat
# description: |
#   A model specialised for code, mathematics or one domain (law, medicine, finance) is chosen for
#   that strength and is usually weaker, less safety-tuned or off-tone on general conversation. In a
#   customer-facing project, a route of general requests (a route without `specialization`, or
#   `specialization: general`) that ends at such a model with the chat role is worth a second look.
#   The catalog's specialization of the checkpoint wins over the declared one; the specialisations
#   that count are the `general_chat_unfit_specializations` table. This is a note, not a failure.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP504.md
#     description: Rule documentation
# custom:
#   id: LP504
#   severity: info
#   remediation: |
#     Route general customer requests to a general model and keep the specialised one for its own
#     route (`specialization: code` on the route), or set the source's `role` if it does not chat.
#   tags: [quality]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: shop-assistant
#         owner: shop-team@example.com
#         customer_facing: true
#       data:
#         classes: [public]
#       sources:
#         - id: coder
#           sector: open_source
#           model: bigcode/starcoder2-15b
#           license: bigcode-openrail-m
#           hosting: on_prem
#       routing:
#         strategy: single
#         routes:
#           - {name: chat, to: coder}  # LP504: a code model answers general customer chat
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: shop-assistant
#         owner: shop-team@example.com
#         customer_facing: true
#       data:
#         classes: [public]
#       sources:
#         - id: coder
#           sector: open_source
#           model: bigcode/starcoder2-15b
#           license: bigcode-openrail-m
#           hosting: on_prem
#       routing:
#         strategy: single
#         routes:
#           - {name: code-help, to: coder, specialization: code}
package llm_policy.rules.lp504

import data.llm_policy.lib

findings contains f if {
	data.llm_policy.lib.customer_facing == true
	some k, route in data.llm_policy.lib.routes
	object.get(route, "specialization", "general") == "general"
	src := lib.source_by_id(route.to)
	object.get(src, "role", "chat") == "chat"
	[specialization, basis] := _specialisation(src)
	f := {
		"id": "LP504",
		"severity": "info",
		"msg": sprintf("Route %q sends general customer requests to %q (%s), a model specialised for %s (%s), which is usually weaker or off-tone in general conversation. Route general requests to a general model, or mark the route's specialization if it carries only such requests.", [
			route.name, src.id, src.model, specialization, basis,
		]),
		"path": ["routing", "routes", k, "to"],
		"source_id": src.id,
	}
}

# [specialisation, basis] of a specialised model: the catalog's list for a known checkpoint (when it
# does not also list general), else the declared specialization.
_specialisation(src) := [concat(", ", sort(unfit)), "per the catalog"] if {
	m := lib.model(src.model)
	specs := object.get(m, "specialization", [])
	is_array(specs)
	not "general" in specs
	unfit := {s | some s in specs; s in data.llm_policy.lib.tables.general_chat_unfit_specializations}
	count(unfit) > 0
} else := [src.specialization, "as declared"] if {
	not lib.known_model(src)
	src.specialization in data.llm_policy.lib.tables.general_chat_unfit_specializations
}
