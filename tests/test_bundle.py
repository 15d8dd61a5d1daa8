"""`llm-policy bundle build`: a standard, reproducible OPA bundle that answers like `check`."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, FIXED_DATE, write
from llm_policy.policy.bundle import read_bundle

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
    from llm_policy.policy.metadata import parse_annotations

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
    from llm_policy.engines import create_engine
    from llm_policy.policy import load_policy_set
    from llm_policy.engines.conformance import compare_engines
    from llm_policy.policy.policy_set import Module, PolicySet, deep_merge

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
    result = cli("bundle", "extract", str(out), "-C", str(target), "--sha256", digest)
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
    result = cli("bundle", "extract", str(out), "-C", str(tmp_path / "x"), "--sha256", "0" * 64)
    assert result.code == 2
    assert "not the pinned" in result.err
    assert not (tmp_path / "x").exists()


def test_extract_refuses_a_non_empty_directory(cli: Any, tmp_path: Path) -> None:
    _, out = build(cli, tmp_path)
    write(tmp_path / "x" / "old.rego", "package old\n")
    result = cli("bundle", "extract", str(out), "-C", str(tmp_path / "x"))
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
    result = cli("bundle", "extract", str(_tar(tmp_path, members)), "-C", str(tmp_path / "x"))
    assert result.code == 2
    assert message in result.err


def test_extract_places_nested_data_under_its_directory(cli: Any, tmp_path: Path) -> None:
    bundle = _tar(tmp_path, {"acme/limits/data.json": b'{"max": 3}', ".manifest": b'{"revision": "r1", "roots": ["acme"]}'})
    result = cli("bundle", "extract", str(bundle), "-C", str(tmp_path / "x"))
    assert result.code == 0, result.err
    assert json.loads((tmp_path / "x" / "data.json").read_text()) == {"acme": {"limits": {"max": 3}}}


# --- extract: a pinned digest is a digest; members are streamed within limits; nothing is skipped ---

@pytest.mark.parametrize("digest", ["", " ", "abc", "0" * 63, "g" * 64, "0" * 65])
def test_extract_refuses_an_empty_or_malformed_digest(cli: Any, tmp_path: Path, digest: str) -> None:
    """Issue 11.11: `--sha256="$UNSET"` used to skip the pin and unpack whatever was there."""
    _, out = build(cli, tmp_path)
    result = cli("bundle", "extract", str(out), "-C", str(tmp_path / "x"), f"--sha256={digest}")
    assert result.code == 2 and "not a SHA-256 digest" in result.err
    assert not (tmp_path / "x").exists()


def test_extract_accepts_the_digest_in_any_case_and_with_its_prefix(cli: Any, tmp_path: Path) -> None:
    _, out = build(cli, tmp_path)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert cli("bundle", "extract", str(out), "-C", str(tmp_path / "a"), "--sha256", digest.upper()).code == 0
    assert cli("bundle", "extract", str(out), "-C", str(tmp_path / "b"), "--sha256", f"sha256:{digest}").code == 0


def _special(tmp_path: Path, build_members: Any) -> Path:
    import gzip

    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        build_members(tar)
    path = tmp_path / "special.tar.gz"
    path.write_bytes(gzip.compress(raw.getvalue()))
    return path


def _member(tar: tarfile.TarFile, name: str, content: bytes = b"package p\n", kind: bytes = tarfile.REGTYPE, link: str = "") -> None:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, link
    info.size = len(content) if kind == tarfile.REGTYPE else 0
    tar.addfile(info, io.BytesIO(content) if kind == tarfile.REGTYPE else None)


@pytest.mark.parametrize("members, message", [
    (lambda t: _member(t, "p.rego", kind=tarfile.SYMTYPE, link="/etc/passwd"), "p.rego: a symbolic link"),
    (lambda t: (_member(t, "a.rego"), _member(t, "b.rego", kind=tarfile.LNKTYPE, link="a.rego")), "b.rego: a hard link"),
    (lambda t: _member(t, "dev.rego", kind=tarfile.CHRTYPE), "dev.rego: a device"),
    (lambda t: _member(t, "fifo.rego", kind=tarfile.FIFOTYPE), "fifo.rego: a FIFO"),
    (lambda t: (_member(t, "a.rego", b"package a\n"), _member(t, "./a.rego", b"package evil\n")), "a second member named 'a.rego'"),
    (lambda t: (_member(t, "/a.rego"), _member(t, "a.rego")), "a second member named 'a.rego'"),
    (lambda t: (_member(t, "A.rego"), _member(t, "a.rego")), "differs from 'A.rego' only in case"),
    (lambda t: (_member(t, "caf\u00e9.rego"), _member(t, "cafe\u0301.rego")), "only in case or Unicode form"),
    (lambda t: _member(t, "//etc/evil.rego"), "unsafe path"),
    (lambda t: _member(t, "x/../../evil.rego"), "unsafe path"),
    (lambda t: _member(t, "C:/evil.rego"), "unsafe path"),
    (lambda t: _member(t, "a\\..\\evil.rego"), "unsafe path"),
    (lambda t: _member(t, "a\nb.rego"), "unsafe path"),
])
def test_extract_refuses_members_it_will_not_unpack(cli: Any, tmp_path: Path, members: Any, message: str) -> None:
    """Issue 11.17: links, devices and duplicates were dropped or overwrote silently."""
    result = cli("bundle", "extract", str(_special(tmp_path, members)), "-C", str(tmp_path / "x"))
    assert result.code == 2 and message in result.err, result.err
    assert not (tmp_path / "x").exists()


def test_extract_reads_opa_build_root_slashes(cli: Any, tmp_path: Path) -> None:
    """`opa build` writes member names with one leading slash: they are bundle-root paths, not absolute."""
    bundle = _special(tmp_path, lambda t: (_member(t, "/acme/p.rego", b"package acme\n"), _member(t, "/data.json", b"{}")))
    assert cli("bundle", "extract", str(bundle), "-C", str(tmp_path / "x")).code == 0
    assert (tmp_path / "x" / "acme" / "p.rego").read_text() == "package acme\n"


def test_extract_streams_members_within_size_limits(cli: Any, tmp_path: Path) -> None:
    body = b"package p\n" + b"# padding\n" * 200  # 2010 bytes
    bundle = _special(tmp_path, lambda t: (_member(t, "a.rego", body), _member(t, "b.rego", body)))
    small = cli("bundle", "extract", str(bundle), "-C", str(tmp_path / "x"), "--max-member-size", "1000")
    assert small.code == 2 and "a.rego: 2010 bytes" in small.err and "--max-member-size" in small.err
    total = cli("bundle", "extract", str(bundle), "-C", str(tmp_path / "x"), "--max-total-size", "3000")
    assert total.code == 2 and "b.rego" in total.err and "--max-total-size" in total.err
    raised = cli("bundle", "extract", str(bundle), "-C", str(tmp_path / "x"), "--max-member-size", "5000", "--max-total-size", "5000")
    assert raised.code == 0, raised.err
    for bad in ("0", "-1", "nan", ""):
        assert cli("bundle", "extract", str(bundle), "-C", str(tmp_path / "y"), f"--max-member-size={bad}").code == 2


def test_extract_refuses_a_huge_member_from_its_header(cli: Any, tmp_path: Path) -> None:
    """A few bytes of archive announcing a 3 GiB member: refused before anything is read."""
    def huge(tar: tarfile.TarFile) -> None:
        info = tarfile.TarInfo("big.rego")
        info.size = 3 * 1024**3
        tar.fileobj.write(info.tobuf(tarfile.PAX_FORMAT))  # the header alone; the content never comes

    bundle = _special(tmp_path, huge)
    assert bundle.stat().st_size < 4096
    result = cli("bundle", "extract", str(bundle), "-C", str(tmp_path / "x"))
    assert result.code == 2 and "big.rego: 3221225472 bytes" in result.err


def test_extract_directory_flag_like_tar_and_the_deprecated_alias(cli: Any, tmp_path: Path) -> None:
    _, out = build(cli, tmp_path)
    assert cli("bundle", "extract", str(out), "--directory", str(tmp_path / "a")).code == 0
    old = cli("bundle", "extract", str(out), "-d", str(tmp_path / "b"))
    assert old.code == 0 and "deprecated" in old.err and (tmp_path / "b" / "data.json").is_file()
    both = cli("bundle", "extract", str(out), "-C", str(tmp_path / "c"), "-d", str(tmp_path / "d"))
    assert both.code == 2
    none = cli("bundle", "extract", str(out))
    assert none.code == 2 and "-C DIR" in none.err


def test_build_bytes_do_not_depend_on_where_the_policies_are(cli: Any, tmp_path: Path) -> None:
    """Issue 14.12: absolute --policy paths used to put the checkout's location into member names."""
    policy = "package acme\n\nimport rego.v1\n\ndeny contains msg if {\n\tinput.project.name == \"x\"\n\tmsg := \"no\"\n}\n"
    outputs = []
    for copy in ("checkout-one", "elsewhere/checkout-two"):
        write(tmp_path / copy / "policies" / "acme" / "deny.rego", policy)
        write(tmp_path / copy / "org.yaml", "acme:\n  limit: 3\n")
        out = tmp_path / f"{copy.replace('/', '_')}.tar.gz"
        result = cli("bundle", "build", "-o", str(out), "--policy", str(tmp_path / copy / "policies"),
                     "--data", str(tmp_path / copy / "org.yaml"), "--namespace", "acme", cwd=tmp_path)
        assert result.code == 0, result.err
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert "custom/acme/deny.rego" in read_bundle(outputs[0])
    # and from inside the checkout, with relative paths
    again = tmp_path / "again.tar.gz"
    assert cli("bundle", "build", "-o", str(again), "--policy", "policies",
               "--data", "org.yaml", "--namespace", "acme", cwd=tmp_path / "checkout-one").code == 0
    assert again.read_bytes() == outputs[0]
