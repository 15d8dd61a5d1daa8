# The evidence of LLM usage found in code (`llm-policy check --scan`), as the drift rules
# (LP601-LP604) and custom policies read it. It arrives in `input._evidence` next to the manifest's
# own keys (which no manifest can contain: the schema allows no other top-level key) because the
# input is the only per-evaluation document every engine shares: regorus, `opa eval`, and an OPA
# server queried over REST, where data is shared by every client. Without --scan it is absent and
# every drift rule is silent. Shape (policies/README.md):
#   {"manifest": "svc/llm-sourcing.yaml" | null, "complete": bool,
#    "items": [{"provider", "sector", "kind", "model", "file", "line", "column", "match", "language"}]}
package llm_policy.lib

scan := object.get(input, "_evidence", {})

scan_items := object.get(scan, "items", [])

# The manifest under evaluation governs the evidence (false for the evaluation of ungoverned code).
governed if is_string(scan.manifest)

ungoverned if {
	is_object(input._evidence)
	input._evidence.manifest == null
}

# LP603 may only conclude "no evidence" after the manifest's whole directory was scanned.
scan_complete if scan.complete == true

# What a piece of evidence uses: a provider id, or "open weights" for a model run locally.
evidence_use(e) := e.provider if is_string(e.provider)

evidence_use(e) := "open weights" if {
	e.provider == null
	e.sector == "open_source"
}

# The manifest's sources that declare a use: by provider (catalog names and aliases), or any
# open-weights source for a model run locally.
sources_of_use(u) := [src |
	some src in object.get(input, "sources", [])
	is_string(src.provider)
	provider_identity(src) == u
] if u != "open weights"

sources_of_use("open weights") := [src | some src in object.get(input, "sources", []); src.sector == "open_source"]

declares_use(u) if count(sources_of_use(u)) > 0

# A model id in code names a declared model when it is the same id (case-insensitive) or that id
# plus a snapshot suffix (`claude-3-5-sonnet` / `claude-3-5-sonnet-20241022`, `gpt-4o-2024-08-06`).
same_model(code, declared) if lower(code) == lower(declared)

same_model(code, declared) if {
	startswith(lower(code), lower(declared))
	regex.match(`^([-@:.](latest|preview|exp|v[0-9]+(:[0-9]+)?|[0-9]+))+$`, substring(lower(code), count(declared), -1))
}

model_declared(u, model) if {
	some src in sources_of_use(u)
	is_string(src.model)
	same_model(model, src.model)
}

# Where a group of evidence in one file is reported once: its first line and column there.
first_location(file, items) := {"file": file, "line": line, "column": column} if {
	line := min({x.line | some x in items})
	column := min({x.column | some x in items; x.line == line})
}

# How a group of evidence reads in a message: `import anthropic, model claude-3-haiku`.
evidence_summary(items) := concat(", ", sort({sprintf("%s %s", [x.kind, x.match]) | some x in items}))

# What to declare for a use, in messages.
declare_hint(u) := "an open_source source for the model" if u == "open weights"

declare_hint(u) := sprintf("a source with provider %s", [u]) if u != "open weights"
