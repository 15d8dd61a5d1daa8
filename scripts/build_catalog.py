#!/usr/bin/env python3
"""Generate `policies/data/catalog.json` from the catalog `catalog/llm-catalog.yaml`.

Why this script exists: the Rego rules look facts up by the names users type in manifests
(lowercase Hugging Face repo ids, license ids, provider names such as `azure-openai`), while the
research catalog is organised by model family, licensed per size or per checkpoint, and describes
some facts in prose. This script does that normalisation once, deterministically, so that the
policies stay simple and a reviewer can diff the generated data. Every fact keeps the
`verification` level and the `source` URL it rests on (in each entry's `evidence` map), because a
finding that rests on an `unverified` fact must be downgraded to a warning and say so.

Where the YAML only carries a qualification in a comment (which a YAML parser drops), or a region
list in prose, the decision is written down in the tables below, with the catalog's words quoted.
The script fails when the catalog gains a provider or a prose region that no table covers, so a
catalog update cannot silently produce wrong lookups.

Usage: python scripts/build_catalog.py [REFERENCE_YAML] [--output PATH] [--check]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any, Optional

from ruamel.yaml import YAML

REPO_ROOT = Path(__file__).resolve().parent.parent
# The catalog's source of truth lives in the repository (it started as a copy of the research
# reference; see its header), so a clone alone can rebuild and test the policy data.
DEFAULT_REFERENCE = REPO_ROOT / "catalog" / "llm-catalog.yaml"
DEFAULT_OUTPUT = REPO_ROOT / "policies" / "data" / "catalog.json"
# The purpose ids that `aup_bans` may name live in the policy tables (aup_purposes), so the rules
# and the catalog share one vocabulary; the build fails on an id the table does not define.
TABLES = REPO_ROOT / "policies" / "data" / "tables.json"

LEVELS = ("primary", "secondary", "unverified")

# --------------------------------------------------------------------------- licenses

LICENSE_FACTS = (
    "commercial_use",
    "non_production",
    "aup_bans",
    "mau_limit",
    "requires_attribution",
    "attribution_text",
    "derivative_naming",
    "use_restrictions",
    "eu_restriction",
)

# Qualifications the catalog makes in YAML comments (lost when parsing), per (license, fact).
LICENSE_FACT_LEVELS: dict[tuple[str, str], tuple[str, str]] = {
    ("llama4-community", "eu_restriction"): (
        "secondary",
        "catalog: 'license read; AUP clause confirmed via several secondary copies'",
    ),
    ("llama3.3-community", "mau_limit"): (
        "secondary",
        "catalog: 'license body assumed equal to 3.1 pattern (MAU/attribution seen in HF gating text)'",
    ),
    ("llama3.3-community", "attribution_text"): (
        "secondary",
        "catalog: 'license body assumed equal to 3.1 pattern (MAU/attribution seen in HF gating text)'",
    ),
    ("llama2-community", "requires_attribution"): (
        "unverified",
        "catalog: 'exact Llama 2 wording unverified'",
    ),
}

# The catalog says Llama 4's EU clause applies to "any multimodal model in Llama 4; Scout and
# Maverick are natively multimodal, so all released Llama 4 models": a repo id the catalog does
# not list is still covered. For Llama 3.2 only the Vision checkpoints are.
EU_RESTRICTION_ALL_MODELS = {"llama4-community"}

# Names users type for licenses that are not catalog keys. Besides the catalog's own
# `hf_license_tag` and `short` fields, these are the `license:` tags of the Hugging Face model cards
# of the Llama repos (llama2 ... llama4), which users copy from the Hub.
EXTRA_LICENSE_ALIASES = {
    "llama2": "llama2-community",
    "llama3": "llama3-community",
    "llama3.1": "llama3.1-community",
    "llama3.2": "llama3.2-community",
    "llama3.3": "llama3.3-community",
    "llama4": "llama4-community",
}

# --------------------------------------------------------------------------- models

# Per-checkpoint qualifications given in comments.
MODEL_LEVELS: dict[str, tuple[str, str]] = {
    "meta-llama/llama-3.2-1b-instruct": ("secondary", "catalog: 'vision sizes from model card; 1B/3B from secondary'"),
    "meta-llama/llama-3.2-3b-instruct": ("secondary", "catalog: 'vision sizes from model card; 1B/3B from secondary'"),
}
MODEL_NOTES: dict[str, str] = {
    "llama4": "catalog: repo ids unverified",
    "mixtral": "catalog: 8x22B repo id unverified",
}

# --------------------------------------------------------------------------- providers

# The provider names users write in manifests -> the catalog's provider keys.
PROVIDER_NAMES = {
    "openai": "openai_api",
    "azure-openai": "azure_openai",
    "anthropic": "anthropic_api",
    "google-vertex": "google_vertex_ai",
    "google-gemini": "google_gemini_api",
    "aws-bedrock": "aws_bedrock",
    "mistral": "mistral_la_plateforme",
    "yandex": "yandex_cloud_yandexgpt",
    "gigachat": "gigachat_sber",
    "nvidia-nim": "nvidia_nim",
    "sbercloud": "sbercloud_cloud_ru",
    "yandex-private": "yandex_private_deployment",
    "mts-ai": "mts_ai",
}

# Other spellings (product names, short forms). The catalog keys themselves, with `_` or `-`, are
# added automatically.
PROVIDER_ALIASES = {
    "openai-api": "openai",
    "chatgpt": "openai",
    "azure": "azure-openai",
    "azure-ai": "azure-openai",
    "claude": "anthropic",
    "vertex": "google-vertex",
    "vertex-ai": "google-vertex",
    "gemini": "google-gemini",
    "gemini-api": "google-gemini",
    "bedrock": "aws-bedrock",
    "amazon-bedrock": "aws-bedrock",
    "mistral-ai": "mistral",
    "mistralai": "mistral",
    "la-plateforme": "mistral",
    "yandexgpt": "yandex",
    "yandex-gpt": "yandex",
    "yandex-cloud": "yandex",
    "yandex-ai-studio": "yandex",
    "sber": "gigachat",
    "gigachat-api": "gigachat",
    "cloud-ru": "sbercloud",
    "cloudru": "sbercloud",
    "evolution": "sbercloud",
    "nim": "nvidia-nim",
    "nvidia": "nvidia-nim",
    "mts": "mts-ai",
    "mws": "mts-ai",
    "mws-gpt": "mts-ai",
}

# Region lists the catalog gives in prose, derived conservatively: only places the prose names.
# A list that the prose says is incomplete is `unverified`, so a region finding resting on it is
# at most a warning.
PROSE_REGIONS: dict[str, tuple[list[str], str, str]] = {
    "azure_openai": (
        ["US", "EU", "CH", "GB", "JP", "AU", "CA", "KR", "IN", "BR", "NO", "ZA", "AE"],
        "unverified",
        "catalog prose: 'Global, DataZone (US, EU; USGov), Azure geography (regional)' plus regional deployments in CH, GB, JP, AU, CA, KR, IN, BR, NO, ZA, AE; per-model availability varies",
    ),
    "anthropic_api": (
        ["US"],
        "unverified",
        "catalog prose: 'primarily US processing; EU residency via AWS Bedrock / Google Vertex regional endpoints'",
    ),
    "google_vertex_ai": (
        ["US", "EU", "GB", "CH", "JP", "AU", "CA", "KR", "IN", "SG"],
        "unverified",
        "catalog prose: 'US and EU multi-regions plus country-level regions' (e.g. GB, CH, JP, AU, CA, KR, IN, SG); the country list is not complete",
    ),
    "aws_bedrock": (
        ["US", "EU"],
        "unverified",
        "catalog prose: 'US, EU, APAC incl. geographic cross-region inference profiles'; APAC countries are not enumerated",
    ),
    "mistral_la_plateforme": (
        ["EU", "US"],
        "primary",
        "catalog prose: 'EU processing; US for supported models; each region an independent deployment'",
    ),
}

# Region notes for providers whose catalog entry has no regions at all.
NO_REGION_NOTES = {
    "nvidia_nim": "self-hosted container: inference runs wherever the operator deploys it",
    "yandex_private_deployment": "dedicated or on-prem setup: inference runs wherever it is deployed",
    "google_gemini_api": "catalog: prompts 'may be cached in any country'; no region commitment",
}

# Jurisdiction facts (`availability`): what a status means for a project in that jurisdiction.
AVAILABILITY_STATUSES = {
    "not_served": "the provider does not offer the service there",
    "not_contractable": "the provider does not sell or license the service there",
    "sanctioned": "sanctions there bar contracting with the provider",
    "restricted": "sanctions there restrict dealings with the provider",
    "paid_only": "only the provider's paid services may be used there",
}
# Region/jurisdiction codes an availability entry may use besides ISO 3166-1 alpha-2 codes.
AVAILABILITY_GROUPS = {"EU", "EEA"}

# Qualifications given in comments, per (provider key, fact).
PROVIDER_FACT_LEVELS: dict[tuple[str, str], tuple[str, str]] = {
    ("azure_openai", "can_serve_152fz_personal_data"): ("unverified", "catalog: 'no RU region (unverified)'"),
    ("aws_bedrock", "can_serve_152fz_personal_data"): ("unverified", "catalog: 'no RU region (unverified)'"),
    ("gigachat_sber", "regions"): ("secondary", "catalog: 'data stored in RF (secondary, aggregator catalog)'"),
    ("openai_api", "regions"): (
        "primary",
        "catalog: data residency for eligible API projects (new project, chosen region); OpenAI's 'UK' written as ISO GB",
    ),
}

PROVIDER_FACTS = (
    "sectors",
    "regions",
    "dpa_offered",
    "training_on_inputs_default",
    "zero_retention_available",
    "can_serve_152fz_personal_data",
    "group",
    "dpf_certified",
    "origin",
)
# Facts that carry their own evidence in the YAML (not the provider's level and first source).
OWN_EVIDENCE_FACTS = ("group", "dpf_certified", "origin")


# --------------------------------------------------------------------------- helpers


class CatalogError(Exception):
    """The reference catalog has a shape this script does not know how to normalise."""


def _plain(value: Any) -> Any:
    """YAML scalars (dates) -> JSON-compatible values, recursively."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def load_reference(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_bytes()
    yaml = YAML(typ="safe", pure=True)
    return _plain(yaml.load(text)), hashlib.sha256(text).hexdigest()


def _level(value: Any) -> str:
    if value not in LEVELS:
        raise CatalogError(f"unknown verification level {value!r}")
    return value


def _level_in_text(text: Any, default: str) -> str:
    """A prose value that itself says 'unverified' or '(secondary)' weakens the fact (never strengthens)."""
    if isinstance(text, str):
        lowered = text.lower()
        if "unverified" in lowered:
            return "unverified"
        if "secondary" in lowered:
            return _weakest(default, "secondary")
    return default


def _weakest(*levels: str) -> str:
    return max(levels, key=LEVELS.index)


def _evidence(level: str, source: Optional[str], note: Optional[str] = None) -> dict[str, Any]:
    item: dict[str, Any] = {"verification": level, "source": source}
    if note:
        item["note"] = note
    return item


# --------------------------------------------------------------------------- licenses


def _commercial(value: Any) -> tuple[Any, Optional[str]]:
    """true / false / "conditional" (allowed only after an application or royalty) / None (unknown)."""
    if isinstance(value, bool):
        return value, None
    if value is None or (isinstance(value, str) and value.strip().lower().startswith("unverified")):
        return None, None
    return "conditional", str(value)


def _none_word(value: Any) -> Any:
    """'none' and 'none confirmed (...)' mean the license has no such clause (as far as known)."""
    if isinstance(value, str) and value.strip().lower().startswith("none"):
        return None
    return value


def _purpose_ids() -> set[str]:
    tables = json.loads(TABLES.read_text(encoding="utf-8"))["llm_policy"]["tables"]
    return set(tables["aup_purposes"])


def _aup_bans(lic_id: str, spec: dict[str, Any], purposes: set[str]) -> tuple[list[str], Optional[str], Optional[str], Optional[str]]:
    """(purpose ids, verification, source, clause) of the uses a license's acceptable-use policy bans."""
    bans = spec.get("aup_bans")
    if bans is None:
        return [], None, None, None
    ids = list(bans["purposes"])
    unknown = sorted(set(ids) - purposes)
    if unknown:
        raise CatalogError(f"license {lic_id!r}: aup_bans names purposes not in tables.json aup_purposes: {unknown}")
    level = _level(bans["verification"]) if "verification" in bans else None
    return sorted(ids), level, bans.get("source") or spec.get("aup"), bans.get("clause")


def build_licenses(raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    purposes = _purpose_ids()
    licenses: dict[str, Any] = {}
    aliases: dict[str, str] = {}
    for lic_id, spec in raw["licenses"].items():
        key = lic_id.lower()
        level = _level(spec["verification"])
        source = spec.get("source")
        commercial, commercial_note = _commercial(spec.get("commercial_use"))
        requires_attr = spec.get("requires_attribution")
        non_production = spec.get("non_production") is True
        bans, bans_level, bans_source, bans_clause = _aup_bans(lic_id, spec, purposes)
        if spec.get("commercial_use_note"):
            commercial_note = spec["commercial_use_note"]
        eu = spec.get("eu_restriction")
        if eu is not None:
            eu = dict(eu, all_models=lic_id in EU_RESTRICTION_ALL_MODELS)
        entry: dict[str, Any] = {
            "id": lic_id,
            "spdx_id": spec.get("spdx_id"),
            "base": spec.get("base"),
            "commercial_use": commercial,
            "commercial_use_note": commercial_note,
            "non_production": non_production,
            "aup_bans": bans,
            "aup_bans_note": bans_clause,
            "mau_limit": spec.get("mau_limit"),
            "requires_attribution": requires_attr if isinstance(requires_attr, bool) else None,
            "attribution_text": spec.get("attribution_text"),
            "derivative_naming": _none_word(spec.get("derivative_naming")),
            "use_restrictions": _none_word(spec.get("use_restrictions")),
            "aup": spec.get("aup"),
            "eu_restriction": eu,
            "applies_to": spec.get("applies_to"),
            "note": spec.get("note") or spec.get("hosting_clause"),
            "source": source,
            "verification": level,
        }
        evidence = {}
        for fact in LICENSE_FACTS:
            fact_level = _level_in_text(spec.get(fact), level)
            if fact == "commercial_use" and commercial is None:
                fact_level = "unverified"
            if fact == "requires_attribution" and requires_attr is not None and not isinstance(requires_attr, bool):
                fact_level = "unverified"
            note = None
            if (lic_id, fact) in LICENSE_FACT_LEVELS:
                override, note = LICENSE_FACT_LEVELS[(lic_id, fact)]
                fact_level = _weakest(fact_level, override)
            fact_source = source
            if fact == "aup_bans" and bans:
                fact_level = _weakest(fact_level, bans_level) if bans_level else fact_level
                fact_source = bans_source or source
            elif fact == "eu_restriction" and spec.get("aup"):
                fact_source = spec["aup"]  # the clause sits in the Acceptable Use Policy
            evidence[fact] = _evidence(fact_level, fact_source, note)
        entry["evidence"] = evidence
        licenses[key] = entry

        tag = spec.get("hf_license_tag")
        if isinstance(tag, str):
            alias = tag.split("license_name:")[-1].strip().lower()
            if alias and alias != key:
                aliases[alias] = key
        if isinstance(spec.get("short"), str):
            aliases[spec["short"].lower()] = key
    for alias, target in EXTRA_LICENSE_ALIASES.items():
        if target not in licenses:
            raise CatalogError(f"license alias {alias!r} points at unknown license {target!r}")
        aliases[alias] = target
    clash = set(aliases) & set(licenses)
    if clash:
        raise CatalogError(f"license aliases shadow license ids: {sorted(clash)}")
    return licenses, aliases


# --------------------------------------------------------------------------- models


def _size_token(size: Any) -> str:
    """7 -> '7b', '0.5b' -> '0.5b', '57B-A14B' -> '57b-a14b'."""
    token = str(size).lower()
    return token if token.endswith("b") else token + "b"


def _has_size(repo_name: str, size: str) -> bool:
    """'qwen2.5-7b-instruct' has size '7b' (not '72b', not '57b-a14b')."""
    return re.search(r"-" + re.escape(size) + r"(-|$)", repo_name.lower()) is not None


def _license_id(value: str, licenses: dict[str, Any]) -> str:
    """A license field is a license id, or prose naming one ('base Qwen2.5 (Apache-2.0 per ...)')."""
    if value.lower() in licenses:
        return licenses[value.lower()]["id"]
    named = [lic["id"] for lic in licenses.values() if re.search(re.escape(lic["id"]) + r"\b", value)]
    if len(named) != 1:
        raise CatalogError(f"cannot tell which license {value!r} means")
    return named[0]


def _modality(family: dict[str, Any], repo: str) -> Optional[str]:
    name = repo.split("/")[-1].lower()
    variants = family.get("variants")
    if isinstance(variants, dict):
        for vkey, variant in variants.items():
            sizes = variant.get("sizes_b") or vkey.split("/")
            if any(_has_size(name, _size_token(s)) for s in sizes):
                return variant.get("modality")
    modality = family.get("modality")
    if isinstance(modality, str) and "(" in modality:
        base, alt = modality.split("(", 1)
        label, alt_modality = alt.rstrip(")").split(":", 1)
        token = label.strip().lower().replace(" variant", "")
        return alt_modality.strip() if token in name else base.strip()
    return modality


def _specialization(family: dict[str, Any], repo: str, entry: Optional[dict[str, Any]] = None) -> list[str]:
    if entry and entry.get("specialization"):
        spec = entry["specialization"]
        return spec if isinstance(spec, list) else [spec]
    name = repo.split("/")[-1].lower()
    variants = family.get("variants")
    if isinstance(variants, dict):
        for vkey, variant in variants.items():
            sizes = variant.get("sizes_b") or vkey.split("/")
            if any(_has_size(name, _size_token(s)) for s in sizes) and variant.get("specialization"):
                return variant["specialization"]
    spec = family.get("specialization") or []
    return spec if isinstance(spec, list) else [spec]


def _checkpoints(family_id: str, family: dict[str, Any], licenses: dict[str, Any]) -> list[dict[str, Any]]:
    """Every checkpoint of a family with the license that applies to it."""
    level = _level(family["verification"])
    out: list[dict[str, Any]] = []

    def add(repo: str, license_value: str, fact_level: str, derived: bool = False, note: Optional[str] = None, entry=None):
        out.append(
            {
                "repo": repo,
                "license": _license_id(license_value, licenses),
                "verification": fact_level,
                "derived": derived,
                "note": note,
                "entry": entry,
            }
        )

    if "entries" in family:
        for item in family["entries"]:
            item_level = _level(item.get("verification", level))
            add(item["hf_repo"], item["license"], item_level, note=item.get("note") or item.get("condition"), entry=item)
            sizes = item.get("sizes_b")
            if isinstance(sizes, list):  # e.g. Falcon3-7B-Instruct stands for sizes 1, 3, 7, 10
                org, name = item["hf_repo"].split("/")
                listed = next(s for s in sizes if _has_size(name, _size_token(s)))
                for size in sizes:
                    if size == listed:
                        continue
                    derived_name = re.sub(
                        r"-" + re.escape(_size_token(listed)) + r"(?=-|$)", f"-{str(size).upper()}B", name, flags=re.I
                    )
                    add(f"{org}/{derived_name}", item["license"], item_level, derived=True,
                        note=f"repo id derived from the catalog's size list of {item['hf_repo']}", entry=item)
        return out

    repos = family.get("hf_repos", [])
    if "license" in family:
        for repo in repos:
            add(repo, family["license"], level)
    elif "license_by_checkpoint" in family:
        table = family["license_by_checkpoint"]
        for repo in repos:
            add(repo, table[repo.split("/")[-1]], level)
    elif "license_by_size" in family:
        table = {size: lic for sizes, lic in family["license_by_size"].items() for size in sizes.split("/")}
        prefix = None
        for repo in repos:
            org, name = repo.split("/")
            sizes = [s for s in table if _has_size(name, s)]
            if len(sizes) != 1:
                raise CatalogError(f"{repo}: cannot tell its size among {sorted(table)}")
            add(repo, table[sizes[0]], level)
            prefix = prefix or (org, name[: re.search(r"-" + re.escape(sizes[0]) + r"(-|$)", name.lower()).start()])
        org, stem = prefix
        listed = {r.lower() for r in repos}
        for size, lic in table.items():
            for suffix in ("", "-Instruct"):
                repo = f"{org}/{stem}-{size.upper()}{suffix}"
                if repo.lower() not in listed:
                    add(repo, lic, level, derived=True, note=f"repo id derived from the catalog's license_by_size table of {family_id}")
    else:
        raise CatalogError(f"model family {family_id!r} has no license information")

    inherit = family.get("distills_inherit") or {}
    for pattern, value in inherit.items():  # distilled checkpoints keep their base model's license
        stem, _, sizes = pattern.rpartition("-")
        org = repos[0].split("/")[0]
        vendor_prefix = repos[0].split("/")[1].split("-")[0]  # "DeepSeek"
        for size in sizes.split("/"):
            repo = f"{org}/{vendor_prefix}-{stem}-{size}"
            out[:] = [c for c in out if c["repo"].lower() != repo.lower()]
            add(repo, value, level, derived=repo.lower() not in {r.lower() for r in repos},
                note=f"distill: inherits its base model's license ({value})")
    return out


def build_models(raw: dict[str, Any], licenses: dict[str, Any]) -> dict[str, Any]:
    models: dict[str, Any] = {}
    for family_id, family in raw["models"].items():
        for cp in _checkpoints(family_id, family, licenses):
            key = cp["repo"].lower()
            if key in models:
                raise CatalogError(f"model {cp['repo']} listed twice")
            lic = licenses[cp["license"].lower()]
            modality = _modality(family, cp["repo"])
            level = cp["verification"]
            note = cp["note"]
            if key in MODEL_LEVELS:
                level, level_note = MODEL_LEVELS[key][0], MODEL_LEVELS[key][1]
                note = "; ".join(n for n in (note, level_note) if n)
            if family_id in MODEL_NOTES:
                note = "; ".join(n for n in (note, MODEL_NOTES[family_id]) if n)
            if family.get("caveats"):
                note = "; ".join([n for n in (note,) if n] + list(family["caveats"]))
            multimodal = isinstance(modality, str) and "image" in modality
            eu = lic.get("eu_restriction") is not None and (multimodal or lic["eu_restriction"]["all_models"])
            source = f"https://huggingface.co/{cp['repo']}"
            models[key] = {
                "repo": cp["repo"],
                "family": family_id,
                "vendor": family.get("vendor"),
                "license": cp["license"],
                "modality": modality,
                "specialization": _specialization(family, cp["repo"], cp["entry"]),
                "eu_restriction": eu,
                "derived": cp["derived"],
                "note": note,
                "source": source,
                "verification": level,
                "evidence": {
                    "license": _evidence(level, source),
                    "eu_restriction": _evidence(
                        _weakest(level, lic["evidence"]["eu_restriction"]["verification"]) if eu else level,
                        lic["evidence"]["eu_restriction"]["source"] if eu else source,
                    ),
                },
            }
    return models


# --------------------------------------------------------------------------- providers


def _sectors(provider_type: str) -> list[str]:
    sectors = set()
    if "cloud_api" in provider_type:
        sectors.add("cloud_api")
    if "private_vendor_deployment" in provider_type:
        sectors.add("private")
    if not sectors:
        raise CatalogError(f"unknown provider type {provider_type!r}")
    return sorted(sectors)


def _tri(value: Any) -> tuple[Any, Optional[str]]:
    """A yes/no fact that may be prose: -> (True/False/"likely"/None, note).

    "likely" keeps a hedged yes hedged: rules treat only a literal true as a capability."""
    if isinstance(value, bool):
        return value, None
    if value is None:
        return None, None
    text = str(value).strip()
    lowered = text.lower()
    if lowered.startswith("n/a") or "deployment-dependent" in lowered or lowered.startswith("unverified"):
        return None, text
    if lowered.startswith("likely"):
        return "likely", text
    if lowered.startswith(("yes", "true")) or lowered.startswith("paid services only"):
        return True, text
    if lowered.startswith(("no", "false")):
        return False, text
    raise CatalogError(f"cannot read yes/no fact from {value!r}")


def _regions(key: str, spec: dict[str, Any], level: str) -> tuple[Optional[list[str]], str, Optional[str]]:
    value = spec.get("regions")
    if value is None:
        if key not in NO_REGION_NOTES:
            raise CatalogError(f"provider {key!r} has no regions and no note says why")
        return None, level, NO_REGION_NOTES[key]
    if isinstance(value, list):
        regions = [str(r).upper() for r in value]
        if "UK" in regions and "GB" not in regions:
            regions.append("GB")
        return regions, level, None
    if key not in PROSE_REGIONS:
        raise CatalogError(f"provider {key!r} gives regions in prose ({value!r}); add it to PROSE_REGIONS")
    regions, derived_level, note = PROSE_REGIONS[key]
    return list(regions), _weakest(level, derived_level), note


def _group(key: str, spec: dict[str, Any], level: str, source: Optional[str]) -> tuple[str, dict[str, Any]]:
    """The corporate/account group of a provider: providers of one group fail together and share one contract partner."""
    raw = spec.get("group")
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise CatalogError(f"provider {key!r} has no group id")
    group_level = _level(raw["verification"]) if "verification" in raw else level
    return raw["id"], _evidence(group_level, raw.get("source", source), raw.get("note"))


def _availability(key: str, spec: dict[str, Any], source: Optional[str]) -> dict[str, Any]:
    """Per-jurisdiction facts: where the provider does not serve, may not be contracted, or only in part."""
    out: dict[str, Any] = {}
    for code, fact in (spec.get("availability") or {}).items():
        code = str(code).upper()
        if not (re.fullmatch(r"[A-Z]{2}", code) or code in AVAILABILITY_GROUPS):
            raise CatalogError(f"provider {key!r}: availability key {code!r} is not a country code, EU or EEA")
        if fact.get("status") not in AVAILABILITY_STATUSES:
            raise CatalogError(f"provider {key!r}: unknown availability status {fact.get('status')!r}")
        out[code] = {
            "status": fact["status"],
            "meaning": AVAILABILITY_STATUSES[fact["status"]],
            "note": fact.get("note"),
            "source": fact.get("source", source),
            "verification": _level(fact["verification"]),
        }
    return out


def _dpf(spec: dict[str, Any], source: Optional[str]) -> tuple[Optional[bool], dict[str, Any]]:
    """EU-US Data Privacy Framework certification (an adequacy basis for US transfers when true)."""
    raw = spec.get("dpf_certified")
    if raw is None:
        return None, _evidence("unverified", source, "the catalog records no DPF certification")
    value = raw.get("value")
    level = _level(raw["verification"]) if value is not None else "unverified"
    return (value if isinstance(value, bool) else None), _evidence(level, raw.get("source", source), raw.get("note"))


def _retention(spec: dict[str, Any], source: Optional[str]) -> tuple[Optional[int], dict[str, Any]]:
    """How many days the provider keeps prompts and outputs by default (abuse monitoring included).

    Only a structured `retention_days: {value, source, verification}` entry gives a number; prose
    (`retention: "logged for a limited period"`) gives none, so a rule never reads a period the
    catalog does not state. The prose is kept as the note of an unknown period."""
    raw = spec.get("retention_days")
    if raw is None:
        note = spec.get("retention") or "the catalog records no retention period"
        return None, _evidence("unverified", source, str(note))
    value = raw.get("value")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise CatalogError(f"retention_days value {value!r} is not a whole number of days")
    level = _level(raw["verification"]) if value is not None else "unverified"
    note = "; ".join(n for n in (raw.get("scope") and f"scope: {raw['scope']}", raw.get("note")) if n)
    return value, _evidence(level, raw.get("source", source), note or None)
def _origin(key: str, spec: dict[str, Any]) -> tuple[Optional[str], dict[str, Any]]:
    """Where the provider is incorporated (ISO code): Russian sector rules (LP409) accept only a
    confirmed Russian origin, so a missing fact is None with unverified evidence, never a guess."""
    raw = spec.get("origin")
    if raw is None:
        return None, _evidence("unverified", None, "the catalog records no origin")
    country = str(raw.get("country", "")).upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise CatalogError(f"provider {key!r}: origin country {raw.get('country')!r} is not an ISO 3166-1 alpha-2 code")
    level = _level(raw["verification"])
    if level != "unverified" and not raw.get("source"):
        raise CatalogError(f"provider {key!r}: a {level} origin fact needs its source")
    note = "; ".join(str(part) for part in (raw.get("entity"), raw.get("note")) if part)
    return country, _evidence(level, raw.get("source"), note or None)


def build_providers(raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    catalog_keys = set(raw["providers"])
    mapped = set(PROVIDER_NAMES.values())
    if catalog_keys - mapped:
        raise CatalogError(f"providers without a user-facing name: {sorted(catalog_keys - mapped)}")
    if mapped - catalog_keys:
        raise CatalogError(f"provider names point at missing catalog keys: {sorted(mapped - catalog_keys)}")

    providers: dict[str, Any] = {}
    aliases: dict[str, str] = {}
    for name, key in sorted(PROVIDER_NAMES.items()):
        spec = raw["providers"][key]
        level = _level(spec["verification"])
        sources = list(spec.get("sources") or [])
        first_source = sources[0] if sources else None

        dpa_raw = spec.get("dpa")
        dpa_level = level
        dpa_source = first_source
        if isinstance(dpa_raw, dict):
            dpa_offered, dpa_note = _tri(dpa_raw.get("offered"))
            dpa_note = dpa_raw.get("note") or dpa_raw.get("name") or dpa_note
            dpa_level = _level(dpa_raw.get("verification", _level_in_text(dpa_raw.get("offered"), level)))
            dpa_source = dpa_raw.get("url") or first_source
        else:
            dpa_offered, dpa_note = _tri(dpa_raw)
            dpa_level = _level_in_text(dpa_raw, level) if dpa_raw is not None else "unverified"
        if dpa_offered is None:
            dpa_level = "unverified"

        training_raw = spec.get("training_on_inputs_default")
        if isinstance(training_raw, dict):  # per tier: assume the worst tier unless the manifest proves otherwise
            training = any(bool(v) for v in training_raw.values())
            training_note = ", ".join(f"{tier}: {str(v).lower()}" for tier, v in training_raw.items())
            training_level = level
        else:
            training, training_note = _tri(training_raw)
            training_level = _level_in_text(training_raw, level) if training is not None else "unverified"

        zdr_raw = spec.get("zero_data_retention")
        zdr = None if zdr_raw is None else True
        fz_raw = spec.get("can_serve_152fz_personal_data")
        fz, fz_note = _tri(fz_raw)
        fz_level = _level_in_text(fz_raw, level) if fz is not None else "unverified"

        regions, regions_level, regions_note = _regions(key, spec, level)
        group, group_evidence = _group(key, spec, level, first_source)
        dpf, dpf_evidence = _dpf(spec, first_source)
        retention, retention_evidence = _retention(spec, first_source)
        origin, origin_evidence = _origin(key, spec)
        levels = {
            "sectors": level,
            "regions": regions_level if regions is not None else "unverified",
            "dpa_offered": dpa_level,
            "training_on_inputs_default": training_level,
            "zero_retention_available": level if zdr else "unverified",
            "can_serve_152fz_personal_data": fz_level,
        }
        notes = {"regions": regions_note, "dpa_offered": dpa_note, "training_on_inputs_default": training_note,
                 "zero_retention_available": zdr_raw, "can_serve_152fz_personal_data": fz_note}
        evidence = {}
        for fact in (f for f in PROVIDER_FACTS if f not in OWN_EVIDENCE_FACTS):
            fact_level = levels[fact]
            note = notes.get(fact)
            if (key, fact) in PROVIDER_FACT_LEVELS:
                override, override_note = PROVIDER_FACT_LEVELS[(key, fact)]
                fact_level = _weakest(fact_level, override) if override != "primary" else fact_level
                note = "; ".join(n for n in (note, override_note) if n)
            evidence[fact] = _evidence(fact_level, dpa_source if fact == "dpa_offered" else first_source, note)
        evidence["group"] = group_evidence
        evidence["dpf_certified"] = dpf_evidence
        evidence["retention_days"] = retention_evidence
        evidence["origin"] = origin_evidence

        providers[name] = {
            "id": name,
            "catalog_key": key,
            "type": spec["type"],
            "sectors": _sectors(spec["type"]),
            "products": spec.get("products") or spec.get("description"),
            "regions": regions,
            "dpa_offered": dpa_offered,
            "training_on_inputs_default": training,
            "zero_retention_available": zdr,
            "can_serve_152fz_personal_data": fz,
            "group": group,
            "dpf_certified": dpf,
            "retention_days": retention,
            "origin": origin,
            "availability": _availability(key, spec, first_source),
            "sources": sources,
            "verification": level,
            "evidence": evidence,
        }
        for alias in {key, key.replace("_", "-")}:
            if alias != name:
                aliases[alias] = name
    for alias, target in PROVIDER_ALIASES.items():
        if target not in providers:
            raise CatalogError(f"provider alias {alias!r} points at unknown provider {target!r}")
        aliases[alias] = target
    clash = set(aliases) & set(providers)
    if clash:
        raise CatalogError(f"provider aliases shadow provider names: {sorted(clash)}")
    return providers, aliases


# --------------------------------------------------------------------------- hosted API models


def build_hosted_models(raw: dict[str, Any], providers: dict[str, Any]) -> dict[str, Any]:
    """Per provider name, per lowercased API model name: lifecycle dates and floating aliases."""
    by_key = {p["catalog_key"]: name for name, p in providers.items()}
    out: dict[str, dict[str, Any]] = {name: {} for name in providers}
    for item in raw.get("hosted_models") or []:
        model = str(item["model"])
        level = _level(item["verification"])
        for date_field in ("deprecated", "retires"):
            value = item.get(date_field)
            if value is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
                raise CatalogError(f"hosted model {model!r}: {date_field} {value!r} is not an ISO date")
        floating = item.get("floating_alias") is True
        pinned = list(item.get("pinned_versions") or [])
        if floating and not pinned:
            raise CatalogError(f"hosted model {model!r} is a floating alias without pinned_versions")
        for key in item["providers"]:
            if key not in by_key:
                raise CatalogError(f"hosted model {model!r} names unknown provider {key!r}")
            entries = out[by_key[key]]
            if model.lower() in entries:
                raise CatalogError(f"hosted model {model!r} listed twice for {key!r}")
            entries[model.lower()] = {
                "model": model,
                "floating_alias": floating,
                "pinned_versions": pinned,
                "deprecated": item.get("deprecated"),
                "retires": item.get("retires"),
                "replacement": item.get("replacement"),
                "source": item.get("source"),
                "verification": level,
            }
    return {name: entries for name, entries in out.items() if entries}


# --------------------------------------------------------------------------- main


def build(reference: Path) -> dict[str, Any]:
    raw, digest = load_reference(reference)
    licenses, license_aliases = build_licenses(raw)
    models = build_models(raw, licenses)
    providers, provider_aliases = build_providers(raw)
    hosted_models = build_hosted_models(raw, providers)
    return {
        "llm_policy": {
            "catalog": {
                "meta": {
                    "generated_by": "scripts/build_catalog.py",
                    "reference": reference.name,
                    "reference_sha256": digest,
                    "reference_schema_version": raw.get("meta", {}).get("schema_version"),
                    "verification_levels": list(LEVELS),
                },
                "licenses": licenses,
                "license_aliases": license_aliases,
                "models": models,
                "providers": providers,
                "provider_aliases": provider_aliases,
                "hosted_models": hosted_models,
            }
        }
    }


def render(catalog: dict[str, Any]) -> str:
    return json.dumps(catalog, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reference", nargs="?", type=Path, default=DEFAULT_REFERENCE,
                        help=f"path to llm-catalog.yaml (default: {DEFAULT_REFERENCE})")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write catalog.json")
    parser.add_argument("--check", action="store_true", help="exit 1 if the output file is not up to date")
    args = parser.parse_args(argv)
    try:
        text = render(build(args.reference))
    except (OSError, CatalogError, KeyError) as exc:
        print(f"build_catalog: {exc}", file=sys.stderr)
        return 2
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
        if current != text:
            print(f"build_catalog: {args.output} is stale; run scripts/build_catalog.py", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
