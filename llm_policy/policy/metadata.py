"""Read OPA-style `# METADATA` comment blocks from .rego source.

regorus does not implement `rego.metadata`, and a checker should not need an engine to list its
rules anyway, so we read the annotations ourselves: a block is `# METADATA` followed by `#`-prefixed
YAML lines, and applies to the next `package` (scope package) or rule (scope rule) line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

_RULE_HEAD = re.compile(r"^(?:default\s+)?([A-Za-z_][A-Za-z0-9_]*)\b")
_PACKAGE = re.compile(r"^package\s+([A-Za-z_][A-Za-z0-9_.]*)")


class MetadataError(ValueError):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


@dataclass
class Annotation:
    scope: str  # "package" or "rule"
    target: str  # package path or rule name
    line: int  # 1-based line of the "# METADATA" marker
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def custom(self) -> dict[str, Any]:
        custom = self.data.get("custom") or {}
        return custom if isinstance(custom, dict) else {}


_TABLE = Path(__file__).with_name("_metadata_table.json")
_table: Optional[dict[str, Any]] = None


def _precomputed(text: str) -> Any:
    """The parsed value of a block whose exact text the built-in pack's table holds, else None.

    The table (`llm_policy.gen.metadata_table`) is keyed by the block's text itself, so only a
    block identical to one that was parsed when the table was generated is answered from it: an
    edited or custom policy is parsed, a missing or unreadable table just costs the parse.
    """
    global _table
    if _table is None:
        try:
            with open(_TABLE, encoding="utf-8") as handle:
                loaded = json.load(handle)
            _table = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            _table = {}
    value = _table.get(text)
    return None if value is None else _copy(value)


def _copy(value: Any) -> Any:
    """A fresh copy of plain JSON data: each module gets annotations of its own, as a parse would give."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def parse_block(text: str, line: int) -> dict[str, Any]:
    """The block's YAML, read by the manifest loader (libyaml, YAML 1.2, no custom tags).

    Every check loads every rule's metadata, so this must be cheap: the built-in pack's blocks come
    precomputed (see `_precomputed`); any other block costs ~0.1 ms here against ~1.5 ms for a
    ruamel.yaml `load`.
    """
    known = _precomputed(text)
    if known is not None:
        return known  # type: ignore[no-any-return]
    from llm_policy.load import LoadError
    from llm_policy.load.yaml_loader import parse_value

    try:
        value = parse_value(text)
    except LoadError as exc:
        # Line numbers inside the message would count from the block; the finding's line is the file's.
        problem = re.sub(r" \([^()]* started at line \d+, column \d+\)$", "", exc.message.removeprefix("YAML syntax error: "))
        raise MetadataError(f"invalid YAML in METADATA block: {problem}", line + (exc.line or 1)) from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise MetadataError("a METADATA block must be a YAML mapping", line + 1)
    return value


def package_of(source: str) -> Optional[str]:
    """The module's package, exactly as `parse_annotations` finds it, without reading any METADATA."""
    for line in source.splitlines():
        if "package" not in line:  # cheap: most lines of a module cannot be its package line
            continue
        stripped = line.strip()
        if stripped.startswith("package"):
            match = _PACKAGE.match(stripped)
            if match:
                return match.group(1)
    return None


def _blocks(lines: list[str]) -> Iterator[tuple[int, str, int]]:
    """(0-based line of the marker, the block's YAML text, index of the line after its blank lines)."""
    after = 0
    for start in [n for n, line in enumerate(lines) if "# METADATA" in line and line.strip() == "# METADATA"]:
        if start < after:
            continue  # a marker line inside the block before it is part of that block's body
        i = start + 1
        body: list[str] = []
        while i < len(lines) and lines[i].lstrip().startswith("#"):
            text = lines[i].lstrip()[1:]
            body.append(text[1:] if text.startswith(" ") else text)
            i += 1
        while i < len(lines) and not lines[i].strip():
            i += 1
        after = i
        yield start, "\n".join(body), i


def metadata_blocks(source: str) -> list[tuple[str, int]]:
    """(YAML text, 1-based line of the marker) of each METADATA block, unparsed."""
    return [(body, start + 1) for start, body, _ in _blocks(source.splitlines())]


def parse_annotations(source: str) -> tuple[Optional[str], list[Annotation]]:
    """Return the module's package and its annotations, in source order.

    A block is the `#` lines after a `# METADATA` line; it applies to the next non-blank line,
    which must be a package or a rule head.
    """
    lines = source.splitlines()
    annotations: list[Annotation] = []
    for start, body, i in _blocks(lines):
        target_line = lines[i].strip() if i < len(lines) else ""
        data = parse_block(body, start + 1)
        package_match = _PACKAGE.match(target_line)
        rule_match = _RULE_HEAD.match(target_line)
        if package_match:
            scope, target = "package", package_match.group(1)
        elif rule_match:
            scope, target = "rule", rule_match.group(1)
        else:
            raise MetadataError("METADATA block is not followed by a package or rule", start + 1)
        annotations.append(Annotation(scope=data.get("scope", scope), target=target, line=start + 1, data=data))
    return package_of(source), annotations
