"""Published contracts: committed schemas are current, reports validate, the typed API loads."""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import EXAMPLES, FIXED_DATE, REPO
from llm_policy import load_manifest
from llm_policy.model import Manifest, ManifestError
from llm_policy.schema_gen import main as schema_gen


def test_committed_schemas_are_generated_from_the_models():
    assert schema_gen(["--check", "--dir", str(REPO)]) == 0, "run: python -m llm_policy.schema_gen"


def test_manifest_schema_is_valid_2020_12_and_documents_every_field():
    schema = json.loads((REPO / "schemas" / "llm-sourcing.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    for name, definition in schema["$defs"].items():
        for field, spec in definition.get("properties", {}).items():
            assert spec.get("description") or "$ref" in spec, f"{name}.{field} has no description"


@pytest.mark.parametrize("target", ["examples/valid", "examples/invalid", "examples/invalid/yaml-syntax"])
def test_json_report_validates_against_report_schema(cli, target):
    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text())
    result = cli("check", target, "--format", "json", "--date", FIXED_DATE)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(result.report)
    assert result.report["report_version"] == "1"


def test_json_report_with_faults_validates(cli, tmp_path):
    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text())
    (tmp_path / "llm-sourcing.yaml").mkdir()
    result = cli("check", str(tmp_path / "llm-sourcing.yaml"), "--format", "json")
    assert result.code == 2
    jsonschema.Draft202012Validator(schema).validate(result.report)


def test_load_manifest_returns_typed_models():
    manifest = load_manifest(EXAMPLES / "valid" / "hybrid-layered-fallback" / "llm-sourcing.yaml")
    assert isinstance(manifest, Manifest)
    assert manifest.project.customer_facing is True
    assert [s.id for s in manifest.sources] == ["local-qwen", "yandexgpt"]
    assert str(manifest.sources[1].dpa.expires) == "2027-02-01"
    assert manifest.routing.fallbacks[0].from_ == "yandexgpt"


def test_load_manifest_raises_with_located_findings():
    with pytest.raises(ManifestError) as info:
        load_manifest(EXAMPLES / "invalid" / "schema-errors" / "llm-sourcing.yaml")
    assert [(f.rule_id, f.line) for f in info.value.findings][:2] == [("LP001", 3), ("LP001", 6)]
    assert "schema-errors/llm-sourcing.yaml:3:1: LP001" in str(info.value)


def test_models_and_schema_agree_on_every_example():
    """The pydantic models accept exactly the manifests the JSON Schema accepts."""
    schema = json.loads((REPO / "schemas" / "llm-sourcing.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    from llm_policy.load import LoadError, load_document

    for path in sorted(EXAMPLES.rglob("llm-sourcing.yaml")):
        try:
            data = load_document(path).data
        except LoadError:
            continue
        schema_ok = validator.is_valid(data)
        try:
            Manifest.model_validate(data)
            model_ok = True
        except Exception:
            model_ok = False
        assert schema_ok == model_ok, path


def test_a_policy_set_made_with_replace_does_not_reuse_derived_results() -> None:
    """engines.results derives per policy set which packages hold results; a set made from another
    with dataclasses.replace (an added module) must not read the other's list, or the added
    package's findings would be dropped: a pass."""
    from dataclasses import replace
    from pathlib import Path

    from llm_policy.engines import policy_findings
    from llm_policy.engines.regorus_engine import RegorusEngine
    from llm_policy.load import parse_document
    from llm_policy.policy import load_policy_set
    from llm_policy.policy.metadata import parse_annotations
    from llm_policy.policy.policy_set import Module

    pack = load_policy_set(context={"today": "2026-12-01"})
    document = parse_document((EXAMPLES / "valid" / "cloud-api" / "llm-sourcing.yaml").read_text(encoding="utf-8"), Path("m.yaml"))
    engine = RegorusEngine()
    engine.prepare(pack)
    policy_findings(pack, engine.evaluate(document.data), document, "m.yaml")  # fills pack's derived values
    text = 'package llm_policy.rules.lp997\n\nfindings contains {"id": "LP997", "severity": "error", "msg": "always", "path": []} if true\n'
    package, annotations = parse_annotations(text)
    changed = replace(pack, modules=[*pack.modules, Module("builtin:rules/lp997_always.rego", text, package, annotations)])
    engine.prepare(changed)
    found = policy_findings(changed, engine.evaluate(document.data), document, "m.yaml")
    assert "LP997" in {f.rule_id for f in found}
