"""Deterministic manifest variations for differential conformance tests.

Every combination of sector x data class x hosting x region x DPA state, as a one-source manifest
(plus a two-source fallback variant for a slice of them, so the routing rules fire too). Values are
picked by position, not at random, so a failure names a case that can be rebuilt exactly. Each
manifest is rendered as block YAML and loaded by the real loader, so findings carry real positions.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any, Iterator, Optional

from llm_policy.load import Document, parse_document

EVALUATION_DATE = "2026-06-15"
SECTORS = ("open_source", "cloud_api", "private")
CLASSES = ("public", "internal", "confidential", "personal", "special_category", "payment", "financial", "state_secret")
HOSTINGS = (None, "on_prem", "own_cloud", "vendor_perimeter", "provider")
REGIONS = (None, "EU", "DE", "RU", "US")
DPA_STATES = ("none", "full", "no_opt_out", "expired", "expiring")

# Catalog names, varied by region so provider/region and residency rules see both outcomes.
CLOUD_PROVIDERS = {None: ("openai", "gpt-4o"), "EU": ("mistral", "mistral-large-latest"), "DE": ("azure-openai", "gpt-4o"),
                   "RU": ("yandex", "yandexgpt-pro"), "US": ("anthropic", "claude-sonnet-4")}
PRIVATE_PROVIDERS = ("yandex-private", "nvidia-nim", "Acme Private AI")
OPEN_MODELS = (("meta-llama/Llama-3.1-8B-Instruct", "llama3.1-community"), ("Qwen/Qwen2.5-7B-Instruct", "Apache-2.0"),
               ("google/gemma-2-9b-it", "gemma-terms"), ("bigcode/starcoder2-15b", "bigcode-openrail-m"),
               ("acme/in-house-7b", "MIT"))


def _date(offset_days: int) -> str:
    return (dt.date.fromisoformat(EVALUATION_DATE) + dt.timedelta(days=offset_days)).isoformat()


def _dpa(state: str) -> Optional[dict[str, Any]]:
    if state == "none":
        return None
    dpa: dict[str, Any] = {"reference": f"DPA-{state}", "signed": _date(-400)}
    if state == "full":
        dpa.update(training_opt_out=True, zero_retention=True)
    elif state == "no_opt_out":
        dpa.update(expires=_date(700))
    elif state == "expired":
        dpa.update(expires=_date(-1), training_opt_out=True)
    elif state == "expiring":
        dpa.update(expires=_date(10), training_opt_out=True, zero_retention=True)
    return dpa


def _source(sid: str, sector: str, hosting: Optional[str], region: Optional[str], dpa_state: str, n: int) -> dict[str, Any]:
    src: dict[str, Any] = {"id": sid, "sector": sector}
    if sector == "open_source":
        src["model"], src["license"] = OPEN_MODELS[n % len(OPEN_MODELS)]
    elif sector == "cloud_api":
        src["provider"], src["model"] = CLOUD_PROVIDERS[region]
    else:
        src["provider"], src["model"] = PRIVATE_PROVIDERS[n % len(PRIVATE_PROVIDERS)], "custom-llm"
    if hosting:
        src["hosting"] = hosting
    if region:
        src["region"] = region
    dpa = _dpa(dpa_state)
    if dpa:
        src["dpa"] = dpa
    return src


def manifest(sector: str, data_class: str, hosting: Optional[str], region: Optional[str], dpa_state: str, n: int) -> dict[str, Any]:
    jurisdictions = {"RU": ["RU"], "US": ["US"], None: []}.get(region, ["EU"])
    classes = [data_class] if data_class == "internal" else [data_class, "internal"]
    doc: dict[str, Any] = {
        "apiVersion": "llm-policy/v1",
        "project": {"name": f"case-{n}", "owner": "team@example.com", "customer_facing": n % 2 == 0,
                    "commercial": n % 3 != 0, "jurisdictions": jurisdictions},
        "data": {"classes": classes},
        "sources": [_source("primary", sector, hosting, region, dpa_state, n)],
    }
    if n % 4 == 0:  # a backup: a different sector, receiving only the primary's data class
        backup_sector = SECTORS[(SECTORS.index(sector) + 1) % len(SECTORS)]
        backup = _source("backup", backup_sector, HOSTINGS[n % len(HOSTINGS)], REGIONS[n % len(REGIONS)], DPA_STATES[n % len(DPA_STATES)], n + 1)
        backup["data_classes"] = [data_class]
        doc["sources"].append(backup)
        doc["routing"] = {"strategy": "fallback", "routes": [{"name": "all", "to": "primary"}],
                          "fallbacks": [{"from": "primary", "to": ["backup"]}]}
        _issue12_variants(doc, n)
    _issue16_variants(doc, n)
    _retention_variants(doc, data_class, n)
    _ru_sector_variants(doc, n)
    return doc


STORE_KINDS = ("prompt_log", "response_log", "vector_store", "cache")


def _retention_variants(doc: dict[str, Any], data_class: str, n: int) -> None:
    """Provider retention, stores and redaction controls (LP106-LP109) on a slice of the cases, so the
    lowering of received classes and the store residency helpers are compared under both engines."""
    primary = doc["sources"][0]
    if n % 9 == 0 and data_class != "internal":
        primary["redaction"] = {"method": "pseudonymisation", "removes": [data_class], "leaves": "internal"}
        if n % 18 == 0:
            primary["redaction"]["evidence"] = "TEST-1"
    if n % 7 == 0:
        store: dict[str, Any] = {"id": "log", "kind": STORE_KINDS[n % 4]}
        if REGIONS[n % 5]:
            store["region"] = REGIONS[n % 5]
        if n % 14 == 0:
            store["retention_days"] = 30
        if n % 21 == 0:
            store.update(hosting="provider", provider="openai")
        doc["stores"] = [store]
        primary["stores"] = ["log"]
    if n % 6 == 0 and isinstance(primary.get("dpa"), dict):
        primary["dpa"]["retention_days"] = (90, 30, 0)[n % 3]


CII_CATEGORIES = (1, 2, 3, "none")
GIS_CLASSES = ("K1", "K2", "K3")
INSTRUCTION = {"reference": "PI-1", "signed": "2025-01-10",
               "content": ["data_list", "actions", "purposes", "confidentiality", "security_measures"]}


def _ru_sector_variants(doc: dict[str, Any], n: int) -> None:
    """Russian sector declarations (issue 16) on a slice of the cases, so LP407-LP410 (their
    catalog origin and region facts, dates and class ranks) are compared under both engines."""
    project = doc["project"]
    if n % 2 == 0:
        project["ru_152fz"] = {"rkn_notification": f"RKN-{n}"}
    if n % 5 == 0:
        project["ru_cii"] = {"category": CII_CATEGORIES[n % 4]}
    if n % 7 == 0:
        project["ru_gis"] = {"protection_class": GIS_CLASSES[n % 3]} | ({"attestation": "AT-1"} if n % 14 else {})
    for k, source in enumerate(doc["sources"]):
        if (n + k) % 3 == 0:
            signed = "2027-06-01" if (n + k) % 9 == 0 else "2025-01-10"
            source["processing_instruction"] = INSTRUCTION | {"signed": signed}
        if (n + k) % 4 == 0:
            source["ru_software_registry"] = "REG-1"
        if (n + k) % 6 == 0:
            source["certification"] = {"reference": "CERT-1", "protection_class": GIS_CLASSES[(n + k) % 3]}
    if n % 35 == 0:
        project["frameworks"] = ["ru-187fz", "ru-gis"]


AI_ACT_RISKS = ("prohibited", "high", "limited", "minimal")
ANNEX_III = (None, "credit_scoring", "insurance_pricing", "employment", "biometrics")


def _issue16_variants(doc: dict[str, Any], n: int) -> None:
    """AI Act declarations, oversight, legal-effect purposes and framework selections on a slice of
    the cases, so LP701-LP706 and the framework scoping (lib.rule_enabled) are compared too."""
    project = doc["project"]
    if n % 3 == 0:
        ai_act: dict[str, Any] = {"role": ("provider", "deployer")[n % 2], "risk": AI_ACT_RISKS[n % 4]}
        area = ANNEX_III[n % 5]
        if area:
            ai_act["annex_iii_area"] = area
        if n % 6 == 0:
            ai_act.update(log_retention_days=(30, 183, 365)[n % 3 if n % 9 else 1], fria="FRIA-1")
        if n % 7 == 0:
            ai_act.update(modifies_gpai=True, transparency_notice="UX-1")
        if n % 14 == 0:
            ai_act["gpai_documentation"] = "DOC-1"
        project["ai_act"] = ai_act
    if n % 11 == 0:
        project["purposes"] = ["automated_adverse_decisions", "customer_support"]
    if n % 13 == 0:
        project["human_oversight"] = "review@example.com"
    if n % 10 == 0:
        project["frameworks"] = [("gdpr", "ru-152fz", "pci-dss", "eu-ai-act")[n % 4]]


def _issue12_variants(doc: dict[str, Any], n: int) -> None:
    """Escalations, route volumes, accounts, roles, stage, purposes and organisation users on a
    slice of the two-source cases, so the routing, license and cost rules of issue 12 run here too."""
    routing, (primary, backup) = doc["routing"], doc["sources"]
    if n % 8 == 0:
        routing["strategy"] = "layered"
        routing["escalations"] = [{"from": "primary", "to": "backup", "share_percent": 30}]
        if n % 16 == 0:
            routing["escalations"][0]["data_classes"] = ["internal"]
    if n % 12 == 0:
        doc["project"]["requests_per_hour"] = 5000
        routing["routes"][0]["share_percent"] = 100 if n % 24 == 0 else 10
        primary["account"] = backup["account"] = "acct-1"
    if n % 20 == 0:
        primary["role"] = "embedding"
        backup["role"] = "embedding" if n % 40 == 0 else "chat"
    if n % 5 == 0:
        doc["project"].update(stage=("production", "research", "pilot")[n % 3], purposes=["military", "search"],
                              organisation_monthly_active_users=800_000_000)


def to_yaml(value: Any, indent: int = 0) -> str:
    """Plain block YAML (strings quoted only where YAML would read them as something else)."""
    pad = " " * indent
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:\n{to_yaml(item, indent + 2)}")
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
        return "\n".join(lines)
    lines = []
    for item in value:
        if isinstance(item, dict):
            body = to_yaml(item, indent + 2)
            lines.append(f"{pad}- {body.lstrip()}")
        else:
            lines.append(f"{pad}- {_scalar(item)}")
    return "\n".join(lines)


def _scalar(value: Any) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, list):
        return "[]"
    if isinstance(value, str) and (len(value) == 10 and value[4] == "-" and value[7] == "-"):
        return value  # an ISO date, as people write it
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


def generated_cases() -> Iterator[tuple[str, Document]]:
    """(name, loaded document) for every combination, in a fixed order."""
    for n, (sector, data_class, hosting, region, dpa_state) in enumerate(
        itertools.product(SECTORS, CLASSES, HOSTINGS, REGIONS, DPA_STATES)
    ):
        name = f"gen/{sector}/{data_class}/{hosting or '-'}/{region or '-'}/{dpa_state}"
        text = to_yaml(manifest(sector, data_class, hosting, region, dpa_state, n)) + "\n"
        yield name, parse_document(text, Path(name))


def example_cases(root: Path) -> Iterator[tuple[str, Document]]:
    """Every example manifest that loads (the invalid ones that do not are the loader's business)."""
    from llm_policy.load import LoadError, load_document

    for path in sorted(root.rglob("llm-sourcing.yaml")):
        try:
            yield path.relative_to(root).as_posix(), load_document(path)
        except LoadError:
            continue
