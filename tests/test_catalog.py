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
needs_reference = pytest.mark.skipif(
    not REFERENCE.is_file(), reason=f"reference catalog not available at {REFERENCE}"
)


@pytest.fixture(scope="module")
def catalog() -> dict:
    return json.loads(COMMITTED.read_text(encoding="utf-8"))["llm_policy"]["catalog"]


@needs_reference
def test_committed_catalog_is_regenerated_from_the_reference(tmp_path: Path) -> None:
    out = tmp_path / "catalog.json"
    assert build_catalog.main([str(REFERENCE), "--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8"), (
        "policies/data/catalog.json is stale: run `python scripts/build_catalog.py`"
    )


@needs_reference
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
    falcon3 = catalog["licenses"]["falcon-llm-license"]
    assert falcon3["commercial_use"] is None
    assert falcon3["evidence"]["commercial_use"]["verification"] == "unverified"
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
