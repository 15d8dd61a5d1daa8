"""The semantic identity of a finding, shared by SARIF, `diff` and `check --baseline`.

A finding is the same finding across runs when its rule id, JSON pointer, source id and file are the
same: never its line, column or message. So reformatting a manifest, reordering keys, rewording a
message or a message that counts days to an expiry changes nothing, while moving a problem to
another source or another node does. One function, so SARIF alerts, the findings delta of a pull
request and baseline gating can never disagree about what "the same finding" means.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any, Iterable, Mapping, Optional


def fingerprint_key(finding: Mapping[str, Any], file: Optional[str] = None) -> str:
    """sha256 of rule id, pointer, source id and file (`file` overrides the finding's own, for renames)."""
    path = (file if file is not None else finding["file"]).replace("\\", "/")
    parts = [finding["rule_id"], finding.get("pointer") or "", finding.get("source_id") or "", path]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def occurrence_keys(findings: Iterable[Mapping[str, Any]]) -> list[str]:
    """`key:n` per finding in order: identical keys within a run stay distinct (`:1`, `:2`, ...)."""
    seen: Counter[str] = Counter()
    keys = []
    for finding in findings:
        key = fingerprint_key(finding)
        seen[key] += 1
        keys.append(f"{key}:{seen[key]}")
    return keys
