"""Small helpers every stage shares, with no dependency on any stage: `safe_text` (printing text a
repository controls), `chars` (ASCII-only readings), `numbers` (bounded numeric flags and config
values) and `resources` (where the bundled schemas and policies live).
"""
