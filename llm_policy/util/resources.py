"""Where the bundled schemas and policies live, installed or in a checkout.

In a wheel they are packed under `llm_policy/_bundled/` (see pyproject's force-include); in a
source checkout or editable install they are the top-level `schemas/` and `policies/` folders.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # llm_policy/, this file being llm_policy/util/resources.py


@lru_cache(maxsize=None)
def _root(name: str) -> Path:
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"llm-policy installation is incomplete: no '{name}' directory next to {_PACKAGE}")


def schema_path(filename: str) -> Path:
    return _root("schemas") / filename


def builtin_policy_dir() -> Path:
    return _root("policies")
