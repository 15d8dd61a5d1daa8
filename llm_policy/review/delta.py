"""The findings delta: new, fixed and unchanged findings, matched by the SARIF fingerprint.

Matching is a multiset match on `llm_policy.output.fingerprint.fingerprint_key` (rule, pointer, source id,
file), so moving lines, reordering keys or rewording a message changes nothing, and two identical
findings in one file are matched one to one. A renamed file's base findings are keyed under the new
name, so a rename alone is not "one fixed, one new".
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional

from llm_policy.output.fingerprint import fingerprint_key


def findings_delta(base: Iterable[dict[str, Any]], head: Iterable[dict[str, Any]],
                   renamed: Optional[Mapping[str, str]] = None) -> dict[str, list[dict[str, Any]]]:
    """`{"new": [...], "fixed": [...], "unchanged": [...]}`; unchanged findings are the head's copies."""
    renamed = renamed or {}
    pool: dict[str, list[dict[str, Any]]] = {}
    for finding in base:
        key = fingerprint_key(finding, renamed.get(finding["file"], finding["file"]))
        pool.setdefault(key, []).append(finding)
    new, unchanged = [], []
    for finding in head:
        matches = pool.get(fingerprint_key(finding))
        if matches:
            matches.pop(0)
            unchanged.append(finding)
        else:
            new.append(finding)
    fixed = [finding for matches in pool.values() for finding in matches]
    return {"new": new, "fixed": sorted(fixed, key=_order), "unchanged": unchanged}


def _order(finding: Mapping[str, Any]) -> tuple[Any, ...]:
    return (finding["file"], finding.get("line") or 0, finding.get("column") or 0, finding["rule_id"])
