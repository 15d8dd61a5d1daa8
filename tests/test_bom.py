"""`llm-policy bom`: CycloneDX ML-BOMs valid against the official schemas, round-tripping through the library."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, MINIMAL, REPO, write

pytest.importorskip("cyclonedx")
from jsonschema import Draft7Validator  # noqa: E402
from referencing import Registry, Resource  # noqa: E402

SCHEMAS = Path(__file__).parent / "fixtures" / "cyclonedx"  # see SOURCES.md there
OFFICIAL_SCHEMA_URI = {"1.6": "http://cyclonedx.org/schema/bom-1.6.schema.json",
                       "1.5": "http://cyclonedx.org/schema/bom-1.5.schema.json"}


def _validator(version: str) -> Draft7Validator:
    registry = Registry()
    for name in ("spdx.SNAPSHOT.schema.json", "jsf-0.82.SNAPSHOT.schema.json"):
        contents = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
        registry = registry.with_resource(f"http://cyclonedx.org/schema/{name}", Resource.from_contents(contents))
    schema = json.loads((SCHEMAS / f"bom-{version}.SNAPSHOT.schema.json").read_text(encoding="utf-8"))
    return Draft7Validator(schema, registry=registry, format_checker=Draft7Validator.FORMAT_CHECKER)


VALIDATORS = {version: _validator(version) for version in ("1.6", "1.5")}


def assert_official(bom: dict, version: str) -> None:
    errors = sorted(VALIDATORS[version].iter_errors(bom), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message[:300]}" for e in errors[:5]]
    # The two constraints the vendored copies relax (SOURCES.md, edits 4 and 5), put back.
    assert bom["$schema"] == OFFICIAL_SCHEMA_URI[version]
    assert isinstance(bom["version"], int) and bom["version"] >= 1


def schema_valid_examples() -> list[Path]:
    """Every example manifest that loads and validates (LP000-LP002 examples cannot have a BOM)."""
    from llm_policy.validate import validate_file

    out = []
    for path in sorted(EXAMPLES.glob("*/*/llm-sourcing.yaml")):
        document, findings = validate_file(path)
        if document is not None and not [f for f in findings if f.severity == "error"]:
            out.append(path)
    return out


@pytest.mark.parametrize("version", ["1.6", "1.5"])
@pytest.mark.parametrize("example", schema_valid_examples(), ids=lambda p: p.parent.name)
def test_bom_of_every_example_is_valid_and_round_trips(cli, tmp_path, example, version):
    from cyclonedx.model.bom import Bom

    target = tmp_path / "bom.cdx.json"
    result = cli("bom", str(example), "-o", str(target), "--spec-version", version)
    assert result.code == 0, result.err
    bom = json.loads(target.read_text(encoding="utf-8"))
    assert bom["specVersion"] == version
    assert_official(bom, version)

    parsed = Bom.from_json(bom)  # the library's own deserializer reads what we wrote
    from llm_policy.load import load_document

    sources = load_document(example).data["sources"]
    models = {s["model"].rpartition("/")[2] for s in sources if s["sector"] == "open_source"}
    services = {s["model"] for s in sources if s["sector"] != "open_source"}
    assert {c.name for c in parsed.components} == models
    assert {s.name for s in parsed.services} == services
    assert all(str(c.type.value) == "machine-learning-model" for c in parsed.components)


def test_the_bom_maps_models_services_and_the_route_graph(cli):
    bom = json.loads(cli("bom", "examples/valid/hybrid-layered-fallback").out)
    (model,) = bom["components"]
    assert model["type"] == "machine-learning-model"
    assert (model["group"], model["name"], model["purl"]) == ("Qwen", "Qwen2.5-7B-Instruct", "pkg:huggingface/Qwen/Qwen2.5-7B-Instruct")
    assert model["licenses"] == [{"license": {"id": "Apache-2.0", "url": "https://www.apache.org/licenses/LICENSE-2.0"}}]
    assert model["modelCard"]["modelParameters"]["task"] == "text-generation"
    props = {(p["name"], p["value"]) for p in model["properties"]}
    assert {("llm-policy:sector", "open_source"), ("llm-policy:hosting", "on_prem"), ("llm-policy:region", "RU")} <= props

    (service,) = bom["services"]
    assert service["provider"] == {"name": "yandex"} and service["x-trust-boundary"] is True
    assert service["trustZone"].startswith("external")
    assert service["data"] == [{"classification": "internal", "flow": "inbound"}]
    props = {(p["name"], p["value"]) for p in service["properties"]}
    assert {("llm-policy:dpa:reference", "YC-DPA-2025-031"), ("llm-policy:dpa:expires", "2027-02-01")} <= props

    graph = {d["ref"]: d.get("dependsOn", []) for d in bom["dependencies"]}
    project = bom["metadata"]["component"]["bom-ref"]
    assert sorted(graph[project]) == sorted([model["bom-ref"], service["bom-ref"]])  # the routes
    assert graph[service["bom-ref"]] == [model["bom-ref"]]  # the fallback


def test_named_license_with_its_url(cli, tmp_path):
    manifest = write(tmp_path / "llm-sourcing.yaml", MINIMAL.replace("mistralai/Mistral-7B-Instruct-v0.2", "meta-llama/Llama-3.1-8B-Instruct")
                     .replace("Apache-2.0", "llama3.1-community"))
    bom = json.loads(cli("bom", str(manifest), cwd=tmp_path).out)
    (license_,) = bom["components"][0]["licenses"]
    assert license_["license"]["name"] == "llama3.1-community" and license_["license"]["url"].startswith("https://")
    assert_official(bom, "1.6")


def test_several_manifests_make_one_bom(cli, tmp_path):
    target = tmp_path / "all.cdx.json"
    assert cli("bom", "examples/valid", "-o", str(target)).code == 0
    bom = json.loads(target.read_text(encoding="utf-8"))
    assert_official(bom, "1.6")
    projects = [c for c in bom["components"] if c["type"] == "application"]
    assert len(projects) == len(list((EXAMPLES / "valid").glob("*/llm-sourcing.yaml")))


def test_reproducible_with_source_date_epoch(cli, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first, second = cli("bom", "examples/valid/cloud-api").out, cli("bom", "examples/valid/cloud-api").out
    assert first == second and '"timestamp": "2026-01-01T00:00:00+00:00"' in first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    assert cli("bom", "examples/valid/cloud-api").code == 2


@pytest.mark.parametrize("example", ["schema-errors", "yaml-syntax", "dangling-reference"])
def test_no_bom_from_a_manifest_that_does_not_validate(cli, tmp_path, example):
    target = tmp_path / "bom.json"
    result = cli("bom", f"examples/invalid/{example}", "-o", str(target))
    assert result.code == 2 and not target.exists() and result.out == ""
    assert "no BOM written" in result.err


def test_no_manifest_is_an_error(cli, tmp_path):
    assert cli("bom", str(tmp_path)).code == 2


def test_the_schema_check_is_real():
    bom = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
           "components": [{"type": "machine-learning-model", "name": "m", "modelCard": {"unknown": 1}}]}
    assert list(VALIDATORS["1.6"].iter_errors(bom))


def test_missing_library_prints_an_install_hint(cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "cyclonedx", None)  # import fails as if not installed
    result = cli("bom", "examples/valid/cloud-api")
    assert result.code == 2 and "pip install 'llm-policy[bom]'" in result.err


def test_check_never_imports_cyclonedx():
    code = ("import sys; from llm_policy.cli import main; rc = main(['check', 'examples/valid', '-f', 'json']);"
            "sys.stderr.write('IMPORTED' if 'cyclonedx' in sys.modules else 'CLEAN')")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.stderr.endswith("CLEAN"), done.stderr


def test_any_valid_manifest_gives_a_valid_bom():
    """Free-text fields (model, provider, license, notes) hold anything a manifest may: the BOM stays valid."""
    from hypothesis import given, settings, strategies as st

    from llm_policy.bom.build import Manifest, build

    text = st.text(min_size=1, max_size=20)
    source = st.fixed_dictionaries(
        {"sector": st.sampled_from(["open_source", "cloud_api", "private"]), "model": st.one_of(text, st.just("Qwen/Qwen2.5-7B-Instruct")),
         "license": st.one_of(text, st.sampled_from(["Apache-2.0", "mit", "llama3.1-community"])), "provider": text},
        optional={"hosting": st.sampled_from(["on_prem", "own_cloud", "vendor_perimeter", "provider"]), "region": st.sampled_from(["RU", "EU", "US"]),
                  "notes": text, "data_classes": st.lists(st.sampled_from(["public", "personal"]), unique=True, min_size=1),
                  "dpa": st.fixed_dictionaries({"reference": text, "signed": st.just("2025-01-01")}, optional={"expires": st.just("2027-01-01")})})
    manifests = st.lists(source, min_size=1, max_size=4).map(lambda sources: {
        "apiVersion": "llm-policy/v1", "project": {"name": "p", "owner": "o"}, "data": {"classes": ["public", "personal"]},
        "sources": [{**s, "id": f"s{i}"} for i, s in enumerate(sources)],
        "routing": {"strategy": "fallback", "fallbacks": [{"from": "s0", "to": [f"s{i}" for i in range(1, len(sources))] or ["s0"]}]},
    })

    @settings(max_examples=60, deadline=None)
    @given(manifests, st.sampled_from(["1.6", "1.5"]))
    def check(data, version):
        assert_official(build([Manifest("m/llm-sourcing.yaml", data)], version), version)

    check()
