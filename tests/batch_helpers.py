"""What the batch and streaming tests share: generated monorepos, the CLI run, a waivers file.

Both build a repository of generated manifests (benchmarks/generate.py) and compare outputs of
`llm-policy check` run as a user runs it; the waivers file gives them an active, an expired and an
unused waiver, so that per-file waiver handling is part of every comparison.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from conftest import REPO

DATE = "2026-11-27"


def generator() -> Any:
    """benchmarks/generate.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    if spec.name in sys.modules:
        return sys.modules[spec.name]
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def run_check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`llm-policy check --date DATE --no-color ARGS` in `root`, outside any GitHub Actions context."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.run(
        [sys.executable, "-m", "llm_policy", "check", "--date", DATE, "--no-color", *args],
        cwd=root, capture_output=True, text=True, env=env, timeout=600,
    )


def write_waivers(root: Path, *args: str) -> None:
    """llm-policy-waivers.yaml with an active and an expired waiver of license findings, and a
    probably unused one, for manifests the JSON report of `root` (checked with `args`, as the test
    will check it) shows with license findings."""
    report = json.loads(run_check(root, "--format", "json", *args).stdout)
    with_findings = [r for r in report["files"] if any(f["rule_id"].startswith("LP2") for f in r["findings"])]
    assert len(with_findings) >= 3, "the generated set should have license findings to waive"
    entries = []
    for result, expires in zip(with_findings[:2], ("2027-06-30", "2026-01-01")):  # active, then expired
        rule = next(f["rule_id"] for f in result["findings"] if f["rule_id"].startswith("LP2"))
        entries.append((rule, result["path"], expires))
    entries.append(("LP101", with_findings[2]["path"], "2027-06-30"))  # probably unused there
    text = "waivers:\n" + "".join(
        f"  - rule: {rule}\n    manifest: {path}\n    justification: accepted for the pilot\n"
        f"    approved_by: RISK-1\n    expires: {expires}\n"
        for rule, path, expires in entries
    )
    (root / "llm-policy-waivers.yaml").write_text(text, encoding="utf-8")
