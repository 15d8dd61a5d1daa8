"""Property-based fuzzing of the loader, the waivers loader and the whole `check` path.

Fixed budget and a fixed seed (`derandomize=True`): the suite stays fast (well under 20 s) and
reproducible, while still throwing thousands of odd inputs at the code. The properties are the
fail-closed contract itself: nothing escapes as an exception, the exit code is 0, 1 or 2, and the
JSON report always validates against `schemas/report.schema.json`. The schema-hole classes of
issue 11 have their own properties: an identifier with a line break, a look-alike or invisible
character, or a non-string value is always LP001 at its node, and a tagged scalar passes only
when the tag fits its text.
"""

from __future__ import annotations

import contextlib
import io
import os
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
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
    "!!bool ", "!!int ", "!!float ", "!!null ", "!!timestamp ", "!!bool yes", "!!int x", "&x !!bool ", "\u043e",
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


# --- the schema-hole classes of issue 11: patterns, untyped items, tags, look-alikes -------------

HOLES_BASE: dict[str, Any] = {
    "apiVersion": "llm-policy/v1",
    "project": {"name": "p", "owner": "o@example.com", "jurisdictions": ["EU"]},
    "data": {"classes": ["public"]},
    "sources": [
        {"id": "a", "sector": "open_source", "model": "mistralai/Mistral-7B-Instruct-v0.2", "license": "Apache-2.0",
         "hosting": "on_prem", "region": "DE"},
        {"id": "b", "sector": "cloud_api", "provider": "openai", "model": "gpt-4o", "hosting": "provider", "region": "EU"},
    ],
    "routing": {"strategy": "fallback", "routes": [{"name": "all", "to": "a"}], "fallbacks": [{"from": "a", "to": ["b"]}]},
}
IDENTIFIERS = [
    ("project", "jurisdictions", 0), ("sources", 0, "id"), ("sources", 0, "region"), ("sources", 0, "license"),
    ("sources", 0, "model"), ("sources", 1, "provider"), ("sources", 1, "model"), ("routing", "routes", 0, "to"),
    ("routing", "fallbacks", 0, "from"), ("routing", "fallbacks", 0, "to", 0),
]
LINE_BREAKS = ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", " \n", "\t", "\x0b", "\x0c"]
LOOK_ALIKES = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441", "i": "\u0456", "E": "\u0415",
               "D": "\u13a0", "M": "\u041c", "T": "\u0422", "-": "\u2010", "0": "\u041e", "/": "\u2215"}
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e"]


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    _get(data, path[:-1])[path[-1]] = value


@st.composite
def hostile(draw: Any) -> tuple[tuple[Any, ...], Any]:
    """(path of an identifier, a value that must fail there): a line break, a look-alike, a non-string."""
    path = draw(st.sampled_from(IDENTIFIERS))
    clean = _get(HOLES_BASE, path)
    kind = draw(st.sampled_from(["trailing", "leading", "look-alike", "fullwidth", "invisible", "untyped"]))
    if kind == "trailing":
        return path, clean + draw(st.sampled_from(LINE_BREAKS))
    if kind == "leading":
        return path, draw(st.sampled_from(LINE_BREAKS)) + clean
    at = draw(st.integers(0, len(clean) - 1))
    if kind == "invisible":
        return path, clean[:at] + draw(st.sampled_from(INVISIBLE)) + clean[at:]
    if kind == "look-alike" and clean[at] in LOOK_ALIKES:
        return path, clean[:at] + LOOK_ALIKES[clean[at]] + clean[at + 1:]
    if kind in ("look-alike", "fullwidth"):
        return path, clean[:at] + chr(ord(clean[at]) + 0xFEE0) + clean[at + 1:]
    return path, draw(st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False, allow_infinity=False),
                                st.lists(st.just(clean), min_size=1, max_size=2), st.fixed_dictionaries({"a": st.just(clean)})))


def test_the_holes_base_manifest_is_valid():
    from llm_policy.validate import validate_document

    document = parse_document(json.dumps(HOLES_BASE), Path("m.yaml"))
    assert validate_document(document, "m.yaml") == []


@settings(FUZZ, max_examples=150)
@given(case=hostile(), style=st.sampled_from(["block", "flow", "json"]))
def test_a_hostile_identifier_is_always_lp001_at_its_node(case, style):
    """Trailing/leading line breaks, look-alikes, invisible characters and non-strings never pass."""
    from llm_policy.load import to_pointer
    from llm_policy.validate import validate_document

    path, value = case
    manifest = json.loads(json.dumps(HOLES_BASE))
    _set(manifest, path, value)
    document = parse_document(_dump(manifest, style), Path("m.yaml"))
    value = _get(document.data, path)  # what the checker sees: YAML folds a raw NEL into a space, or drops it
    assume(value != _get(HOLES_BASE, path))
    findings = validate_document(document, "m.yaml")
    pointer = to_pointer(list(path))
    assert any(f.rule_id == "LP001" and f.pointer.startswith(pointer) for f in findings), (value, findings)
    if isinstance(value, str) and not value.isascii():
        non_ascii = next(f for f in findings if f.pointer == pointer)
        assert f"U+{ord(next(c for c in value if not c.isascii())):04X}" in non_ascii.message


TAGGED_VALUES = ["yes", "no", "on", "true", "false", "True", "1", "0", "", "~", "null", "x", "1.5", "0x1", "2025-01-10", "'true'"]


@settings(FUZZ, max_examples=30)
@given(tag=st.sampled_from(["!!bool", "!!int", "!!float", "!!null", "!!str", "!!timestamp"]), value=st.sampled_from(TAGGED_VALUES),
       anchor=st.booleans())
def test_a_tagged_boolean_fails_unless_it_is_a_real_boolean(workspace, report_validator, tag, value, anchor):
    """`commercial: !!TAG VALUE` passes only as a real `!!bool true/false`; otherwise LP000 or LP001 on that line."""
    node = ("&x " if anchor else "") + f"{tag} {value}"
    text = _dump(HOLES_BASE, "block").replace("project:\n", f"project:\n  commercial: {node}\n", 1)
    path = workspace / "tags" / "llm-sourcing.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    code, out, err = _check(workspace, str(path), "--no-builtin", "--policy", str(REPO / "policies" / "lib"))
    report = _assert_contract(code, out, err, report_validator)
    findings = report["files"][0]["findings"]
    real_boolean = tag == "!!bool" and value.strip("'") in ("true", "false", "True")
    if real_boolean:
        assert not [f for f in findings if f["rule_id"] in ("LP000", "LP001")], findings
        return
    line = text.split("\n").index(f"  commercial: {node}") + 1
    assert [(f["rule_id"], f["line"]) for f in findings if f["rule_id"] in ("LP000", "LP001")] in (
        [("LP000", line)], [("LP001", line)]), (text, findings)


# --- symlinks (issue 11, item 18) -----------------------------------------------------------------

SECRET = "ghp_" + "S3cr3t" * 8  # what a link outside the root points at: must never reach a report

# A link is (where it sits, what it points at): a manifest file or a folder, inside or outside the
# root, directly or through another link (a chain), or nowhere (broken).
LINK_TARGETS = st.sampled_from(["outside-file", "outside-dir", "inside-file", "inside-dir", "chain-out", "chain-in", "broken"])


@settings(FUZZ, max_examples=25)
@given(links=st.lists(LINK_TARGETS, min_size=1, max_size=4), search=st.booleans())
def test_no_symlink_tree_leaks_what_lies_outside_the_root(tmp_path_factory, report_validator, links, search):
    base = tmp_path_factory.mktemp("links")
    root, outside = base / "repo", base / "outside"
    (root / ".git").mkdir(parents=True)
    (outside / "dir").mkdir(parents=True)
    (outside / "hosts.yml").write_text(SECRET + "\n")
    (outside / "dir" / "llm-sourcing.yaml").write_text(SECRET + "\n")
    (root / "real").mkdir()
    (root / "real" / "llm-sourcing.yaml").write_text(_dump(HOLES_BASE, "block"))
    (root / "config.yaml").write_text("fail_on: error\n")
    named, leaving = [], 0
    for i, kind in enumerate(links):
        where = root / f"l{i}"
        where.mkdir()
        target = {
            "outside-file": outside / "hosts.yml", "outside-dir": outside / "dir",
            "inside-file": root / "real" / "llm-sourcing.yaml", "inside-dir": root / "real",
            "chain-out": root / f"c{i}", "chain-in": root / f"c{i}", "broken": root / "nowhere",
        }[kind]
        if kind.startswith("chain"):  # a link to a link
            os.symlink(outside / "hosts.yml" if kind == "chain-out" else root / "real" / "llm-sourcing.yaml", target)
        link = where / ("linked" if kind.endswith("dir") else "llm-sourcing.yaml")
        os.symlink(target, link)
        leaving += kind in ("outside-file", "outside-dir", "chain-out")
        named.append(str(link if not kind.endswith("dir") else link / "llm-sourcing.yaml"))
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    try:
        os.chdir(root)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", *([] if search else named), "--config", str(root / "config.yaml"),
                         "--date", "2026-11-27", "--format", "json"])
    finally:
        os.chdir(cwd)
    report = _assert_contract(code, out.getvalue(), err.getvalue(), report_validator)
    assert SECRET[:12] not in out.getvalue() + err.getvalue()
    if leaving:
        assert code == 2  # a link leaving the root is a fault, never a silent skip or a pass
        assert any("outside the checked root" in fault["message"] for r in report["files"] for fault in r["faults"])
