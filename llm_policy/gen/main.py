"""Write every generated file, or check that the committed ones are current.

    python -m llm_policy.schema_gen          # rewrite schemas/*.json, docs/manifest.md, docs/rules/*.md, docs/cli.md,
                                             # llm_policy/policy/_metadata_table.json, ...
    python -m llm_policy.schema_gen --check  # exit 1 if a committed generated file is stale

The driver is the only module that imports every generator; the generators import their sources
(and `fast_validator` imports `schemas`), never the driver, so the graph has no cycle.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

import llm_policy

from llm_policy.gen.schemas import diff_schema, manifest_reference, manifest_schema, render, report_schema

GENERATORS: dict[str, Callable[[], str]] = {
    "schemas/llm-sourcing.schema.json": lambda: render(manifest_schema()),
    "schemas/report.schema.json": lambda: render(report_schema()),
    "schemas/diff.schema.json": lambda: render(diff_schema()),
    "docs/manifest.md": manifest_reference,
    # The yes/no gate that spares valid manifests the jsonschema import (needs fastjsonschema here only).
    "llm_policy/validate/_fast_validator.py": lambda: _fast_validator(),
    # Every subcommand's flags, every config key and every GitHub Action input.
    "docs/cli.md": lambda: _cli_reference(),
    # The built-in pack's METADATA blocks, parsed: `check` reads them from here instead of parsing ~40 YAML blocks.
    "llm_policy/policy/_metadata_table.json": lambda: _metadata_table(),
}


def _fast_validator() -> str:
    from llm_policy.gen.fast_validator import manifest_fast_validator

    return manifest_fast_validator()


def _metadata_table() -> str:
    from llm_policy.gen.metadata_table import metadata_table

    return metadata_table()


def _cli_reference() -> str:
    from llm_policy.gen.cli_docs import cli_reference

    return cli_reference()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m llm_policy.schema_gen", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed generated files are stale")
    # The checkout holding the package (llm_policy/__init__.py -> llm_policy/ -> the repository).
    parser.add_argument("--dir", type=Path, default=Path(llm_policy.__file__).resolve().parent.parent, help="repository root")
    args = parser.parse_args(argv)
    from llm_policy.gen.rule_pages import orphan_pages, rule_doc_generators

    generators = {**GENERATORS, **rule_doc_generators()}  # plus docs/rules/<ID>.md, one per built-in rule
    stale = []
    for name in orphan_pages(args.dir, set(generators)):  # the page of a rule that no longer exists
        if args.check:
            stale.append(name)
        else:
            (args.dir / name).unlink()
            print(f"removed {args.dir / name}")
    for name, generate in generators.items():
        text = generate()
        target = args.dir / name
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target}")
    if stale:
        print(f"stale generated files: {', '.join(stale)}; run: python -m llm_policy.schema_gen", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
