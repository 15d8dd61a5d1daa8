"""Property-based fuzzing of the loader, the waivers loader and the whole `check` path.

Fixed budget and a fixed seed (`derandomize=True`): the suite stays fast (well under 20 s) and
reproducible, while still throwing thousands of odd inputs at the code. The properties are the
fail-closed contract itself: nothing escapes as an exception, the exit code is 0, 1 or 2, and the
JSON report always validates against `schemas/report.schema.json`.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from llm_policy.cli import main
from llm_policy.findings import exit_code
from llm_policy.load import LoadError, parse_document

# The manifest strategy is deeply nested; hypothesis warns about the size of its repr.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")

FUZZ = settings(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- the loader ---------------------------------------------------------------------------------

YAML_TOKENS = [
    ":", ": ", "-", "- ", " ", "  ", "\n", "\t", "[", "]", "{", "}", ",", "&a", "*a", "&b ", "*b", "!", "!!str ",
    "!!python/object:os.system ", "!custom ", "#", "'", '"', "?", "? ", "|", ">", "%YAML 1.1\n", "---", "---\n", "...",
    "<<: ", "~", "null", "true", "yes", "0x1F", "1e3", ".nan", ".inf", "2026-01-01", "a", "key", "apiVersion",
    "sources", "\\", "\u00e9", "\ufeff", "\x00", "\x85", "\u2028", "@", "`", "%", "=", "\r", "\r\n",
]


def _check_document_or_error(text: str) -> None:
    try:
        document = parse_document(text, Path("fuzz.yaml"))
    except LoadError as exc:
        assert exc.message
        assert exc.line is None or exc.line >= 1
        assert exc.column is None or exc.column >= 1
        return
    assert isinstance(document.data, dict)
    json.dumps(document.data, allow_nan=False)  # plain JSON data, nothing constructed
    for path in [[], *([key] for key in document.data)]:
        span, _ = document.positions.locate(path)
        assert span.line >= 1 and span.column >= 1


@settings(FUZZ, max_examples=400)
@given(st.lists(st.sampled_from(YAML_TOKENS), max_size=40).map("".join))
def test_loader_on_yaml_ish_token_soup(text):
    _check_document_or_error(text)


@settings(FUZZ, max_examples=200)
@given(st.text(max_size=200))
def test_loader_on_arbitrary_text(text):
    _check_document_or_error(text)


@settings(FUZZ, max_examples=150)
@given(st.binary(max_size=300))
def test_loader_on_arbitrary_bytes(tmp_path_factory, raw):
    from llm_policy.load import load_document

    path = tmp_path_factory.mktemp("bytes") / "llm-sourcing.yaml"
    path.write_bytes(raw)
    try:
        document = load_document(path, max_bytes=200)
    except LoadError as exc:
        assert exc.message
        return
    assert isinstance(document.data, dict)


# --- manifest-shaped documents through the whole check ------------------------------------------


def junk() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(-(10**15), 10**15),
        st.floats(allow_nan=False, allow_infinity=False, width=32), st.text(max_size=12),
    )
    return st.one_of(scalars, st.lists(scalars, max_size=3), st.dictionaries(st.text(max_size=6), scalars, max_size=2))


def mostly(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Usually a valid value, so rules get exercised; sometimes anything at all."""
    return st.one_of(valid, valid, valid, junk())


IDS = st.sampled_from(["a", "b", "gpt", "local-1", "qwen"])
CLASSES = ["public", "internal", "confidential", "personal", "special_category", "payment", "financial", "state_secret"]
DATES = st.dates(min_value=__import__("datetime").date(2020, 1, 1), max_value=__import__("datetime").date(2032, 12, 31)).map(
    lambda d: d.isoformat()
)


def optional(**fields: st.SearchStrategy[Any]) -> dict[str, st.SearchStrategy[Any]]:
    return {name: mostly(strategy) for name, strategy in fields.items()}


DPA = st.fixed_dictionaries(
    {"reference": mostly(st.text(min_size=1, max_size=10)), "signed": mostly(DATES)},
    optional=optional(expires=DATES, training_opt_out=st.booleans(), zero_retention=st.booleans(),
                      transfer_mechanism=st.sampled_from(["EU SCCs", "adequacy"])),
)
SOURCE = st.fixed_dictionaries(
    {
        "id": mostly(IDS),
        "sector": mostly(st.sampled_from(["open_source", "cloud_api", "private"])),
        "model": mostly(st.sampled_from([
            "mistralai/Mistral-7B-Instruct-v0.2", "meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen2.5-7B-Instruct",
            "bigcode/starcoder2-15b", "gpt-4o", "claude-3-5-sonnet", "yandexgpt", "GigaChat-Pro", "unknown/model",
        ])),
    },
    optional=optional(
        provider=st.sampled_from(["openai", "azure-openai", "anthropic", "mistral", "yandex", "gigachat", "nvidia-nim", "acme"]),
        license=st.sampled_from(["Apache-2.0", "MIT", "llama3.1-community", "bigcode-openrail-m", "proprietary", "WTFPL"]),
        hosting=st.sampled_from(["on_prem", "own_cloud", "vendor_perimeter", "provider"]),
        region=st.sampled_from(["DE", "US", "RU", "EU", "CN", "FR"]),
        specialization=st.sampled_from(["general", "code", "vision", "math", "edge", "reasoning", "rag"]),
        data_classes=st.lists(st.sampled_from(CLASSES), max_size=3, unique=True),
        dpa=DPA,
        notes=st.text(max_size=20),
    ),
)
ROUTING = st.fixed_dictionaries(
    {"strategy": mostly(st.sampled_from(["single", "layered", "fallback"]))},
    optional=optional(
        routes=st.lists(st.fixed_dictionaries({"name": st.sampled_from(["simple", "code"]), "to": IDS}), max_size=3),
        fallbacks=st.lists(st.fixed_dictionaries({"from": IDS, "to": st.lists(IDS, min_size=1, max_size=2)}), max_size=2),
    ),
)
MANIFEST = st.fixed_dictionaries(
    {
        "apiVersion": mostly(st.just("llm-policy/v1")),
        "project": mostly(st.fixed_dictionaries(
            {"name": st.text(min_size=1, max_size=10), "owner": st.just("team@example.com")},
            optional=optional(customer_facing=st.booleans(), description=st.text(max_size=10)),
        )),
        "data": mostly(st.fixed_dictionaries({"classes": st.lists(st.sampled_from(CLASSES), min_size=1, max_size=4, unique=True)})),
        "sources": mostly(st.lists(SOURCE, min_size=1, max_size=4)),
    },
    optional={"routing": mostly(ROUTING), "extra": junk()},
)


def _dump(data: Any, style: str) -> str:
    if style == "json":
        return json.dumps(data, indent=1)
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = style == "flow"
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    (root / ".git").mkdir()
    (root / "config.yaml").write_text("fail_on: error\n")
    return root


@pytest.fixture(scope="module")
def report_validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads((REPO / "schemas" / "report.schema.json").read_text()))


def _check(workspace: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", *args, "--root", str(workspace), "--config", str(workspace / "config.yaml"),
                     "--date", "2026-11-27", "--format", "json"])
    return code, out.getvalue(), err.getvalue()


def _assert_contract(code: int, out: str, err: str, validator) -> dict[str, Any]:
    assert code in (0, 1, 2), err
    assert "internal error" not in err and "Traceback" not in err, err
    report = json.loads(out)
    errors = sorted(validator.iter_errors(report), key=lambda e: list(e.path))
    assert not errors, errors[0]
    assert code == exit_code(report, "error")
    for result in report["files"]:
        for finding in result["findings"]:
            assert finding["line"] >= 1 and finding["column"] >= 1
    return report


@settings(FUZZ, max_examples=45)
@given(manifest=MANIFEST, style=st.sampled_from(["block", "flow", "json"]), cut=st.one_of(st.none(), st.floats(0, 1)),
       insert=st.sampled_from(["", "\t", ":", "[", "&x *x", "\x00", "- ", "!!python/object:x "]))
def test_check_never_crashes_on_manifest_shaped_input(workspace, report_validator, manifest, style, cut, insert):
    text = _dump(manifest, style)
    if cut is not None:  # damage the text somewhere: a truncation plus a stray token
        at = math.floor(cut * len(text))
        text = text[:at] + insert + text[at:]
    path = workspace / "m" / "llm-sourcing.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    code, out, err = _check(workspace, str(path))
    report = _assert_contract(code, out, err, report_validator)
    assert [r["path"] for r in report["files"]] == ["m/llm-sourcing.yaml"]


@settings(FUZZ, max_examples=15)
@given(manifests=st.lists(st.one_of(MANIFEST.map(lambda m: _dump(m, "block")), st.text(max_size=60)), min_size=2, max_size=3))
def test_check_of_several_manifests_reports_each_one(workspace, report_validator, manifests):
    paths = []
    for i, text in enumerate(manifests):
        path = workspace / f"batch{i}" / "llm-sourcing.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    code, out, err = _check(workspace, *paths)
    report = _assert_contract(code, out, err, report_validator)
    assert [r["path"] for r in report["files"]] == [f"batch{i}/llm-sourcing.yaml" for i in range(len(manifests))]


# --- the waivers loader -------------------------------------------------------------------------

WAIVER = st.fixed_dictionaries(
    {},
    optional=optional(
        rule=st.sampled_from(["LP103", "main.deny", "LP001", "x y"]),
        manifest=st.sampled_from(["a/llm-sourcing.yaml", "../x", "/abs", "*.yaml", "a/llm-sourcing.yaml"]),
        source_id=st.sampled_from(["a", ""]),
        pointer=st.sampled_from(["/sources/0", "sources", "/"]),
        justification=st.sampled_from(["ok", " ", ""]),
        approved_by=st.sampled_from(["JIRA-1", ""]),
        expires=st.one_of(DATES, st.sampled_from(["2026-02-30", "soon"])),
    ),
)


@settings(FUZZ, max_examples=150)
@given(document=st.one_of(st.fixed_dictionaries({"waivers": mostly(st.lists(WAIVER, max_size=3))}), junk()),
       style=st.sampled_from(["block", "json"]))
def test_waivers_loader_accepts_or_locates_every_problem(tmp_path_factory, document, style):
    from llm_policy.waivers import WaiverFileError, load_waivers

    root = tmp_path_factory.mktemp("w")
    path = root / "llm-policy-waivers.yaml"
    path.write_text(_dump(document, style), encoding="utf-8")
    try:
        waivers = load_waivers(path, "llm-policy-waivers.yaml", root)
    except WaiverFileError as exc:
        assert exc.faults
        assert all(f.kind == "waiver" and f.file == "llm-policy-waivers.yaml" and f.message for f in exc.faults)
        return
    for entry in waivers.entries:  # accepted means complete and well-formed
        assert entry.rule and entry.justification and entry.approved_by
        assert entry.manifest == "a/llm-sourcing.yaml"
