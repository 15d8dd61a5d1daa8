"""The committed policy catalog must be exactly what scripts/build_catalog.py makes of the reference.

Why: the catalog is generated data; a hand edit, or a reference update without regenerating, would
make the rules decide on facts nobody can trace back to a source.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "build_catalog.py"
COMMITTED = REPO / "policies" / "data" / "catalog.json"


def _build_catalog_module():
    spec = importlib.util.spec_from_file_location("build_catalog", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


build_catalog = _build_catalog_module()
REFERENCE = build_catalog.DEFAULT_REFERENCE


def test_the_catalog_source_lives_in_the_repository() -> None:
    # Issue 14.7: a clone of the repository alone rebuilds the catalog; nothing is read from beside it.
    assert REFERENCE == REPO / "catalog" / "llm-catalog.yaml"
    assert REFERENCE.is_file()


@pytest.fixture(scope="module")
def catalog() -> dict:
    return json.loads(COMMITTED.read_text(encoding="utf-8"))["llm_policy"]["catalog"]


def test_committed_catalog_is_regenerated_from_the_reference(tmp_path: Path) -> None:
    out = tmp_path / "catalog.json"
    assert build_catalog.main([str(REFERENCE), "--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8"), (
        "policies/data/catalog.json is stale: run `python scripts/build_catalog.py`"
    )


def test_check_mode_reports_a_stale_catalog(tmp_path: Path) -> None:
    stale = tmp_path / "catalog.json"
    stale.write_text("{}\n", encoding="utf-8")
    assert build_catalog.main([str(REFERENCE), "--output", str(stale), "--check"]) == 1
    assert build_catalog.main([str(REFERENCE), "--output", str(COMMITTED), "--check"]) == 0


def test_missing_reference_is_an_error_not_an_empty_catalog(tmp_path: Path, capsys) -> None:
    out = tmp_path / "catalog.json"
    assert build_catalog.main([str(tmp_path / "absent.yaml"), "--output", str(out)]) == 2
    assert not out.exists()
    assert "absent.yaml" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("repo", "license_id"),
    [
        ("qwen/qwen2.5-3b-instruct", "qwen-research"),
        ("qwen/qwen2.5-7b-instruct", "Apache-2.0"),
        ("qwen/qwen2.5-72b-instruct", "qwen-license"),
        ("qwen/qwen2-72b-instruct", "tongyi-qianwen"),
        ("deepseek-ai/deepseek-v3", "deepseek-license"),
        ("deepseek-ai/deepseek-v3-0324", "MIT"),
        ("deepseek-ai/deepseek-r1-distill-llama-70b", "llama3.3-community"),
        ("mistralai/mistral-large-instruct-2411", "mistral-research-license"),
        ("mistralai/codestral-22b-v0.1", "mistral-non-production-license"),
        ("mistralai/mistral-7b-instruct-v0.2", "Apache-2.0"),
        ("tiiuae/falcon-40b", "Apache-2.0"),
        ("tiiuae/falcon-180b", "falcon-180b-tii-license-1.0"),
        ("qwen/qwen2.5-vl-3b-instruct", "qwen-research"),
        ("liuhaotian/llava-v1.6-mistral-7b", "Apache-2.0"),
        ("wizardlm/wizardmath-70b-v1.0", "llama2-community"),
    ],
)
def test_licenses_are_decided_per_checkpoint(catalog: dict, repo: str, license_id: str) -> None:
    assert catalog["models"][repo]["license"] == license_id


def test_multimodal_llama_carries_the_eu_clause_and_text_llama_does_not(catalog: dict) -> None:
    models = catalog["models"]
    assert models["meta-llama/llama-3.2-11b-vision-instruct"]["eu_restriction"] is True
    assert models["meta-llama/llama-4-scout-17b-16e-instruct"]["eu_restriction"] is True
    assert models["meta-llama/llama-3.2-3b-instruct"]["eu_restriction"] is False
    assert models["meta-llama/llama-3.3-70b-instruct"]["eu_restriction"] is False


def test_every_fact_keeps_its_verification_and_source(catalog: dict) -> None:
    levels = {"primary", "secondary", "unverified"}
    for table in ("licenses", "models", "providers"):
        for key, entry in catalog[table].items():
            assert entry["verification"] in levels, (table, key)
            assert entry["evidence"], (table, key)
            for fact, evidence in entry["evidence"].items():
                assert evidence["verification"] in levels, (table, key, fact)
                assert "source" in evidence, (table, key, fact)


def test_unverified_facts_stay_unverified(catalog: dict) -> None:
    yandex_open = catalog["licenses"]["yandexgpt-5-lite-license"]
    assert yandex_open["commercial_use"] == "conditional"
    assert yandex_open["evidence"]["commercial_use"]["verification"] == "unverified"
    # GigaChat's 152-FZ capability is hedged in the catalog ("likely ... unverified"): never a bare true.
    gigachat = catalog["providers"]["gigachat"]
    assert gigachat["can_serve_152fz_personal_data"] == "likely"
    assert gigachat["evidence"]["can_serve_152fz_personal_data"]["verification"] == "unverified"
    # A prose region list that the catalog says is incomplete may not back an error.
    assert catalog["providers"]["azure-openai"]["evidence"]["regions"]["verification"] == "unverified"


def test_providers_are_keyed_by_the_names_users_write(catalog: dict) -> None:
    names = {"openai", "azure-openai", "anthropic", "google-vertex", "google-gemini", "aws-bedrock", "mistral",
             "yandex", "gigachat", "nvidia-nim", "sbercloud", "yandex-private", "mts-ai"}
    assert set(catalog["providers"]) == names
    aliases = catalog["provider_aliases"]
    assert aliases["yandexgpt"] == "yandex"
    assert aliases["openai_api"] == "openai"
    assert set(aliases.values()) <= names
    assert catalog["providers"]["yandex"]["regions"] == ["RU"]


def test_license_keys_are_lowercase_and_keep_the_original_id(catalog: dict) -> None:
    for key, entry in catalog["licenses"].items():
        assert key == entry["id"].lower()
    assert catalog["licenses"]["apache-2.0"]["id"] == "Apache-2.0"
    assert catalog["licenses"]["cc-by-nc-4.0"]["commercial_use"] is False


# --- the data contract the rules rely on (issue 12: sections 1, 3, 6) ---------------------------

GROUPS = {
    "gigachat": "sber", "sbercloud": "sber", "google-gemini": "google", "google-vertex": "google",
    "yandex": "yandex", "yandex-private": "yandex", "azure-openai": "microsoft", "aws-bedrock": "amazon",
    "openai": "openai", "anthropic": "anthropic", "mistral": "mistral", "nvidia-nim": "nvidia", "mts-ai": "mts",
}


def test_every_provider_has_its_corporate_group_with_evidence(catalog: dict) -> None:
    assert {name: p["group"] for name, p in catalog["providers"].items()} == GROUPS
    for p in catalog["providers"].values():
        assert p["evidence"]["group"]["verification"] in {"primary", "secondary", "unverified"}


def test_availability_and_sanctions_are_carried_with_their_verification(catalog: dict) -> None:
    providers = catalog["providers"]
    assert providers["openai"]["availability"]["RU"]["status"] == "not_served"
    assert providers["anthropic"]["availability"]["RU"]["verification"] == "primary"
    assert providers["nvidia-nim"]["availability"]["RU"]["status"] == "not_contractable"
    assert providers["gigachat"]["availability"]["US"]["status"] == "sanctioned"
    assert providers["gigachat"]["availability"]["US"]["verification"] == "secondary"
    assert providers["sbercloud"]["availability"]["EU"]["verification"] == "unverified"
    assert providers["google-gemini"]["availability"]["EEA"]["status"] == "paid_only"
    for p in providers.values():
        for fact in p["availability"].values():
            assert fact["verification"] in {"primary", "secondary", "unverified"}
            assert fact["meaning"]


def test_licenses_record_non_production_and_aup_bans_by_purpose_id(catalog: dict) -> None:
    licenses = catalog["licenses"]
    tables = json.loads((REPO / "policies" / "data" / "tables.json").read_text(encoding="utf-8"))
    purposes = set(tables["llm_policy"]["tables"]["aup_purposes"])
    assert licenses["mistral-non-production-license"]["non_production"] is True
    assert licenses["apache-2.0"]["non_production"] is False
    assert {"military", "espionage"} <= set(licenses["llama3.1-community"]["aup_bans"])
    assert "automated_adverse_decisions" in licenses["deepseek-license"]["aup_bans"]
    for lic in licenses.values():
        assert set(lic["aup_bans"]) <= purposes


def test_section_6_corrections(catalog: dict) -> None:
    licenses, models, providers = catalog["licenses"], catalog["models"], catalog["providers"]
    assert licenses["falcon-180b-tii-license-1.0"]["commercial_use"] == "conditional"
    assert "Hosting Use" in licenses["falcon-180b-tii-license-1.0"]["commercial_use_note"]
    assert models["tiiuae/falcon3-7b-instruct"]["license"] == "tii-falcon-license-2.0"
    assert catalog["license_aliases"]["falcon-llm-license"] == "tii-falcon-license-2.0"
    assert {"CH", "GB", "JP", "AU", "CA"} <= set(providers["azure-openai"]["regions"])
    assert "UK" not in providers["openai"]["regions"] and "GB" in providers["openai"]["regions"]
    for repo, lic in [("mistralai/mistral-nemo-instruct-2407", "Apache-2.0"),
                      ("mistralai/mistral-small-3.1-24b-instruct-2503", "Apache-2.0"),
                      ("mistralai/ministral-8b-instruct-2410", "mistral-research-license"),
                      ("openai/gpt-oss-120b", "Apache-2.0"),
                      ("ai-sage/gigachat-20b-a3b-instruct", "MIT"),
                      ("yandex/yandexgpt-5-lite-8b-instruct", "yandexgpt-5-lite-license")]:
        assert models[repo]["license"] == lic, repo


def test_hosted_models_carry_lifecycle_dates_and_floating_aliases(catalog: dict) -> None:
    hosted = catalog["hosted_models"]
    assert hosted["openai"]["gpt-4o"]["floating_alias"] is True
    assert "gpt-4o-2024-08-06" in hosted["openai"]["gpt-4o"]["pinned_versions"]
    assert hosted["anthropic"]["claude-3-5-sonnet-20241022"]["retires"] == "2025-10-22"
    assert hosted["google-vertex"]["gemini-2.0-flash"]["retires"] == "2026-06-01"
    for entries in hosted.values():
        for entry in entries.values():
            assert entry["verification"] in {"primary", "secondary", "unverified"}
            assert not entry["floating_alias"] or entry["pinned_versions"]


def test_a_bad_availability_status_fails_the_build(tmp_path: Path, capsys) -> None:
    text = REFERENCE.read_text(encoding="utf-8").replace("status: not_served", "status: not-served", 1)
    bad = tmp_path / "llm-catalog.yaml"
    bad.write_text(text, encoding="utf-8")
    assert build_catalog.main([str(bad), "--output", str(tmp_path / "out.json")]) == 2
    assert "availability status" in capsys.readouterr().err


def test_an_aup_purpose_outside_the_table_fails_the_build(tmp_path: Path, capsys) -> None:
    text = REFERENCE.read_text(encoding="utf-8").replace("purposes: [military,", "purposes: [soldiering,", 1)
    bad = tmp_path / "llm-catalog.yaml"
    bad.write_text(text, encoding="utf-8")
    assert build_catalog.main([str(bad), "--output", str(tmp_path / "out.json")]) == 2
    assert "soldiering" in capsys.readouterr().err
