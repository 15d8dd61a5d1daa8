"""The parsed `# METADATA` blocks of the built-in pack, precomputed: `llm_policy/policy/_metadata_table.json`.

Every `check` reads the METADATA of every built-in module (rule ids, severities, titles), and
parsing ~40 YAML blocks was the largest part of a cold start after the imports. The table maps
each block's exact YAML text to its parsed value; `policy.metadata` uses an entry only when the
block it is reading is that very text, so an edited policy (or a stale table) is parsed as
before: the table can make a run faster, never different. `schema_gen --check` keeps it current.
"""

from __future__ import annotations

import json

from llm_policy.policy.metadata import metadata_blocks, parse_block
from llm_policy.util.resources import builtin_policy_dir


def metadata_table() -> str:
    """{block text: parsed value} for every METADATA block of every built-in .rego file (tests too)."""
    root = builtin_policy_dir()
    table: dict[str, object] = {}
    for path in sorted(root.rglob("*.rego")):
        for body, line in metadata_blocks(path.read_text(encoding="utf-8")):
            table[body] = parse_block(body, line)
    return json.dumps(dict(sorted(table.items())), indent=0, ensure_ascii=False, sort_keys=True) + "\n"
