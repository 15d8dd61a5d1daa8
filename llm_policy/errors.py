"""Exceptions of the Python API, in a module light enough to import anywhere.

`ManifestError` lives here rather than beside the pydantic models so that
`from llm_policy import ManifestError` (for an `except` clause) never imports pydantic.
"""

from __future__ import annotations

from typing import Any, Optional


class ManifestError(ValueError):
    """`load_manifest` could not give a typed manifest: the file is missing or unreadable, or it is not valid.

    `path` is the manifest's path as given; `findings` holds the located errors (LP000-LP002) when
    the file was read, and is empty when it could not be read at all (`reason` says why).
    """

    def __init__(self, findings: list[Any], path: Optional[str] = None, reason: Optional[str] = None):
        self.findings = findings
        self.path = path if path is not None else (findings[0].file if findings else None)
        self.reason = reason
        lines = [f"{f.file}:{f.line}:{f.column}: {f.rule_id} {f.message}" for f in findings]
        if reason is not None:
            lines.insert(0, f"{self.path}: {reason}" if self.path is not None else reason)
        super().__init__("\n".join(lines) or f"{self.path}: not a valid manifest")
