"""Catalog facts the BOM states instead of the manifest's claims: publisher, license URL and SPDX id.

Facts over claims: where the catalog (policies/data/catalog.json, generated from the reference
catalog with each fact's source) knows a model's vendor or a license's text URL, the BOM uses it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Optional


@lru_cache(maxsize=1)
def catalog() -> dict[str, Any]:
    from llm_policy.util.resources import builtin_policy_dir

    path = builtin_policy_dir() / "data" / "catalog.json"
    return json.loads(path.read_text(encoding="utf-8"))["llm_policy"]["catalog"]  # type: ignore[no-any-return]


def model(repo: str) -> Optional[dict[str, Any]]:
    entry = catalog()["models"].get(repo.lower())
    return entry if isinstance(entry, dict) else None


def license_entry(license_id: str) -> Optional[dict[str, Any]]:
    key = license_id.lower()
    key = catalog()["license_aliases"].get(key, key)
    entry = catalog()["licenses"].get(key)
    return entry if isinstance(entry, dict) else None


def provider(name: str) -> Optional[dict[str, Any]]:
    key = name.lower()
    key = catalog()["provider_aliases"].get(key, key)
    entry = catalog()["providers"].get(key)
    return entry if isinstance(entry, dict) else None
