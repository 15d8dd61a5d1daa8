package llm_policy.rules.lp003_test

import data.llm_policy.fixtures_test as fx
import data.llm_policy.rules.lp003

run(m) := fs if {
	fs := lp003.findings with input as m with data.llm_policy.context.today as fx.today
}

test_todo_owner_is_an_error_at_the_owner if {
	fs := run(fx.manifest({"owner": "TODO: owner (team mailbox or person)"}, ["public"], [fx.local("llama", {})]))
	count(fs) == 1
	some f in fs
	f.id == "LP003"
	f.severity == "error"
	f.path == ["project", "owner"]
	not f.source_id
	contains(f.msg, `project.owner is a TODO marker, not a fact: "TODO: owner (team mailbox or person)"`)
}

test_placeholder_in_a_source_names_the_source_and_the_array_index if {
	dpa := object.union(fx.valid_dpa, {"reference": "<DPA number>"})
	fs := run(fx.manifest({}, ["internal"], [fx.local("llama", {}), fx.cloud("gpt", "openai", {"dpa": dpa})]))
	count(fs) == 1
	some f in fs
	f.path == ["sources", 1, "dpa", "reference"]
	f.source_id == "gpt"
	startswith(f.msg, `Source "gpt": sources[1].dpa.reference is an angle-bracket placeholder`)
}

test_every_kind_of_placeholder_is_found if {
	values := [
		"TODO", "TBD", "FIXME later", "CHANGEME", "REPLACE_ME", "todo: ask legal", "Fixme: x", "<owner>",
		"  <your team>  ", "change me", "Fill in", "fill-me-in", "to be decided", "Placeholder.",
		"YYYY-MM-DD", "...", "…", "???", "xxx", "Lorem ipsum dolor",
	]
	every v in values {
		count(run(fx.manifest({"owner": v}, ["public"], [fx.local("llama", {})]))) == 1
	}
}

test_real_values_are_not_placeholders if {
	values := [
		"ai-platform@example.com", "todo-app team", "Todos <todos@corp.example>", "TODOS", "Tbilisi office",
		"the ToDo list team", "DPA-2026-0042", "https://contracts.example.org/dpa/42", "x", "xx", "fix me up later",
		"Anna <anna@corp.example> and Ben", "placeholder-service owners", "TBDC", "notes: todo later",
	]
	every v in values {
		count(run(fx.manifest({"owner": v}, ["public"], [fx.local("llama", {})]))) == 0
	}
}

test_only_strings_are_checked_and_one_finding_per_value if {
	m := fx.manifest({"owner": "TODO <owner>", "tickets": ["TODO", "JIRA-1"], "requests_per_hour": 5}, ["public"], [fx.local("llama", {})])
	fs := run(m)
	count(fs) == 2 # "TODO <owner>" matches two patterns but is one finding
	{f.path | some f in fs} == {["project", "owner"], ["project", "tickets", 0]}
}

test_a_long_value_is_quoted_as_an_excerpt if {
	v := concat("", ["TODO: ", concat("", [x | some _ in numbers.range(1, 100); x := "a"])])
	fs := run(fx.manifest({"owner": v}, ["public"], [fx.local("llama", {})]))
	some f in fs
	contains(f.msg, `"TODO: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…"`)
}

test_the_table_decides if {
	m := fx.manifest({"owner": "PENDING"}, ["public"], [fx.local("llama", {})])
	count(run(m)) == 0
	tables := object.union(data.llm_policy.tables, {"placeholders": [{"what": "pending", "pattern": "^PENDING$"}]})
	fs := lp003.findings with input as m with data.llm_policy.tables as tables
	count(fs) == 1
}

test_the_one_pass_prefilter_never_decides_alone if {
	# "TODO" starts a line of the joined text but not the value: the value itself decides.
	count(run(fx.manifest({"owner": "ops team\nTODO later", "description": "x\n<y>"}, ["public"], [fx.local("llama", {})]))) == 0
	count(run(fx.manifest({"owner": "ops team", "description": "TODO: describe"}, ["public"], [fx.local("llama", {})]))) == 1
}
