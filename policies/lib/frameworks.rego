# Regulatory frameworks (issue 16): which frameworks a project selects and whether a rule runs.
#
# policies/data/frameworks.json maps framework -> control -> rules. A rule that implements a
# control of some framework runs only when one of its frameworks is selected; a rule named by no
# control (placeholders, licenses, availability, cost, drift) is framework-neutral and always runs.
# Each such rule starts its body with `lib.rule_enabled("LPnnn")`, so the selection works the same
# under regorus, `opa eval`, conftest and an OPA server.
package llm_policy.lib

framework_table := data.llm_policy.frameworks

# Framework id -> spec, for every framework the table knows.
framework_specs := object.get(framework_table, "frameworks", {})

# The selection, first that applies: the run's `--framework` flags
# (data.llm_policy.context.frameworks), the manifest's `project.frameworks`, the frameworks its
# jurisdictions and data classes imply.
selected_frameworks := _run_selection if {
	count(_run_selection) > 0
} else := _manifest_selection if {
	count(_manifest_selection) > 0
} else := _implied

_run_selection := {f | some f in data.llm_policy.context.frameworks}

_manifest_selection := {f | some f in object.get(project, "frameworks", [])}

# What the facts imply: jurisdictions and data classes, or when they imply nothing the frameworks
# that run unscoped; plus what the manifest's declarations imply (project.ai_act: the AI Act).
_implied := _implied_by_facts | _implied_by_declarations if {
	count(_implied_by_facts) > 0
} else := _unscoped | _implied_by_declarations

_implied_by_facts := {f |
	some j in jurisdictions
	some f in object.get(object.get(framework_table, "by_jurisdiction", {}), j, [])
} | {f |
	some c in manifest_classes
	some f in object.get(object.get(framework_table, "by_data_class", {}), c, [])
}

_implied_by_declarations := {f |
	some key, fws in object.get(framework_table, "by_declaration", {})
	project[key]
	some f in fws
}

# Nothing selected and nothing implied (e.g. a project only in the US) means no scoping: every
# framework runs except those marked `when_unscoped: false` (the EU AI Act, whose rules demand
# declarations of every project). Fail closed: a missing selection never silences the
# data-protection rules.
_unscoped := {f | some f, spec in framework_specs; object.get(spec, "when_unscoped", true) == true}

# The frameworks whose rules run.
framework_scope := selected_frameworks

# Rules that some framework's control names (one pass over the table), and those that a framework
# in scope names (a pass over the selected frameworks only, usually one or two of the table's).
_framework_bound_rules := {id |
	some spec in framework_specs
	some control in spec.controls
	some id in control.rules
}

_enabled_bound_rules := {id |
	some fw in framework_scope
	some control in object.get(framework_specs, [fw, "controls"], [])
	some id in control.rules
}

# A rule runs when it is framework-neutral or one of its frameworks is in scope.
rule_enabled(id) if not _framework_bound(id)

rule_enabled(id) if id in _enabled_bound_rules

_framework_bound(id) if id in _framework_bound_rules

# Whether one framework is in scope (for rules whose duty depends on it, e.g. LP701).
framework_in_scope(fw) if fw in framework_scope
