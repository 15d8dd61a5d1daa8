# METADATA
# title: Placeholder instead of a fact
# description: |
#   A manifest is a statement a reviewer relies on: who answers for the decision, which DPA covers
#   a provider. A value that is still a placeholder (a `TODO`/`FIXME`/`TBD` marker at its start, a
#   whole value in angle brackets such as `<owner>`, filler such as `CHANGEME`, `to be decided`, a
#   date template `YYYY-MM-DD`, or just `...`) states nothing, yet every other rule would take it at
#   face value: `owner: "TODO: owner"` has an owner, `reference: "TODO"` has a DPA. So a placeholder
#   anywhere in the manifest is an error until a person replaces it; `llm-policy init` writes such
#   markers exactly where only a person knows the answer. The patterns are the `placeholders` table
#   (`data.llm_policy.tables.placeholders`); reserved documentation domains such as example.com
#   are not placeholders (the examples use them as real-looking addresses).
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP003.md
#     description: Rule documentation
# custom:
#   id: LP003
#   severity: error
#   remediation: |
#     Replace the placeholder with the real fact: the team mailbox or person who answers for the
#     decision, the DPA's contract number or link, and so on. If the fact is not known yet, the
#     manifest is not ready to pass: leave the field out where the schema allows it (the rules then
#     report what is missing) rather than writing a marker.
#   tags: [completeness]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: support-assistant
#         owner: "TODO: owner (team mailbox or person)"  # LP003
#       data:
#         classes: [public]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
#           region: DE
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: support-assistant
#         owner: ai-platform@example.com
#       data:
#         classes: [public]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
#           region: DE
package llm_policy.rules.lp003

findings contains f if {
	suspect
	walk(input, [path, value])
	is_string(value)
	kinds := [p.what | some p in data.llm_policy.tables.placeholders; regex.match(p.pattern, value)]
	count(kinds) > 0
	f := object.union(
		{
			"id": "LP003",
			"severity": "error",
			"msg": sprintf("%s is %s, not a fact: %q. Replace it with the real value; a manifest that still holds placeholders cannot pass.", [
				subject(path), kinds[0], excerpt(value),
			]),
			"path": path,
		},
		source_of(path),
	)
}

# Speed: matching every pattern against every string costs more than all other rules together,
# and almost no manifest holds a placeholder. So all strings are first joined into one text, one
# per line, and matched once against every pattern at once in multi-line mode, where ^ and $ also
# match at each line's start and end: any value a pattern matches makes this match too (a superset),
# and only then is each value tested on its own.
suspect if regex.match(concat("", ["(?m)", any_placeholder]), concat("\n", [v | walk(input, [_, v]); is_string(v)]))

# Every pattern of the table as one alternation (inline flags such as (?i) stay inside their group).
any_placeholder := concat("|", [sprintf("(?:%s)", [p.pattern]) | some p in data.llm_policy.tables.placeholders])

# `Source "gpt4o": sources[0].dpa.reference`, as people write a location in a review.
subject(path) := sprintf("Source %q: %s", [input.sources[path[1]].id, where(path)]) if in_source(path)

subject(path) := where(path) if not in_source(path)

where(path) := concat("", [segment(k, p) | some k, p in path])

segment(0, p) := p if is_string(p)

segment(k, p) := sprintf(".%s", [p]) if {
	k > 0
	is_string(p)
}

segment(_, p) := sprintf("[%d]", [p]) if is_number(p)

# At most 40 characters of the value: a message never echoes more than an excerpt.
excerpt(v) := v if count(v) <= 40

excerpt(v) := concat("", [substring(v, 0, 40), "…"]) if count(v) > 40

source_of(path) := {"source_id": input.sources[path[1]].id} if in_source(path)

source_of(path) := {} if not in_source(path)

in_source(path) if {
	count(path) > 1
	path[0] == "sources"
	is_string(input.sources[path[1]].id)
}
