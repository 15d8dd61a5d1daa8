"""`python -m llm_policy.schema_gen [--check]`: the documented command that writes every generated file.

A thin entry point kept at its historical path (docs, CI and contributors call it); the generators
live in `llm_policy/gen/`, the driver in `llm_policy.gen.main`.
"""

from __future__ import annotations

from llm_policy.gen.main import GENERATORS, main

__all__ = ["GENERATORS", "main"]

if __name__ == "__main__":
    raise SystemExit(main())
