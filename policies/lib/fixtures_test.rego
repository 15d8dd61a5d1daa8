# Manifest fixtures shared by the rule tests: a minimal valid manifest and typical sources, which
# each test varies with object.union so that it shows exactly the fact under test.
package llm_policy.fixtures_test

# The evaluation date every test runs at (see data.llm_policy.context.today).
today := "2026-11-27"

project := {"name": "demo", "owner": "team@example.com", "jurisdictions": ["US"]}

manifest(project_overrides, classes, sources) := {
	"apiVersion": "llm-policy/v1",
	"project": object.union(project, project_overrides),
	"data": {"classes": classes},
	"sources": sources,
}

with_routing(m, routing) := object.union(m, {"routing": routing})

valid_dpa := {
	"reference": "DPA-2025-014",
	"signed": "2025-01-10",
	"expires": "2027-12-31",
	"training_opt_out": true,
	"zero_retention": false,
}

cloud(id, provider, overrides) := object.union(
	{
		"id": id,
		"sector": "cloud_api",
		"provider": provider,
		"model": "gpt-4o",
		"hosting": "provider",
		"region": "US",
		"dpa": valid_dpa,
	},
	overrides,
)

local(id, overrides) := object.union(
	{
		"id": id,
		"sector": "open_source",
		"model": "meta-llama/Llama-3.1-8B-Instruct",
		"license": "llama3.1-community",
		"hosting": "on_prem",
		"region": "US",
	},
	overrides,
)

private(id, provider, overrides) := object.union(
	{
		"id": id,
		"sector": "private",
		"provider": provider,
		"model": "meta-llama/Llama-3.1-70B-Instruct",
		"license": "llama3.1-community",
		"hosting": "vendor_perimeter",
		"region": "US",
	},
	overrides,
)

# Drop keys from an object (to test absent optional keys).
without(obj, keys) := object.remove(obj, keys)

# Replace one key's value outright (object.union would merge nested objects).
replace(obj, key, value) := object.union(object.remove(obj, [key]), {key: value})

# The tables with one table replaced. Tests override the whole data.llm_policy.tables document:
# OPA does not apply `with` on a nested data path to rules that read its parent path.
tables_with(key, value) := replace(data.llm_policy.tables, key, value)
