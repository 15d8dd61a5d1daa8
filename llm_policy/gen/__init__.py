"""Build-time generators of committed files; never imported by the `check` path.

`schemas` (JSON Schemas and docs/manifest.md from the pydantic models and report dataclasses),
`fast_validator` (the schema's yes/no gate), `rule_pages` (docs/rules/*.md), `cli_docs`
(docs/cli.md from the argparse parsers, the config keys and action.yml); `main` writes them all
or, with `--check`, fails when a committed one is stale (`python -m llm_policy.schema_gen`).
"""
