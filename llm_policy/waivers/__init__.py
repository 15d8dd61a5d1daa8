"""Waivers: reviewed, expiring acceptances of known findings, kept in llm-policy-waivers.yaml.

`loader` finds and strictly reads the file; `apply` marks matching findings as waived after
evaluation and reports expired (LP900) and unused (LP901) waivers.
"""

from typing import Any

# Imported on first use (PEP 562): a check without a waivers file never needs `apply`.
_HOMES = {
    "WaiverUse": "apply", "apply_waivers": "apply", "matches": "apply",
    "UNWAIVABLE": "loader", "WAIVER_NAMES": "loader", "WaiverEntry": "loader", "WaiverFile": "loader",
    "WaiverFileError": "loader", "find_waivers_file": "loader", "load_waivers": "loader",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


__all__ = [
    "UNWAIVABLE",
    "WAIVER_NAMES",
    "WaiverEntry",
    "WaiverFile",
    "WaiverFileError",
    "WaiverUse",
    "apply_waivers",
    "find_waivers_file",
    "load_waivers",
    "matches",
]
