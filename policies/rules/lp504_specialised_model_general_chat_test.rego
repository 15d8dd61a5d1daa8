package llm_policy.rules.lp504_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp504

run(m) := fs if {
	fs := lp504.findings with input as m with data.llm_policy.context.today as fx.today
}

chat(project, src, route) := fx.with_routing(
	fx.manifest(project, ["public"], [src]),
	{"strategy": "single", "routes": [object.union({"name": "chat", "to": src.id}, route)]},
)

coder := fx.local("coder", {"model": "bigcode/starcoder2-15b", "license": "bigcode-openrail-m"})

test_a_code_model_on_a_general_customer_route_is_a_note if {
	fs := run(chat({"customer_facing": true}, coder, {}))
	count(fs) == 1
	some f in fs
	f.id == "LP504"
	f.severity == "info"
	f.path == ["routing", "routes", 0, "to"]
	f.source_id == "coder"
	contains(f.msg, `Route "chat" sends general customer requests to "coder" (bigcode/starcoder2-15b), a model specialised for code (per the catalog)`)
}

test_a_declared_domain_model_counts_when_the_catalog_does_not_know_it if {
	legal := fx.local("legal", {"model": "acme/legal-7b", "license": "MIT", "specialization": "domain"})
	some f in run(chat({"customer_facing": true}, legal, {}))
	contains(f.msg, "specialised for domain (as declared)")
}

test_the_catalog_wins_over_the_declaration if {
	count(run(chat({"customer_facing": true}, object.union(fx.local("llama", {}), {"specialization": "code"}), {}))) == 0
}

test_a_specialised_route_internal_project_or_other_role_pass if {
	count(run(chat({"customer_facing": true}, coder, {"specialization": "code"}))) == 0
	count(run(chat({}, coder, {}))) == 0
	count(run(chat({"customer_facing": true}, object.union(coder, {"role": "completion"}), {}))) == 0
}
