"""Regulatory frameworks (issue 16): which frameworks exist, and the compliance report.

The framework table is data (`policies/data/frameworks.json`); the Rego pack decides which rules
run (`policies/lib/frameworks.rego`). This package only reads the table: to validate
`--framework` flags (an unknown id is a usage error, exit 2) and to group findings per control
in `llm-policy report`.
"""
