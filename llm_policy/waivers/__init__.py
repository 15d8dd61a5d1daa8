"""Waivers: reviewed, expiring acceptances of known findings, kept in llm-policy-waivers.yaml.

`loader` finds and strictly reads the file; `apply` marks matching findings as waived after
evaluation and reports expired (LP900) and unused (LP901) waivers.
"""

from llm_policy.waivers.apply import WaiverUse, apply_waivers, matches
from llm_policy.waivers.loader import (
    UNWAIVABLE,
    WAIVER_NAMES,
    WaiverEntry,
    WaiverFile,
    WaiverFileError,
    find_waivers_file,
    load_waivers,
)

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
