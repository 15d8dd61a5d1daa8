"""Benchmark llm-policy: cold start of one check (the pre-commit case) and batches of 1k-50k manifests.

    python benchmarks/run.py            # full run: cold start, 1k, 10k and 50k manifests (~5-10 min)
    python benchmarks/run.py --quick    # under a minute: cold start (fewer runs), 200 and 1,000 manifests

It generates realistic manifests from a seed into a temporary directory (benchmarks/generate.py),
then measures, each as a whole process started the way a user starts it (the virtual environment's
`llm-policy` console script called directly, never through a shell shim):

- cold `llm-policy check` of one valid manifest with all built-in rules: median of repeated runs,
  interleaved with the same file validated by check-jsonschema against
  schemas/llm-sourcing.schema.json (the baseline) and a bare `python -c pass` (the floor);
- `llm-policy check` of 1,000, 10,000 and 50,000 manifests in one invocation (`--jobs`, default all
  cores): wall time, CPU time of the whole process tree, and peak memory (sum of the proportional
  set size of every process of the tree, sampled).

It prints ratios as well as times, and writes a Markdown table with the machine it ran on to
benchmarks/results.md (--out to change). Performance is measured, not asserted: the script
reports the targets of issue 7 and whether this run met them.

Needs check-jsonschema for the baseline (`pip install check-jsonschema`, or the `bench` extra:
`pip install -e '.[bench]'`); without it the baseline and its ratio are reported as missing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import Generator, generate  # noqa: E402

DATE = "2026-11-27"  # fixed evaluation date: expiry rules give the same findings on any day
SCHEMA = REPO / "schemas" / "llm-sourcing.schema.json"
TARGETS = {"cold_ms": 120.0, "cold_ratio": 4.0, "batch_10k_s": 8.0, "linear_factor": 5.0, "peak_mib": 200.0}


# --- the machine and the tools -------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def tool(name: str) -> Optional[Path]:
    """The console script next to this interpreter (the venv's), else on PATH; never a pyenv shim."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return beside
    found = shutil.which(name)
    return Path(found) if found and "shims" not in found else None


def bench_env() -> dict[str, str]:
    """The environment of the measured processes: like a user's shell, with bytecode caching on."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "LLM_POLICY_DEBUG")}
    env.pop("GITHUB_STEP_SUMMARY", None)
    return env


def _subreaper() -> None:
    """Adopt orphaned grandchildren (evaluation workers), so their CPU time is counted when reaped."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def _reap_orphans(deadline: float = 5.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.01)


# --- measuring one process (tree) ----------------------------------------------------------------


def _tree(root: int) -> list[int]:
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    todo += [int(c) for c in handle.read().split()]
        except OSError:
            pass
    return pids


def _memory_kib(pid: int) -> int:
    """Proportional set size: pages shared by forked workers are counted once across the tree."""
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            with open(f"/proc/{pid}/{name}") as handle:
                for line in handle:
                    if line.startswith(key):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and every descendant
    code: int
    peak_tree_mib: float = 0.0
    peak_parent_mib: float = 0.0
    stdout_tail: str = ""


def run_process(argv: list[str], cwd: Path, sample_memory: bool = False, stdout: Any = subprocess.DEVNULL) -> Run:
    before = os.times()
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, env=bench_env(), stdout=stdout, stderr=subprocess.DEVNULL)
    peaks = {"tree": 0, "parent": 0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            pids = _tree(process.pid)
            sizes = [_memory_kib(pid) for pid in pids]
            peaks["tree"] = max(peaks["tree"], sum(sizes))
            peaks["parent"] = max(peaks["parent"], sizes[0] if sizes else 0)
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True) if sample_memory and sys.platform.startswith("linux") else None
    if sampler:
        sampler.start()
    code = process.wait()
    wall = time.perf_counter() - started
    if sampler:
        stop.set()
        sampler.join()
    _reap_orphans(0.5)
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return Run(wall, cpu, code, peaks["tree"] / 1024, peaks["parent"] / 1024)


# --- the benchmarks ------------------------------------------------------------------------------


@dataclass
class Cold:
    name: str
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.walls) * 1000

    @property
    def min_ms(self) -> float:
        return min(self.walls) * 1000

    @property
    def cpu_ms(self) -> float:
        return statistics.median(self.cpus) * 1000


def cold_start(manifest: Path, runs: int) -> dict[str, Cold]:
    """Median wall time of whole processes, interleaved so background load hits all of them alike."""
    llm_policy = tool("llm-policy")
    assert llm_policy is not None, "llm-policy is not installed in this environment: pip install -e ."
    commands: dict[str, list[str]] = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "llm-policy check": [str(llm_policy), "check", "--date", DATE, str(manifest)],
        # The same without the time-limited evaluation worker (--timeout 0): what the fork costs.
        "llm-policy check --timeout 0": [str(llm_policy), "check", "--date", DATE, "--timeout", "0", str(manifest)],
    }
    baseline = tool("check-jsonschema")
    if baseline is not None:
        commands["check-jsonschema"] = [str(baseline), "--schemafile", str(SCHEMA), str(manifest)]
    results = {name: Cold(name) for name in commands}
    for argv in commands.values():  # warm-up: bytecode caches written, files in the page cache
        subprocess.run(argv, cwd=manifest.parent, env=bench_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(runs):
        for name, argv in commands.items():
            run = run_process(argv, manifest.parent)
            expected = 0
            if run.code != expected:
                raise SystemExit(f"{name} exited {run.code} on {manifest}; the cold-start manifest must be clean")
            results[name].walls.append(run.wall)
            results[name].cpus.append(run.cpu)
    return results


@dataclass
class Batch:
    size: int
    jobs: int
    fmt: str
    run: Run
    summary: str
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average before and after: this machine may be shared


def batch(root: Path, size: int, jobs: int, fmt: str = "text") -> Batch:
    llm_policy = tool("llm-policy")
    assert llm_policy is not None
    # Whole group directories (100 manifests each, found by discovery), then single files for the rest.
    generator = Generator(SEED)
    targets = [f"group-{g:03d}" for g in range(size // 100)]
    targets += [generator.manifest(i).relpath for i in range(size // 100 * 100, size)]
    argv = [str(llm_policy), "check", "--date", DATE, "--jobs", str(jobs), "--format", fmt, *targets]
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    with tempfile.TemporaryFile("w+") as out:
        run = run_process(argv, root, sample_memory=True, stdout=out)
        out.seek(0)
        if fmt == "text":
            lines = out.read().splitlines()
            summary = lines[-1] if lines else ""
        else:
            summary = str(json.load(out)["summary"])
    if run.code not in (0, 1):
        raise SystemExit(f"llm-policy exited {run.code} on {size} manifests: {summary}")
    if f"{size} manifests checked" not in summary and fmt == "text":
        raise SystemExit(f"expected {size} manifests checked, got: {summary}")
    return Batch(size, jobs, fmt, run, summary, (load_before, os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0))


def pick_cold_manifest(root: Path) -> Path:
    """A small, compliant, schema-valid manifest: the typical pre-commit case (exit 0 expected)."""
    generator = Generator(SEED)
    llm_policy = tool("llm-policy")
    assert llm_policy is not None
    for index in range(200):
        manifest = generator.manifest(index)
        if manifest.label == "valid" and manifest.intent == "compliant" and 2 <= manifest.sources <= 3:
            path = root / manifest.relpath
            code = subprocess.run([str(llm_policy), "check", "--date", DATE, str(path)], cwd=root, env=bench_env(),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
            if code == 0:
                return path
    raise SystemExit("no clean manifest among the first 200 generated: has the rule pack changed?")


SEED = 7


# --- where the time goes ------------------------------------------------------------------------


def _stdlib_names() -> set[str]:
    return set(getattr(sys, "stdlib_module_names", ()))


def import_profile(manifest: Path, runs: int = 5) -> dict[str, float]:
    """Median milliseconds of import time per group (-X importtime self times) in a cold check."""
    stdlib = _stdlib_names()
    code = f"from llm_policy.cli import main; main(['check', '--date', '{DATE}', {str(manifest)!r}])"
    groups: dict[str, list[float]] = {}
    for _ in range(runs):
        err = subprocess.run([sys.executable, "-X", "importtime", "-c", code], cwd=manifest.parent, env=bench_env(),
                             capture_output=True, text=True).stderr
        totals: dict[str, float] = {}
        for line in err.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            parts = line.split("|")
            name = parts[2].strip()
            top = name.split(".")[0].lstrip("_")
            group = ("llm_policy" if top == "llm_policy" else "PyYAML" if top == "yaml" else "regorus" if top == "regorus"
                     else "standard library" if top in stdlib or name.split(".")[0] in stdlib else "other")
            totals[group] = totals.get(group, 0.0) + int(parts[0].split(":")[1]) / 1000
        for group, ms in totals.items():
            groups.setdefault(group, []).append(ms)
    return {group: statistics.median(values) for group, values in sorted(groups.items(), key=lambda kv: -statistics.median(kv[1]))}


def stage_profile(root: Path, count: int) -> dict[str, dict[str, float]]:
    """CPU milliseconds per manifest and stage, in-process, for small/medium/large manifests."""
    from llm_policy.engines import policy_findings
    from llm_policy.load import LoadError, load_document
    from llm_policy.run.runner import Checker, CheckOptions
    from llm_policy.validate import validate_document

    checker = Checker(CheckOptions(root=root, evaluation_date=DATE, timeout=0))  # in-process, to time regorus alone
    checker.ready()
    generator = Generator(SEED)
    clock = time.process_time
    stats: dict[str, dict[str, float]] = {}
    for index in range(count):
        manifest = generator.manifest(index)
        if manifest.label != "valid":
            continue
        size = "large (100+ sources)" if manifest.sources >= 100 else "medium (5-99)" if manifest.sources >= 5 else "small (1-4)"
        row = stats.setdefault(size, {"n": 0, "load YAML": 0.0, "validate": 0.0, "Rego evaluation": 0.0, "locate findings": 0.0})
        t0 = clock()
        try:
            document = load_document(root / manifest.relpath)
        except LoadError:
            continue
        t1 = clock()
        validate_document(document, manifest.relpath)
        t2 = clock()
        documents = checker.engine.evaluate(document.data)
        t3 = clock()
        policy_findings(checker.policy_set, documents, document, manifest.relpath)
        t4 = clock()
        row["n"] += 1
        for key, spent in (("load YAML", t1 - t0), ("validate", t2 - t1), ("Rego evaluation", t3 - t2), ("locate findings", t4 - t3)):
            row[key] += spent * 1000
    return {size: {k: (v / row["n"] if k != "n" else v) for k, v in row.items()} for size, row in stats.items() if row["n"]}


# --- report --------------------------------------------------------------------------------------


def versions() -> dict[str, str]:
    from importlib import metadata

    out = {}
    for dist in ("llm-policy", "gordon-to-regorus", "PyYAML", "ruamel.yaml", "check-jsonschema"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    try:
        out["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        out["commit"] = "unknown"
    return out


def rule_count() -> int:
    from llm_policy.policy import load_policy_set

    return len([r for r in load_policy_set().rules.values() if r.source and r.source.startswith("builtin:")])


def render(cold: dict[str, Cold], batches: list[Batch], machine: dict[str, str], runs: int, quick: bool,
           imports: dict[str, float], stages: dict[str, dict[str, float]]) -> str:
    check = cold["llm-policy check"]
    baseline = cold.get("check-jsonschema")
    floor = cold["python -c pass"]
    lines = [
        "# llm-policy benchmark results",
        "",
        f"Generated by `python benchmarks/run.py{' --quick' if quick else ''}` on {machine['date']}; "
        "performance is measured here, not asserted by the test suite.",
        "",
        "| machine | |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in machine.items() if k != "date"]
    lines += [
        "",
        f"## Cold start: one valid manifest, all built-in rules (median of {runs} runs, interleaved)",
        "",
        "| command | median wall | min wall | median CPU | vs llm-policy |",
        "|---|---:|---:|---:|---:|",
    ]
    for item in (floor, check, cold.get("llm-policy check --timeout 0"), baseline):
        if item is None:
            continue
        ratio = item.median_ms / check.median_ms
        lines.append(f"| `{item.name}` | {item.median_ms:.0f} ms | {item.min_ms:.0f} ms | {item.cpu_ms:.0f} ms | {ratio:.2f}x |")
    if baseline is None:
        lines.append("| `check-jsonschema` | not installed: `pip install check-jsonschema` | | | |")
    lines += [
        "",
        "## Batches: `llm-policy check --jobs N` over generated manifests (text output, streamed)",
        "",
        "| manifests | jobs | format | wall | per manifest | manifests/s | CPU (tree) | CPU per manifest | peak memory (tree PSS) | peak memory (main process) | load avg before → after |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for b in batches:
        lines.append(
            f"| {b.size:,} | {b.jobs} | {b.fmt} | {b.run.wall:.1f} s | {b.run.wall / b.size * 1000:.2f} ms | {b.size / b.run.wall:,.0f} | "
            f"{b.run.cpu:.1f} s | {b.run.cpu / b.size * 1000:.2f} ms | {b.run.peak_tree_mib:.0f} MiB | {b.run.peak_parent_mib:.0f} MiB | "
            f"{b.load[0]:.1f} → {b.load[1]:.1f} |"
        )
    lines += ["", "## Targets (issue 7)", "", "| target | measured | met |", "|---|---|---|"]
    for target, measured, met in targets(cold, batches):
        lines.append(f"| {target} | {measured} | {'yes' if met else 'no' if met is not None else 'not measured'} |")
    lines += [
        "",
        "## Where the time goes",
        "",
        "Cold start, import time by origin (median of `-X importtime` self times, which overstate a little):",
        "",
        "| imported | ms |",
        "|---|---:|",
    ]
    lines += [f"| {group} | {ms:.0f} |" for group, ms in imports.items()]
    lines += [f"| interpreter start (`python -c pass`) | {cold['python -c pass'].median_ms:.0f} |"]
    lines += [
        "",
        "Per manifest, CPU by stage, in-process (one core, no worker processes), schema-valid manifests:",
        "",
        "| manifests | n | load YAML | validate | Rego evaluation | locate findings | Rego share |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size, row in stages.items():
        total = row["load YAML"] + row["validate"] + row["Rego evaluation"] + row["locate findings"]
        lines.append(
            f"| {size} | {row['n']:.0f} | {row['load YAML']:.2f} ms | {row['validate']:.2f} ms | {row['Rego evaluation']:.2f} ms | "
            f"{row['locate findings']:.2f} ms | {row['Rego evaluation'] / total:.0%} |"
        )
    lines += ["", "Batch summaries (the last line of each run's output):", ""]
    lines += [f"- {b.size:,} ({b.fmt}): `{b.summary}`" for b in batches]
    return "\n".join(lines) + "\n"


def targets(cold: dict[str, Cold], batches: list[Batch]) -> list[tuple[str, str, Optional[bool]]]:
    check = cold["llm-policy check"]
    baseline = cold.get("check-jsonschema")
    text = {b.size: b for b in batches if b.fmt == "text"}
    out: list[tuple[str, str, Optional[bool]]] = [
        (f"cold check median <= {TARGETS['cold_ms']:.0f} ms", f"{check.median_ms:.0f} ms", check.median_ms <= TARGETS["cold_ms"]),
    ]
    if baseline is not None:
        ratio = baseline.median_ms / check.median_ms
        out.append((f">= {TARGETS['cold_ratio']:.0f}x faster than check-jsonschema", f"{ratio:.2f}x", ratio >= TARGETS["cold_ratio"]))
    else:
        out.append((f">= {TARGETS['cold_ratio']:.0f}x faster than check-jsonschema", "check-jsonschema not installed", None))
    if 10000 in text:
        wall = text[10000].run.wall
        out.append((f"10,000 manifests <= {TARGETS['batch_10k_s']:.0f} s", f"{wall:.1f} s", wall <= TARGETS["batch_10k_s"]))
    else:
        out.append((f"10,000 manifests <= {TARGETS['batch_10k_s']:.0f} s", "not run (--quick)", None))
    if 10000 in text and 50000 in text:
        factor = text[50000].run.wall / text[10000].run.wall
        cpu_factor = text[50000].run.cpu / text[10000].run.cpu
        out.append((f"50,000 in <= {TARGETS['linear_factor']:.0f}x the 10,000 time",
                    f"{factor:.2f}x wall ({cpu_factor:.2f}x CPU)", factor <= TARGETS["linear_factor"]))
        peak = text[50000].run.peak_tree_mib
        out.append((f"peak memory for 50,000 <= {TARGETS['peak_mib']:.0f} MiB", f"{peak:.0f} MiB (all processes)", peak <= TARGETS["peak_mib"]))
    else:
        out.append(("50,000 linear, <= 200 MiB", "not run (--quick)", None))
    return out


def main(argv: Optional[list[str]] = None) -> int:
    global SEED
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="under a minute: fewer cold runs, 200 and 1,000 manifests")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], help="batch sizes (default: 1000,10000,50000)")
    parser.add_argument("--runs", type=int, help="cold-start runs per command (default: 21; --quick: 7)")
    parser.add_argument("--jobs", type=int, default=usable_cores(), help="--jobs for the batches (default: all cores)")
    parser.add_argument("--json-size", type=int, default=None, help="also time --format json at this size (default: 10000 in a full run)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=HERE / "results.md", help="Markdown results (default: benchmarks/results.md)")
    parser.add_argument("--workdir", type=Path, help="generate into this directory instead of a temporary one (kept)")
    args = parser.parse_args(argv)
    SEED = args.seed
    sizes = args.sizes or ([200, 1000] if args.quick else [1000, 10000, 50000])
    runs = args.runs or (7 if args.quick else 21)
    json_size = args.json_size if args.json_size is not None else (0 if args.quick or 10000 not in sizes else 10000)
    if tool("llm-policy") is None:
        print("llm-policy is not installed next to this interpreter: pip install -e .", file=sys.stderr)
        return 2
    if tool("check-jsonschema") is None:
        print("note: check-jsonschema is not installed (pip install check-jsonschema): no baseline", file=sys.stderr)
    _subreaper()
    machine = {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "CPU": cpu_model(),
        "cores (usable)": str(usable_cores()),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        **{name: version for name, version in versions().items()},
        "built-in Rego rules": str(rule_count()),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a",
    }
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="llm-policy-bench-"))
    try:
        largest = max(sizes)
        started = time.perf_counter()
        labels: dict[str, int] = {}
        for _, manifest in generate(workdir, largest, args.seed):
            labels[manifest.label] = labels.get(manifest.label, 0) + 1
        print(f"generated {largest:,} manifests in {time.perf_counter() - started:.1f} s under {workdir}: "
              + ", ".join(f"{k} {v}" for k, v in sorted(labels.items())), flush=True)
        manifest = pick_cold_manifest(workdir)
        print(f"cold start on {manifest.relative_to(workdir)} ({runs} runs each) ...", flush=True)
        cold = cold_start(manifest, runs)
        for item in cold.values():
            print(f"  {item.name:20s} median {item.median_ms:7.1f} ms  min {item.min_ms:7.1f} ms  cpu {item.cpu_ms:7.1f} ms", flush=True)
        batches = []
        for size in sorted(sizes):
            print(f"batch of {size:,} manifests, --jobs {args.jobs} ...", flush=True)
            batches.append(batch(workdir, size, args.jobs))
            b = batches[-1]
            print(f"  {b.run.wall:.1f} s wall, {b.run.cpu:.1f} s CPU, peak {b.run.peak_tree_mib:.0f} MiB (tree), {b.run.peak_parent_mib:.0f} MiB (main): {b.summary}", flush=True)
        if json_size:
            print(f"batch of {json_size:,} manifests, --format json ...", flush=True)
            batches.append(batch(workdir, json_size, args.jobs, "json"))
            b = batches[-1]
            print(f"  {b.run.wall:.1f} s wall, peak {b.run.peak_tree_mib:.0f} MiB (tree)", flush=True)
        print("profiling: imports of a cold check, stages per manifest ...", flush=True)
        imports = import_profile(manifest, 3 if args.quick else 7)
        stages = stage_profile(workdir, min(largest, 300 if args.quick else 3000))
        machine["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
        text = render(cold, batches, machine, runs, args.quick, imports, stages)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print()
        print(text)
        print(f"wrote {args.out}")
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
