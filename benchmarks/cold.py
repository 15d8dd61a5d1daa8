"""Cold start of `llm-policy check` on one manifest: interleaved medians, import and stage profiles.

A standalone measuring aid for the cold path (issue 17); `benchmarks/run.py` produces the results
table. Run from the repository root with the venv active:

    python benchmarks/cold.py [--runs 31] [MANIFEST]          # medians of whole processes
    python benchmarks/cold.py --imports [MANIFEST]            # -X importtime, heaviest modules
    python benchmarks/cold.py --stages [MANIFEST]             # milliseconds per stage, in-process

The manifest is copied into a fresh temporary directory, the working directory of every run (as
in `benchmarks/run.py`): no configuration file or git checkout above it. Processes are started directly from the venv's bin directory (never through a pyenv shim), with
bytecode caching on, after one warm-up run each, and interleaved so background load hits every
command alike. On a shared machine, compare only numbers taken in the same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CWD = ROOT  # set by main(): a temporary directory holding the manifest
BIN = Path(sys.executable).parent
DEFAULT = ROOT / "examples/valid/cloud-api/llm-sourcing.yaml"
SCHEMA = ROOT / "schemas/llm-sourcing.schema.json"


def env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "LLM_POLICY_DEBUG", "GITHUB_STEP_SUMMARY")}


def commands(manifest: Path, extra: list[str]) -> dict[str, list[str]]:
    found = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "llm-policy check": [str(BIN / "llm-policy"), "check", "--", str(manifest)],
    }
    for spec in extra:  # NAME=ARGV... : another command, e.g. the same check from another worktree
        name, _, argv = spec.partition("=")
        found[name] = [*argv.split(), str(manifest)]
    if (BIN / "check-jsonschema").exists():
        found["check-jsonschema"] = [str(BIN / "check-jsonschema"), "--schemafile", str(SCHEMA), str(manifest)]
    return found


def timed(argv: list[str]) -> tuple[float, float, int]:
    before = os.times()
    started = time.perf_counter()
    code = subprocess.run(argv, cwd=CWD, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    wall = time.perf_counter() - started
    after = os.times()
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system), code


def cold(manifest: Path, runs: int, extra: list[str]) -> None:
    table = commands(manifest, extra)
    for argv in table.values():
        timed(argv)
    walls: dict[str, list[float]] = {name: [] for name in table}
    cpus: dict[str, list[float]] = {name: [] for name in table}
    for _ in range(runs):
        for name, argv in table.items():
            wall, cpu, code = timed(argv)
            if code != 0:
                raise SystemExit(f"{name} exited {code}")
            walls[name].append(wall * 1000)
            cpus[name].append(cpu * 1000)
    check = statistics.median(walls["llm-policy check"])
    print(f"load average {os.getloadavg()[0]:.2f}; {runs} interleaved runs of {manifest.name} in {CWD}")
    print(f"| command | median wall | min wall | median CPU | vs llm-policy check |\n|---|---:|---:|---:|---:|")
    for name in table:
        median = statistics.median(walls[name])
        print(f"| {name} | {median:.1f} ms | {min(walls[name]):.1f} ms | {statistics.median(cpus[name]):.1f} ms | {median / check:.2f}x |")


def imports(manifest: Path, top: int = 30) -> None:
    argv = [sys.executable, "-X", "importtime", str(BIN / "llm-policy"), "check", "--", str(manifest)]
    subprocess.run(argv, cwd=CWD, env=env(), capture_output=True)
    err = subprocess.run(argv, cwd=CWD, env=env(), capture_output=True, text=True).stderr
    rows = []
    for line in err.splitlines():
        if line.startswith("import time:") and "self [us]" not in line:
            parts = line.split("|")
            rows.append((int(parts[0].split(":")[1]), int(parts[1]), parts[2].rstrip()))
    print(f"{len(rows)} modules imported, self total {sum(r[0] for r in rows) / 1000:.1f} ms")
    for self_us, cumulative, name in sorted(rows, reverse=True)[:top]:
        print(f"{self_us / 1000:7.2f} ms self {cumulative / 1000:7.2f} ms cumulative {name}")


STAGES = r'''
import sys, time
T0 = time.perf_counter()
t0 = T0
marks = []
def mark(name):
    global t0
    now = time.perf_counter(); marks.append((name, (now - t0) * 1000)); t0 = now
from llm_policy.cli import main  # noqa: F401
from llm_policy.commands import check, common  # noqa: F401
from llm_policy.run.runner import Checker, CheckOptions  # noqa: F401
from llm_policy.engines.deadline import with_deadline  # noqa: F401
from llm_policy.engines.regorus_engine import RegorusEngine, _add_data
import regorus, json
mark("imports before the compile worker starts (cli, check, runner, policy, engines, regorus)")
from llm_policy.policy import load_policy_set
from llm_policy.policy import metadata
from pathlib import Path
box = {}
ps = load_policy_set(context={"today": "2026-12-01"}, before_metadata=lambda s: (box.setdefault("t", time.perf_counter())))
split = box["t"]
marks.append(("read policies and data (before METADATA)", (split - t0) * 1000))
marks.append(("METADATA (table) and rule scope", (time.perf_counter() - split) * 1000)); t0 = time.perf_counter()
e = regorus.Engine()
for m in ps.modules:
    e.add_policy(m.path, m.text)
mark("regorus add_policy x%d" % len(ps.modules))
_add_data(e, ps)
mark("regorus add_data (tables as read)")
e.set_input_json("{}"); e.eval_query_as_json("data.llm_policy.rules")
mark("prepare: evaluate data.llm_policy.rules on {} (first evaluation)")
from llm_policy.validate import validate_file
from llm_policy.engines import policy_findings
mark("imports after the fork (validate, yaml loader, results)")
path = Path(sys.argv[1])
document, findings = validate_file(path, str(path), 1 << 20)
mark("load (libyaml, PyYAML import) + validate manifest")
engine = RegorusEngine(); engine._engine = e; engine._roots = ["llm_policy.rules"]
documents = engine.evaluate(document.data)
mark("evaluate the manifest")
fs = policy_findings(ps, documents, document, str(path), None)
from llm_policy.output.text import summary_line  # noqa: F401
mark("policy_findings (%d) + text output import" % len(fs))
for name, ms in marks:
    print(f"{ms:8.2f} ms  {name}")
print(f"{(time.perf_counter() - T0) * 1000:8.2f} ms  total in-process (one core, no worker)")
'''


def stages(manifest: Path, runs: int = 7) -> None:
    """Per stage, the minimum over `runs` fresh processes (the least disturbed by other load)."""
    best: dict[str, float] = {}
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", STAGES, str(manifest)], cwd=CWD, env=env(), check=True,
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            ms, _, name = line.strip().partition(" ms  ")
            best[name] = min(best.get(name, float("inf")), float(ms))
    print(f"minimum of {runs} runs per stage, load average {os.getloadavg()[0]:.2f}")
    for name, ms in best.items():
        print(f"| {name} | {ms:.1f} ms |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifest", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--imports", action="store_true")
    parser.add_argument("--stages", action="store_true")
    parser.add_argument("--also", action="append", default=[], metavar="NAME=ARGV", help="another command to interleave")
    args = parser.parse_args()
    global CWD
    work = Path(tempfile.mkdtemp(prefix="llm-policy-cold-"))
    manifest = work / args.manifest.name
    shutil.copyfile(args.manifest, manifest)
    CWD = work
    if args.imports:
        imports(manifest)
    elif args.stages:
        stages(manifest)
    else:
        cold(manifest, args.runs, args.also)
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
