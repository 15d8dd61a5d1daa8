"""`llm-policy bundle build`: a standard, reproducible OPA bundle that answers like `check`."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, FIXED_DATE, write
from llm_policy.evaluate.bundle import read_bundle

CUSTOM = """package acme.llm

deny contains msg if {
	some src in input.sources
	src.sector == "cloud_api"
	msg := sprintf("Source %q: Acme forbids cloud APIs", [src.id])
}
"""


def build(cli: Any, tmp_path: Path, *args: str, name: str = "b.tar.gz") -> tuple[Any, Path]:
    out = tmp_path / name
    return cli("bundle", "build", "-o", str(out), *args), out


def test_build_writes_a_standard_bundle(cli: Any, tmp_path: Path) -> None:
    result, out = build(cli, tmp_path)
    assert result.code == 0, result.err
    files = read_bundle(out.read_bytes())
    manifest = json.loads(files[".manifest"])
    assert manifest["roots"] == ["llm_policy"]
    assert manifest["revision"].startswith("llm-policy-")
    assert manifest["rego_version"] == 1
    rego = sorted(n for n in files if n.endswith(".rego"))
    assert rego and all(n.startswith("llm_policy/") for n in rego)
    assert not any(n.endswith("_test.rego") for n in files), "tests do not belong on servers"
    data = json.loads(files["data.json"])
    assert set(data["llm_policy"]) >= {"tables", "catalog"}
    assert "context" not in data["llm_policy"], "the evaluation date is the server's, not baked in"
    assert f"revision {manifest['revision']}" in result.err


def test_build_is_reproducible(cli: Any, tmp_path: Path) -> None:
    _, first = build(cli, tmp_path, name="one.tar.gz")
    _, second = build(cli, tmp_path, name="two.tar.gz")
    assert first.read_bytes() == second.read_bytes()
    with tarfile.open(fileobj=io.BytesIO(first.read_bytes()), mode="r:gz") as tar:
        members = tar.getmembers()
    names = [m.name for m in members]
    assert names == sorted(names)
    assert {(m.mtime, m.uid, m.gid, m.uname, m.gname) for m in members} == {(0, 0, 0, "", "")}


def test_revision_custom_policies_and_data(cli: Any, tmp_path: Path) -> None:
    write(tmp_path / "custom" / "acme.rego", CUSTOM)
    write(tmp_path / "custom" / "acme_test.rego", "package acme.llm_test\n\ntest_nothing if true\n")
    write(tmp_path / "override.json", json.dumps({"llm_policy": {"tables": {"dpa_expiry_warning_days": 90}}}))
    result, out = build(cli, tmp_path, "--policy", str(tmp_path / "custom"), "--namespace", "acme.llm", "--data", str(tmp_path / "override.json"),
                        "--revision", "2026.11.27-1")
    assert result.code == 0, result.err
    files = read_bundle(out.read_bytes())
    manifest = json.loads(files[".manifest"])
    assert manifest["revision"] == "2026.11.27-1"
    assert manifest["roots"] == ["acme/llm", "llm_policy"]
    assert [n for n in files if n.startswith("custom/")] == [next(n for n in files if n.endswith("/acme.rego"))]
    assert json.loads(files["data.json"])["llm_policy"]["tables"]["dpa_expiry_warning_days"] == 90


def test_no_builtin_without_policies_is_a_usage_error(cli: Any, tmp_path: Path) -> None:
    result, out = build(cli, tmp_path, "--no-builtin")
    assert result.code == 2
    assert "no policies to bundle" in result.err
    assert not out.exists()


def test_unwritable_output_is_a_usage_error(cli: Any, tmp_path: Path) -> None:
    result = cli("bundle", "build", "-o", str(tmp_path / "missing" / "dir" / "b.tar.gz"))
    assert result.code == 2
    assert "cannot write" in result.err


def _under_roots(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r + "/") for r in roots)


def test_everything_is_inside_the_roots(cli: Any, tmp_path: Path) -> None:
    """OPA refuses a bundle whose packages or data fall outside its manifest roots."""
    from llm_policy.evaluate.metadata import parse_annotations

    write(tmp_path / "custom" / "acme.rego", CUSTOM)
    _, out = build(cli, tmp_path, "--policy", str(tmp_path / "custom"), "--all-namespaces")
    files = read_bundle(out.read_bytes())
    roots = json.loads(files[".manifest"])["roots"]
    for name, text in files.items():
        if name.endswith(".rego"):
            package, _ = parse_annotations(text.decode())
            assert package and _under_roots(package.replace(".", "/"), roots), (name, package, roots)
    for key in json.loads(files["data.json"]):
        assert _under_roots(key, roots) or any(r.startswith(key + "/") for r in roots)
    assert not any(a != b and b.startswith(a + "/") for a in roots for b in roots), "roots must not overlap"


def test_bundle_contents_answer_like_check_under_real_opa(cli: Any, tmp_path: Path) -> None:
    """Load the bundle's own files into real OPA (in-process) and compare with the embedded engine
    on every example. (A stock `opa run --bundle` is exercised in test_opa_server.py when an OPA
    binary exists.)"""
    pytest.importorskip("opa_bindings", reason="real OPA in-process (opa-golib-python-bindings) is not installed")
    from conformance_cases import example_cases
    from llm_policy.evaluate import create_engine, load_policy_set
    from llm_policy.evaluate.conformance import compare_engines
    from llm_policy.evaluate.policies import Module, PolicySet, deep_merge

    _, out = build(cli, tmp_path)
    files = read_bundle(out.read_bytes())
    source = load_policy_set(context={"today": FIXED_DATE})
    from_bundle = PolicySet(
        modules=[Module(name, files[name].decode(), "", []) for name in sorted(files) if name.endswith(".rego")],
        data=deep_merge(json.loads(files["data.json"]), {"llm_policy": {"context": {"today": FIXED_DATE}}}),
        namespaces=source.namespaces,
        rules=source.rules,
    )
    embedded = create_engine("regorus")
    embedded.prepare(source)
    opa = create_engine("opa-inprocess")
    opa.prepare(from_bundle)
    cases = list(example_cases(EXAMPLES))
    assert cases
    assert compare_engines([embedded, opa], source, cases) == []


# --- bundle extract: the embedded engine checking against a pinned bundle --------------------------


def findings_of(result: Any) -> list[tuple]:
    return sorted((f["path"], x["rule_id"], x["severity"], x["message"], x["line"], x["column"])
                  for f in result.report["files"] for x in f["findings"])


def test_extracted_bundle_checks_like_the_builtin_pack(cli: Any, tmp_path: Path) -> None:
    import hashlib

    _, out = build(cli, tmp_path)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    target = tmp_path / "pinned"
    result = cli("bundle", "extract", str(out), "-d", str(target), "--sha256", digest)
    assert result.code == 0, result.err
    assert digest in result.err
    pinned = cli("check", "--date", FIXED_DATE, "-f", "json", "--no-builtin", "--policy", str(target),
                 "--data", str(target / "data.json"), str(EXAMPLES))
    builtin = cli("check", "--date", FIXED_DATE, "-f", "json", str(EXAMPLES))
    assert pinned.code == builtin.code
    assert pinned.report["faults"] == []
    assert findings_of(pinned) == findings_of(builtin) != []


def test_extract_refuses_a_bundle_that_is_not_the_pinned_one(cli: Any, tmp_path: Path) -> None:
    _, out = build(cli, tmp_path)
    result = cli("bundle", "extract", str(out), "-d", str(tmp_path / "x"), "--sha256", "0" * 64)
    assert result.code == 2
    assert "not the pinned" in result.err
    assert not (tmp_path / "x").exists()


def test_extract_refuses_a_non_empty_directory(cli: Any, tmp_path: Path) -> None:
    _, out = build(cli, tmp_path)
    write(tmp_path / "x" / "old.rego", "package old\n")
    result = cli("bundle", "extract", str(out), "-d", str(tmp_path / "x"))
    assert result.code == 2
    assert "not an empty directory" in result.err


def _tar(tmp_path: Path, members: dict[str, bytes]) -> Path:
    import gzip

    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    path = tmp_path / "odd.tar.gz"
    path.write_bytes(gzip.compress(raw.getvalue()))
    return path


@pytest.mark.parametrize(
    "members,message",
    [
        ({"../evil.rego": b"package evil\n"}, "unsafe path"),
        ({"policy.wasm": b"\0asm"}, "not supported"),
        ({"data.json": b"{nope"}, "not valid JSON"),
    ],
)
def test_extract_refuses_what_it_cannot_evaluate_faithfully(cli: Any, tmp_path: Path, members: dict, message: str) -> None:
    result = cli("bundle", "extract", str(_tar(tmp_path, members)), "-d", str(tmp_path / "x"))
    assert result.code == 2
    assert message in result.err


def test_extract_places_nested_data_under_its_directory(cli: Any, tmp_path: Path) -> None:
    bundle = _tar(tmp_path, {"acme/limits/data.json": b'{"max": 3}', ".manifest": b'{"revision": "r1", "roots": ["acme"]}'})
    result = cli("bundle", "extract", str(bundle), "-d", str(tmp_path / "x"))
    assert result.code == 0, result.err
    assert json.loads((tmp_path / "x" / "data.json").read_text()) == {"acme": {"limits": {"max": 3}}}
