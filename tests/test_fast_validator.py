"""The generated fast validator is only a gate: it must agree with jsonschema on every manifest.

If it called an invalid manifest valid, LP001 findings would silently disappear; if it called a
valid one invalid, that manifest would merely pay for jsonschema. Both directions are checked on
generated manifests (valid ones and mutations of them) within a bounded hypothesis budget, plus the
known traps: impossible dates, non-ASCII digits, trailing newlines, bool/int in uniqueItems.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, REPO
from llm_policy.load import load_document
from llm_policy.validate.schema import _validator, fast_is_valid

SECTORS = ["open_source", "cloud_api", "private"]
CLASSES = ["public", "internal", "confidential", "personal", "special_category", "payment", "financial", "state_secret"]
TRICKY_STRINGS = [
    "2027-13-01", "2027-02-29", "2028-02-29", "1900-02-29", "2000-02-29", "0000-01-01", "0001-01-01",
    "9999-12-31", "2027-1-01", "20270101", "2027-W01-1", "2027-01-01\n", "2027-01-01T00:00:00",
    "\u0662\u0660\u0662\u0667-01-01", "2027-04-31", "", "EU", "EU\n", "eu", "RU", "a", "a-", "-a", "a\n",
    "llm-policy/v1", "llm-policy/v1\n", "x" * 64, "x" * 63, "open_source", "cloud_api",
    "EU\r", "a\u2028", "\u043epenai", "MIT\n", "gpt-4o\t", "\u0661",
]

json_scalars = (
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from([0.0, 1.0, -1.0, 1.5, 10**20])
    | st.text(max_size=6) | st.sampled_from(TRICKY_STRINGS)
)
json_values = st.recursive(
    json_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
source_ids = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
dates = st.dates().map(lambda d: d.isoformat()) | st.sampled_from(TRICKY_STRINGS[:14])
regions = st.sampled_from(["EU", "RU", "US", "DE", "eu", "EU\n", "E"])


@st.composite
def sources(draw: Any) -> dict[str, Any]:
    sector = draw(st.sampled_from(SECTORS))
    source: dict[str, Any] = {"id": draw(source_ids), "sector": sector, "model": draw(st.sampled_from(["gpt-4o", "Qwen/Qwen2.5-7B-Instruct", "", "gpt-4o\n", "gpt-4\u043e"]))}
    if sector == "open_source" or draw(st.booleans()):
        source["license"] = draw(st.sampled_from(["Apache-2.0", "llama3.1-community", "mit", "MIT\n", "Apache\u20102.0"]))
    if sector != "open_source" or draw(st.booleans()):
        source["provider"] = draw(st.sampled_from(["openai", "yandex", "azure-openai", "\u043epenai", "openai\n"]))
    if draw(st.booleans()):
        source["region"] = draw(regions)
    if draw(st.booleans()):
        source["hosting"] = draw(st.sampled_from(["on_prem", "own_cloud", "vendor_perimeter", "provider"]))
    if draw(st.booleans()):
        source["data_classes"] = draw(st.lists(st.sampled_from(CLASSES), max_size=3))
    if draw(st.booleans()):
        dpa: dict[str, Any] = {"reference": draw(st.sampled_from(["DPA-1", ""])), "signed": draw(dates)}
        if draw(st.booleans()):
            dpa["expires"] = draw(dates)
        if draw(st.booleans()):
            dpa["training_opt_out"] = draw(st.booleans())
        source["dpa"] = dpa
    return source


@st.composite
def manifests(draw: Any) -> dict[str, Any]:
    srcs = draw(st.lists(sources(), min_size=1, max_size=3))
    project: dict[str, Any] = {"name": "p", "owner": "team@example.com"}
    if draw(st.booleans()):
        project["jurisdictions"] = draw(st.lists(regions | json_scalars, max_size=3))
    if draw(st.booleans()):
        project["monthly_active_users"] = draw(st.integers(-2, 10**9) | st.sampled_from([1.0, 2.5, True]))
    if draw(st.booleans()):
        project["customer_facing"] = draw(st.booleans())
    manifest: dict[str, Any] = {
        "apiVersion": "llm-policy/v1",
        "project": project,
        "data": {"classes": draw(st.lists(st.sampled_from(CLASSES), min_size=1, max_size=3))},
        "sources": srcs,
    }
    if draw(st.booleans()):
        ids = [s["id"] for s in srcs]
        manifest["routing"] = {
            "strategy": draw(st.sampled_from(["single", "layered", "fallback"])),
            "routes": [{"name": "all", "to": ids[0]}],
            "fallbacks": [{"from": ids[0], "to": ids[-1:]}] if draw(st.booleans()) else [],
        }
    return manifest


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, prefix + (index,))
    return found


@st.composite
def mutated(draw: Any) -> dict[str, Any]:
    """A generated manifest with 0-2 edits: a value replaced, a key deleted or an unknown key added."""
    manifest = copy.deepcopy(draw(manifests()))
    for _ in range(draw(st.integers(0, 2))):
        path = draw(st.sampled_from(_paths(manifest)[1:]))
        parent: Any = manifest
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "add", "duplicate"]))
        if action == "replace":
            parent[path[-1]] = draw(json_values)
        elif action == "delete":
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "notes", "region", "Sector", "expires"]))] = draw(json_values)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
    return manifest


def _agree(data: Any) -> None:
    expected = _validator().is_valid(data)
    assert fast_is_valid(data) is expected, f"fast validator says {not expected}, jsonschema says {expected}: {data!r}"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_fast_validator_agrees_with_jsonschema_on_generated_manifests(manifest: dict[str, Any]) -> None:
    _agree(manifest)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifests())
def test_fast_validator_agrees_on_near_valid_manifests(manifest: dict[str, Any]) -> None:
    _agree(manifest)


def _with_date(value: Any) -> dict[str, Any]:
    return {
        "apiVersion": "llm-policy/v1",
        "project": {"name": "p", "owner": "o"},
        "data": {"classes": ["internal"]},
        "sources": [{"id": "a", "sector": "cloud_api", "provider": "openai", "model": "m", "dpa": {"reference": "r", "signed": value}}],
    }


@pytest.mark.parametrize("value", TRICKY_STRINGS[:14] + ["2024-02-29", "2100-02-29", "2400-02-29", 20270101, None])
def test_dates_mean_the_same_to_both(value: Any) -> None:
    _agree(_with_date(value))


def test_impossible_month_is_invalid_for_both() -> None:
    assert fast_is_valid(_with_date("2027-13-01")) is False
    assert _validator().is_valid(_with_date("2027-13-01")) is False
    assert fast_is_valid(_with_date("2028-02-29")) is True


@pytest.mark.parametrize("jurisdictions", [["EU", "EU"], [1, True], [0, False], [1, 1.0], [[1], [True]], [{"a": 1}, {"a": 1}], ["EU\n"]])
def test_unique_items_and_patterns_mean_the_same_to_both(jurisdictions: list[Any]) -> None:
    manifest = _with_date("2025-01-01")
    manifest["project"]["jurisdictions"] = jurisdictions
    _agree(manifest)


@pytest.mark.parametrize("path", sorted((EXAMPLES / "valid").glob("*/llm-sourcing.yaml")) + sorted((EXAMPLES / "invalid").glob("*/llm-sourcing.yaml")), ids=lambda p: p.parent.name)
def test_examples_agree(path: Any) -> None:
    try:
        data = load_document(path).data
    except Exception:  # noqa: BLE001 - the YAML syntax example never reaches the schema
        pytest.skip("does not load")
    _agree(data)


def test_generated_validator_needs_neither_fastjsonschema_nor_jsonschema() -> None:
    code = (
        "import sys; import llm_policy.validate._fast_validator as v; "
        "print(sorted(m for m in ('fastjsonschema', 'jsonschema', 'decimal') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout
    assert out.strip() == "[]"


def test_a_valid_manifest_is_checked_without_importing_jsonschema() -> None:
    """The pre-commit fast path: jsonschema (and pydantic) load only for an invalid manifest."""
    code = (
        "import sys\n"
        "from llm_policy.cli import main\n"
        "code = main(['check', '--format', 'json', sys.argv[1]])\n"
        "sys.stdout.flush()\n"
        "print('MODULES', sorted(m for m in ('jsonschema', 'pydantic', 'fastjsonschema') if m in sys.modules), code, file=sys.stderr)\n"
    )
    valid = EXAMPLES / "valid" / "cloud-api" / "llm-sourcing.yaml"
    invalid = EXAMPLES / "invalid" / "schema-errors" / "llm-sourcing.yaml"
    fast = subprocess.run([sys.executable, "-c", code, str(valid)], capture_output=True, text=True, cwd=REPO)
    assert "MODULES [] 0" in fast.stderr, fast.stderr
    slow = subprocess.run([sys.executable, "-c", code, str(invalid)], capture_output=True, text=True, cwd=REPO)
    assert "MODULES ['jsonschema'] 1" in slow.stderr, slow.stderr
