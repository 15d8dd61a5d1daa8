# METADATA
# title: Provider used in code but not declared
# description: |
#   `llm-policy check --scan` found code, a dependency or configuration that uses an LLM provider
#   (an SDK import or call, a package, an endpoint host, an API-key variable, a model id) in a
#   directory governed by this manifest, and no source of the manifest declares that provider.
#   The manifest then no longer describes what the project does: data may go to a provider nobody
#   reviewed (no DPA, wrong region). Open-weights models run locally (transformers, vLLM,
#   llama.cpp, Ollama with a model id) need an `open_source` source. Reported once per file and
#   provider, at the first place in the file that uses it. Example: the manifest's only source
#   has `provider: anthropic`, and `services/chat/app.py` line 3 says `from openai import OpenAI`:
#   LP601 is reported at services/chat/app.py:3:1.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP601.md
#     description: Rule documentation
# custom:
#   id: LP601
#   severity: error
#   remediation: |
#     Declare a source for the provider in the governing llm-sourcing.yaml (with its DPA, region
#     and data classes, so the other rules review it), or remove the usage. A use that is really
#     something else (a test double, an OpenAI-compatible server) can be waived for one file.
#   tags: [drift, scan]
package llm_policy.rules.lp601

import data.llm_policy.lib

_undeclared contains [e.file, u] if {
	lib.governed
	some e in lib.scan_items
	u := lib.evidence_use(e)
	not lib.declares_use(u)
}

findings contains f if {
	some [file, u] in _undeclared
	items := [e | some e in lib.scan_items; e.file == file; lib.evidence_use(e) == u]
	f := {
		"id": "LP601",
		"severity": "error",
		"msg": sprintf("%s uses %s (%s), but no source of %s declares it. Declare %s in the manifest, or remove the usage.", [
			file, u, lib.evidence_summary(items), lib.scan.manifest, lib.declare_hint(u),
		]),
		"path": ["sources"],
		"location": lib.first_location(file, items),
	}
}
