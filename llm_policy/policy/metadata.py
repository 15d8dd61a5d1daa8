"""Read OPA-style `# METADATA` comment blocks from .rego source.

regorus does not implement `rego.metadata`, and a checker should not need an engine to list its
rules anyway, so we read the annotations ourselves: a block is `# METADATA` followed by `#`-prefixed
YAML lines, and applies to the next `package` (scope package) or rule (scope rule) line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional

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


def _parse_yaml(text: str, line: int) -> dict[str, Any]:
    """The block's YAML, read by the manifest loader (libyaml, YAML 1.2, no custom tags).

    Every check loads every rule's metadata, so this must be cheap: ~0.1 ms a block here against
    ~1.5 ms for a ruamel.yaml `load`, which made METADATA the largest part of loading the policies.
    """
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
        stripped = line.strip()
        if stripped.startswith("package"):
            match = _PACKAGE.match(stripped)
            if match:
                return match.group(1)
    return None


def parse_annotations(source: str) -> tuple[Optional[str], list[Annotation]]:
    """Return the module's package and its annotations, in source order."""
    lines = source.splitlines()
    package: Optional[str] = None
    annotations: list[Annotation] = []
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if package is None and stripped.startswith("package"):  # the regex only where it can match
            match = _PACKAGE.match(stripped)
            if match:
                package = match.group(1)
        if stripped != "# METADATA":
            i += 1
            continue
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines) and lines[i].lstrip().startswith("#"):
            text = lines[i].lstrip()[1:]
            body.append(text[1:] if text.startswith(" ") else text)
            i += 1
        while i < len(lines) and not lines[i].strip():
            i += 1
        target_line = lines[i].strip() if i < len(lines) else ""
        data = _parse_yaml("\n".join(body), start + 1)
        package_match = _PACKAGE.match(target_line)
        rule_match = _RULE_HEAD.match(target_line)
        if package_match:
            scope, target = "package", package_match.group(1)
        elif rule_match:
            scope, target = "rule", rule_match.group(1)
        else:
            raise MetadataError("METADATA block is not followed by a package or rule", start + 1)
        annotations.append(Annotation(scope=data.get("scope", scope), target=target, line=start + 1, data=data))
    return package, annotations
