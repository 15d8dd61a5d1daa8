"""Smoke test of benchmarks/: the generator is deterministic and labels its manifests truthfully,
and the benchmark runs end to end on a tiny set. Timings are printed, never asserted: performance
is measured by `python benchmarks/run.py`, not by the test suite.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO

STAGES = ("LP000", "LP001", "LP002")


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("bench_generate_smoke", REPO / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_generation_is_deterministic_and_varied() -> None:
    generate = _generator()
    first = [generate.Generator(7).manifest(i) for i in range(2000)]
    again = [generate.Generator(7).manifest(i).text for i in (0, 500, 1999)]
    assert [first[i].text for i in (0, 500, 1999)] == again
    assert generate.Generator(8).manifest(0).text != first[0].text
    assert {m.label for m in first} == {"valid", *STAGES}
    assert {m.intent for m in first if m.label == "valid"} >= {"compliant", "dpa-expired", "non-commercial-license"}
    assert max(m.sources for m in first) >= 100, "large manifests (hundreds of sources) are part of the mix"
    assert min(m.sources for m in first) == 1
    for sector in ("open_source", "cloud_api", "private"):
        assert any(f"sector: {sector}" in m.text for m in first), sector


def test_manifests_are_valid_or_invalid_as_labelled(tmp_path: Path, cli: Any) -> None:
    generate = _generator()
    written = {path.relative_to(tmp_path).as_posix(): manifest for path, manifest in generate.generate(tmp_path, 150, seed=3)}
    (tmp_path / ".git").mkdir()
    result = cli("check", ".", "--date", "2026-11-27", "--format", "json", "--jobs", "1", cwd=tmp_path)
    assert result.code in (0, 1), result.err
    files = {r["path"]: r for r in result.report["files"]}
    assert set(files) == set(written)
    for path, manifest in written.items():
        rules = {f["rule_id"] for f in files[path]["findings"]}
        stage = next((s for s in STAGES if s in rules), "valid")
        assert stage == manifest.label, f"{path}: labelled {manifest.label}, checker says {stage}: {sorted(rules)}"
    clean = [p for p, m in written.items() if m.intent == "compliant" and m.label == "valid"]
    passed = [p for p in clean if files[p]["status"] == "passed"]
    assert len(passed) >= len(clean) // 2, "most manifests built to comply should pass the built-in rules"


# A stand-in for Go OPA: answers `opa version` and `opa eval` with the shapes OPA prints, so the
# benchmark's OPA rows are exercised without the binary (the real numbers need a real `opa`).
OPA_STUB = """#!{python}
import json, sys
args = sys.argv[1:]
if args[:1] == ["version"]:
    print("Version: 0.0.0-stub")
    sys.exit(0)
if args[:1] != ["eval"] or "--bundle" not in args or not open(args[args.index("--bundle") + 1], "rb").read(2) == b"\\x1f\\x8b":
    sys.exit(2)
document = json.load(open(args[args.index("--input") + 1]))
if isinstance(document, list):
    print(json.dumps({{"result": [{{"expressions": [], "bindings": {{"results": [[{{}}, {{}}] for _ in document]}}}}]}}))
else:
    print(json.dumps({{"result": [{{"expressions": [], "bindings": {{"r": {{}}, "m": {{}}}}}}]}}))
"""


def test_tiny_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    """Every part of the report on a tiny set: targets with met/missed, every streamed format read
    back, and the OPA rows (against a stand-in `opa`: the bundle is built, the inputs converted)."""
    if not (Path(sys.executable).parent / "llm-policy").exists():
        pytest.skip("the llm-policy console script is not installed next to this interpreter (pip install -e .)")
    stub = tmp_path / "bin" / "opa"
    stub.parent.mkdir()
    stub.write_text(OPA_STUB.format(python=sys.executable), encoding="utf-8")
    stub.chmod(0o755)
    out = tmp_path / "results.md"
    env = dict(os.environ, PATH=f"{stub.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    run = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--sizes", "60", "--runs", "2", "--opa-batch", "10", "--out", str(out)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path, env=env,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    text = out.read_text()
    for heading in ("## Cold start", "## Batches", "## Targets (issue 17)", "## Go OPA baseline", "## Where the time goes",
                    "| CPU |", "| Python |", "| commit |"):
        assert heading in text
    assert "`llm-policy check`" in text and "| 60 |" in text
    assert re.search(r"^\| `llm-policy check --pre-commit --` \(the pre-commit hook\) \| \d+ ms \|", text, re.MULTILINE)
    assert "60 manifests checked" in text
    for fmt in ("json", "sarif", "junit"):
        assert f"| 60 | 2 | {fmt} |" in text, fmt
    targets = text.split("## Targets (issue 17)")[1].split("\n## ")[0]
    assert "cold check of one manifest, median <= 75 ms" in targets
    assert "CPU per small manifest (1-4 sources) <= 1.2 ms" in targets
    assert targets.count("streams 50,000 manifests") == 4
    assert all(row.endswith(("| met |", "| missed |", "| not measured |")) for row in targets.splitlines() if row.startswith("| ") and "---" not in row and "target" not in row)
    assert "`opa eval (bundle)`" in text and "looped batch of 10 valid manifests" in text
    # regorus' compiled mode, behind the missed CPU target: its speed, and whether it agrees with the interpreter.
    assert re.search(r"interpreter [\d.]+ ms, RVM [\d.]+ ms \([\d.]+x faster\)", text)
    assert "It is not used: its answers differ on" in text or "Its answers agreed on all" in text
    # Real OPA as a library (the conformance engine): its cold row, and CPU per manifest with both engines agreeing.
    if importlib.util.find_spec("opa_bindings") is not None:
        assert re.search(r"^\| Go OPA in-process \(bindings\) \| \d+ ms \| \d+ ms \| \d+ ms \| [\d.]+x \|$", text, re.MULTILINE)
        assert re.search(r"regorus [\d.]+ ms, Go OPA [\d.]+ ms \(regorus / OPA: [\d.]+x\)", text)
        assert "sets compared sorted: every answer identical" in text
    else:
        assert "| Go OPA in-process (bindings) | skipped: opa-golib-python-bindings not installed |" in text
