# METADATA
# title: License incompatible with the declared use
# description: |
#   Open weights come with licenses that restrict how they may be used. Non-commercial licenses
#   (CC-BY-NC-4.0, qwen-research, the Mistral Research and Non-Production licenses, Cohere's
#   C4AI license) forbid use in a commercial project, and so does any license whose SPDX id marks
#   it non-commercial (`CC-BY-NC-SA-4.0` and every other `*-NC-*`), even where the catalog does not
#   know it. The Llama (700M) and Qwen/Tongyi (100M) licenses require a separate license above a
#   number of monthly active users: Qwen counts the product's users
#   (`project.monthly_active_users`), Llama those of the licensee and all its affiliates in the
#   month before the model's release date (`project.organisation_monthly_active_users`; which
#   count a license uses is the `license_mau_scopes` table, a warning where it is unknown). Some clauses
#   depend on facts the manifest cannot prove: the Llama 3.2 Vision and Llama 4 acceptable-use
#   policies grant no rights to individuals or companies domiciled in the EU, so a project with
#   EU jurisdiction gets a warning to confirm where its principal place of business is. The
#   license is the catalog's license for the checkpoint when the catalog knows the model (licenses
#   differ per size), else the declared one.
# related_resources:
#   - ref: https://github.com/llm-policy/llm-policy/blob/main/docs/rules/LP201.md
#     description: Rule documentation
# custom:
#   id: LP201
#   severity: error
#   remediation: |
#     Choose a checkpoint whose license allows the use (for example Qwen2.5-7B, Apache-2.0, instead
#     of Qwen2.5-3B, research only), obtain a commercial license from the licensor, or correct
#     `project.commercial`, `project.monthly_active_users` or
#     `project.organisation_monthly_active_users` if they do not describe the project.
#   tags: [licensing]
#   examples:
#     failing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: shop-assistant
#         owner: shop-team@example.com
#         commercial: true
#       data:
#         classes: [public]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-3B-Instruct
#           license: qwen-research  # LP201: research only, but the project is commercial
#           hosting: on_prem
#     passing: |
#       apiVersion: llm-policy/v1
#       project:
#         name: shop-assistant
#         owner: shop-team@example.com
#         commercial: true
#       data:
#         classes: [public]
#       sources:
#         - id: local-qwen
#           sector: open_source
#           model: Qwen/Qwen2.5-7B-Instruct
#           license: Apache-2.0
#           hosting: on_prem
package llm_policy.rules.lp201

import data.llm_policy.lib

# The license of a licensed source, with where to point a finding about it: the model when the
# catalog decided the license from the checkpoint, the declared license otherwise.
licensed contains [src, sl, path] if {
	some [i, src, sl] in data.llm_policy.lib.licensed_sources
	path := _license_path(i, sl)
}

_license_path(i, sl) := ["sources", i, "model"] if sl.basis == "catalog"

_license_path(i, sl) := ["sources", i, "license"] if sl.basis == "declared"

# Non-commercial license in a commercial project.
findings contains f if {
	data.llm_policy.lib.commercial == true
	some [src, sl, path] in licensed
	sl.license.commercial_use == false
	level := lib.weakest([sl.verification, sl.license.evidence.commercial_use.verification])
	f := object.union(
		{
			"id": "LP201",
			"severity": lib.cap_severity("error", level),
			"msg": sprintf("Source %q runs %s under %s, which does not allow commercial use, but the project is commercial. Use a checkpoint licensed for commercial use or obtain a commercial license from the licensor.%s", [
				src.id, src.model, sl.license.id, lib.unverified_note(level),
			]),
			"path": path,
			"source_id": src.id,
		},
		lib.evidence(level, sl.license.evidence.commercial_use.source),
	)
}

# Commercial use allowed only on conditions (an application, royalties).
findings contains f if {
	data.llm_policy.lib.commercial == true
	some [src, sl, path] in licensed
	sl.license.commercial_use == "conditional"
	level := lib.weakest([sl.verification, sl.license.evidence.commercial_use.verification])
	f := object.union(
		{
			"id": "LP201",
			"severity": "warning",
			"msg": sprintf("Source %q runs %s under %s, which allows commercial use only on conditions (%s). Confirm the project meets them or use a checkpoint under a permissive license.%s", [
				src.id, src.model, sl.license.id, sl.license.commercial_use_note, lib.unverified_note(level),
			]),
			"path": path,
			"source_id": src.id,
		},
		lib.evidence(level, sl.license.evidence.commercial_use.source),
	)
}

# Whether the license allows commercial use at all is not known.
findings contains f if {
	data.llm_policy.lib.commercial == true
	some [src, sl, path] in licensed
	sl.license.commercial_use == null
	f := object.union(
		{
			"id": "LP201",
			"severity": "warning",
			"msg": sprintf("Source %q runs %s under %s, and whether that license allows commercial use is unverified in the catalog. Read the license terms and confirm commercial use before shipping.", [
				src.id, src.model, sl.license.id,
			]),
			"path": path,
			"source_id": src.id,
		},
		lib.evidence("unverified", sl.license.evidence.commercial_use.source),
	)
}

# A declared license that the catalog does not know but whose id marks it non-commercial
# (SPDX `*-NC-*`), on a checkpoint the catalog does not know either.
findings contains f if {
	data.llm_policy.lib.commercial == true
	some [i, src] in data.llm_policy.lib.sources
	lib.is_licensed(src)
	is_string(src.license)
	not lib.source_license(src)
	lib.noncommercial_license_id(src.license)
	f := {
		"id": "LP201",
		"severity": "error",
		"msg": sprintf("Source %q runs %s under %s, a non-commercial license by its id, but the project is commercial. Use a checkpoint licensed for commercial use or obtain a commercial license from the licensor.", [
			src.id, src.model, src.license,
		]),
		"path": ["sources", i, "license"],
		"source_id": src.id,
	}
}

# More monthly active users across the licensee and its affiliates than the license allows,
# where the license counts the organisation (Llama) or the catalog does not say what it counts.
findings contains f if {
	mau := data.llm_policy.lib.project.organisation_monthly_active_users
	is_number(mau)
	some [src, sl, _] in licensed
	limit := sl.license.mau_limit
	is_number(limit)
	mau > limit
	scope := _mau_scope(sl)
	scope != "product"
	level := lib.weakest([sl.verification, sl.license.evidence.mau_limit.verification])
	f := object.union(
		{
			"id": "LP201",
			"severity": _organisation_mau_severity(scope, level),
			"msg": sprintf("The licensee and its affiliates have %d monthly active users, above the %d that %s allows for source %q (%s)%s. Request a license from the licensor or use a model without a user cap.%s", [
				mau, limit, sl.license.id, src.id, src.model, _scope_note(scope), lib.unverified_note(level),
			]),
			"path": ["project", "organisation_monthly_active_users"],
			"source_id": src.id,
		},
		lib.evidence(level, sl.license.evidence.mau_limit.source),
	)
}

# Whose users a license's cap counts: the catalog's fact, else the license_mau_scopes table.
_mau_scope(sl) := sl.license.mau_scope if {
	is_string(sl.license.mau_scope)
} else := data.llm_policy.lib.tables.license_mau_scopes[sl.key] if {
	is_string(data.llm_policy.lib.tables.license_mau_scopes[sl.key])
} else := "unknown"

_organisation_mau_severity(scope, level) := lib.cap_severity("error", level) if {
	scope == "organisation"
} else := "warning"

_scope_note(scope) := ", counted across the licensee and its affiliates in the month before the model's release" if {
	scope == "organisation"
} else := "; the catalog does not say whether the cap counts the product or the whole organisation, so confirm which applies"

# More monthly active users than the license allows without a separate license.
findings contains f if {
	mau := data.llm_policy.lib.project.monthly_active_users
	is_number(mau)
	some [src, sl, _] in licensed
	limit := sl.license.mau_limit
	is_number(limit)
	mau > limit
	level := lib.weakest([sl.verification, sl.license.evidence.mau_limit.verification])
	f := object.union(
		{
			"id": "LP201",
			"severity": lib.cap_severity("error", level),
			"msg": sprintf("The project declares %d monthly active users, above the %d that %s allows for source %q (%s). Request a license from the licensor or use a model without a user cap.%s", [
				mau, limit, sl.license.id, src.id, src.model, lib.unverified_note(level),
			]),
			"path": ["project", "monthly_active_users"],
			"source_id": src.id,
		},
		lib.evidence(level, sl.license.evidence.mau_limit.source),
	)
}

# The EU clause of multimodal Llama models: depends on where the licensee is domiciled, which the
# manifest cannot prove, so a warning whenever the project's jurisdictions include the EU.
findings contains f if {
	some [src, sl, _] in licensed
	eu := sl.license.eu_restriction
	is_object(eu)
	[level, reference] := _eu_clause_evidence(src, sl)
	jurisdictions := object.get(data.llm_policy.lib.project, "jurisdictions", [])
	j := min({k | some k, code in jurisdictions; lib.in_eu(code)})
	code := jurisdictions[j]
	f := object.union(
		{
			"id": "LP201",
			"severity": "warning",
			"msg": sprintf("Source %q runs %s, a multimodal model whose license %s grants no rights to individuals or companies domiciled in the EU (end users of a product are exempt), and the project's jurisdictions include %s. Confirm that the licensee's principal place of business is outside the EU, or use another model.%s", [
				src.id, src.model, sl.license.id, code, lib.unverified_note(level),
			]),
			"path": ["project", "jurisdictions", j],
			"source_id": src.id,
		},
		lib.evidence(level, reference),
	)
}

# The clause applies to the checkpoint when the catalog marks the model, or to every model of
# the license (Llama 4) when the catalog does not know the model.
_eu_clause_evidence(src, sl) := [level, m.evidence.eu_restriction.source] if {
	m := lib.model(src.model)
	m.eu_restriction == true
	level := m.evidence.eu_restriction.verification
} else := [sl.license.evidence.eu_restriction.verification, sl.license.evidence.eu_restriction.source] if {
	not lib.known_model(src)
	sl.license.eu_restriction.all_models == true
}
