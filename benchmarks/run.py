"""Benchmark llm-policy against issue 17's targets: cold start, batches of 1k-50k manifests, every
streamed format at 50k, and a real (Go) OPA baseline: in-process always, the `opa` binary when on PATH.

    python benchmarks/run.py            # full run: what benchmarks/results.md holds (~30-60 min on 2 cores)
    python benchmarks/run.py --quick    # a few minutes: fewer cold runs, 200 and 1,000 manifests

It generates realistic manifests from a seed into a temporary directory (benchmarks/generate.py),
then measures, each as a whole process started the way a user starts it (the virtual environment's
`llm-policy` console script called directly, never through a shell shim):

- cold `llm-policy check` of one valid manifest with all built-in rules: median of repeated runs,
  interleaved with the same file validated by check-jsonschema against
  schemas/llm-sourcing.schema.json (the baseline), a bare `python -c pass` (the floor) and, when
  `opa` is on PATH, `opa eval` of the same manifest against the pack built as a bundle
  (`llm-policy bundle build`);
- `llm-policy check --jobs 2` of 1,000, 10,000 and 50,000 manifests in one invocation: wall time,
  CPU time of the whole process tree, and peak memory (sum of the proportional set size of every
  process of the tree, sampled);
- every streamed format (text, json, sarif, junit) over 50,000 manifests, each document checked
  for completeness (manifest count, well-formed) before its numbers count;
- with `opa`: one `opa eval` process looping over the same valid manifests as one `llm-policy
  check --jobs 1` (Go OPA's per-evaluation cost against ours, start-up included on both sides);
- with opa-golib-python-bindings (real OPA compiled as a library; the test extra's conformance
  engine): a cold process evaluating the exported pack with OPA beside the cold check, and CPU per
  manifest of OPA against regorus on the same manifests (benchmarks/go_opa.py), answers compared.

It prints ratios as well as times, and writes a Markdown table with the machine and commit it ran
on to benchmarks/results.md (--out to change): every target of issue 17 with the measured value and
met/missed, the import profile of a cold check, the CPU profile per stage, and the profile behind
each missed target. Performance is measured, not asserted by the test suite.

Needs check-jsonschema for the baseline (`pip install check-jsonschema`, or the `bench` extra:
`pip install -e '.[bench]'`); without it the baseline and its ratio are reported as missing. The
`opa eval` rows need an `opa` binary (1.x) on PATH, the in-process rows the bindings
(`pip install --ignore-requires-python opa-golib-python-bindings==0.4.4`); without them they say so.
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

import go_opa  # noqa: E402
from generate import Generator, generate  # noqa: E402

DATE = "2026-11-27"  # fixed evaluation date: expiry rules give the same findings on any day
SCHEMA = REPO / "schemas" / "llm-sourcing.schema.json"
# Issue 17's targets. The batch targets are for `--jobs 2` on a 2-core machine.
TARGETS = {"cold_ms": 75.0, "cold_ratio": 5.0, "batch_10k_s": 6.0, "linear_factor": 5.0, "cpu_ms": 1.2, "peak_mib": 150.0}
TARGET_JOBS = 2
STREAM_SIZE = 50000
STREAM_FORMATS = ("text", "json", "sarif", "junit")
OPA_BATCH = 1000  # valid manifests in the looped OPA batch (full run)


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


def opa_tool() -> Optional[Path]:
    """A real `opa` binary on PATH (the Go implementation), or None."""
    found = shutil.which("opa")
    return Path(found) if found else None


def opa_query(document: str = "") -> str:
    """`opa eval` query for every package root of the pack, at the benchmark's evaluation date.

    The date comes in with `with`, as the embedded engine puts it under data.llm_policy.context.
    """
    context = f'with data.llm_policy.context.today as "{DATE}"'
    if not document:
        return f"r := data.llm_policy.rules {context}; m := data.main {context}"
    return (f"results := [[r, m] | some doc in input; r := data.llm_policy.rules with input as doc {context}; "
            f"m := data.main with input as doc {context}]")


@dataclass
class Opa:
    """The Go OPA baseline: the bundle, the cold command and the looped batch's result."""

    binary: Path
    version: str
    bundle: Path
    cold_argv: list[str]
    batch: Optional["Batch"] = None
    batch_llm: Optional["Batch"] = None
    error: str = ""


def prepare_opa(workdir: Path, manifest: Path) -> Optional[Opa]:
    """Build the pack as a bundle and the cold `opa eval` command; None when opa is not on PATH."""
    binary = opa_tool()
    if binary is None:
        return None
    import yaml

    llm_policy = tool("llm-policy")
    assert llm_policy is not None
    bundle = workdir / "opa" / "llm-policy-bundle.tar.gz"
    bundle.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(llm_policy), "bundle", "build", "-o", str(bundle)], cwd=workdir, env=bench_env(), check=True,
                   stdout=subprocess.DEVNULL)
    version = subprocess.run([str(binary), "version"], capture_output=True, text=True).stdout.splitlines()
    # opa eval reads JSON input; the YAML is converted once, outside the timing (llm-policy reads the YAML).
    document = workdir / "opa" / "manifest.json"
    document.write_text(json.dumps(yaml.safe_load(manifest.read_text(encoding="utf-8")), default=str), encoding="utf-8")
    argv = [str(binary), "eval", "--bundle", str(bundle), "--input", str(document), "--format", "json", opa_query()]
    check = subprocess.run(argv, capture_output=True, text=True)
    opa = Opa(binary, version[0] if version else "unknown", bundle, argv)
    if check.returncode != 0:
        opa.error = f"opa eval exited {check.returncode}: {check.stderr.strip()[:300]}"
    return opa


GO_OPA_COLD = "Go OPA in-process (bindings)"
HOOK = "llm-policy check --pre-commit -- (the hook)"


def prepare_go_opa(workdir: Path, manifest: Path) -> Optional[list[str]]:
    """The cold in-process OPA command (pack exported, manifest as JSON); None without the bindings."""
    if go_opa.version() is None:
        return None
    import yaml

    pack = go_opa.export_pack(workdir / "go-opa", DATE)
    document = pack / "manifest.json"
    document.write_text(json.dumps(yaml.safe_load(manifest.read_text(encoding="utf-8")), default=str), encoding="utf-8")
    return go_opa.cold_argv(pack, document)


def measured_in_subprocess(script: str, *args: str) -> dict[str, Any]:
    """A measuring script's `--json` answer, run in its own process (the Go runtime, regorus' VM
    and their memory stay out of this one). Exit 1 says only that two engines' answers differ,
    which the answer itself holds; anything else unreadable is an error the report shows."""
    run = subprocess.run([sys.executable, str(HERE / script), "--json", *args], capture_output=True, text=True, env=bench_env())
    try:
        if run.returncode in (0, 1):
            return dict(json.loads(run.stdout))
    except ValueError:
        pass
    return {"error": f"{script} exited {run.returncode}: {run.stderr.strip()[-300:]}"}


def cold_start(manifest: Path, runs: int, opa: Optional[Opa] = None, go_opa_argv: Optional[list[str]] = None) -> dict[str, Cold]:
    """Median wall time of whole processes, interleaved so background load hits all of them alike."""
    llm_policy = tool("llm-policy")
    assert llm_policy is not None, "llm-policy is not installed in this environment: pip install -e ."
    commands: dict[str, list[str]] = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "llm-policy check": [str(llm_policy), "check", "--date", DATE, str(manifest)],
        # The same without the time-limited evaluation worker (--timeout 0): what the fork costs.
        "llm-policy check --timeout 0": [str(llm_policy), "check", "--date", DATE, "--timeout", "0", str(manifest)],
        # The pre-commit hook's own command line (.pre-commit-hooks.yaml), as pre-commit runs it on
        # every commit: no --date, so today's (the valid manifests' agreements run to 2028-2030).
        HOOK: [str(llm_policy), "check", "--pre-commit", "--", str(manifest)],
    }
    baseline = tool("check-jsonschema")
    if baseline is not None:
        commands["check-jsonschema"] = [str(baseline), "--schemafile", str(SCHEMA), str(manifest)]
    if opa is not None and not opa.error:
        commands["opa eval (bundle)"] = opa.cold_argv
    if go_opa_argv is not None:
        commands[GO_OPA_COLD] = go_opa_argv
    results = {name: Cold(name) for name in commands}
    for argv in commands.values():  # warm-up: bytecode caches written, files in the page cache
        subprocess.run(argv, cwd=manifest.parent, env=bench_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(runs):
        for name, argv in commands.items():
            run = run_process(argv, manifest.parent)
            if run.code != 0:
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
    label: str = ""  # what ran, when not `llm-policy check`


def _loadavg() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0


def _document_summary(out: Any, fmt: str, size: int) -> str:
    """The run's totals read back from its document, which must be complete: a streamed format that
    lost manifests or its trailer must not produce a number."""
    out.seek(0)
    if fmt == "text":
        lines = out.read().splitlines()
        summary = lines[-1] if lines else ""
        if f"{size} manifests checked" not in summary:
            raise SystemExit(f"expected {size} manifests checked, got: {summary}")
        return summary
    if fmt == "json":
        summary = json.load(out)["summary"]
        if summary["files"] != size:
            raise SystemExit(f"the JSON report has {summary['files']} manifests, expected {size}")
        return str(summary)
    if fmt == "sarif":
        run = json.load(out)["runs"][0]
        if not run["invocations"][0]["executionSuccessful"]:
            raise SystemExit("the SARIF log reports tool errors")
        return f"{len(run['results'])} results, {len(run['tool']['driver']['rules'])} rules"
    if fmt == "junit":
        header, suites = "", 0
        for line in out:
            if line.startswith("<testsuites"):
                header = line.strip()
            elif line.startswith("  <testsuite "):
                suites += 1
        if suites != size or not header:
            raise SystemExit(f"the JUnit report has {suites} manifest suites, expected {size}")
        return header
    raise ValueError(fmt)


def targets_for(size: int) -> list[str]:
    """Whole group directories (100 manifests each, found by discovery), then single files for the rest."""
    generator = Generator(SEED)
    names = [f"group-{g:03d}" for g in range(size // 100)]
    return names + [generator.manifest(i).relpath for i in range(size // 100 * 100, size)]


def batch(root: Path, size: int, jobs: int, fmt: str = "text") -> Batch:
    llm_policy = tool("llm-policy")
    assert llm_policy is not None
    argv = [str(llm_policy), "check", "--date", DATE, "--jobs", str(jobs), "--format", fmt, *targets_for(size)]
    load_before = _loadavg()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        run = run_process(argv, root, sample_memory=True, stdout=out)
        if run.code not in (0, 1):
            raise SystemExit(f"llm-policy exited {run.code} on {size} manifests ({fmt})")
        summary = _document_summary(out, fmt, size)
    return Batch(size, jobs, fmt, run, summary, (load_before, _loadavg()))


def opa_batch(root: Path, opa: Opa, count: int, generated: int) -> None:
    """One `opa eval` looping over `count` valid manifests (of the `generated` ones) against
    `llm-policy check --jobs 1` of the same files."""
    import yaml

    generator = Generator(SEED)
    chosen: list[str] = []
    for index in range(generated):
        manifest = generator.manifest(index)
        if manifest.label == "valid":
            chosen.append(manifest.relpath)
        if len(chosen) == count:
            break
    inputs = root / "opa" / "batch.json"
    inputs.write_text(json.dumps([yaml.safe_load((root / rel).read_text(encoding="utf-8")) for rel in chosen], default=str),
                      encoding="utf-8")
    argv = [str(opa.binary), "eval", "--bundle", str(opa.bundle), "--input", str(inputs), "--format", "json", opa_query("batch")]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        run = run_process(argv, root, sample_memory=True, stdout=out)
        out.seek(0)
        try:
            evaluated = len(json.load(out)["result"][0]["bindings"]["results"])
        except (ValueError, KeyError, IndexError, TypeError):
            evaluated = -1
    if run.code != 0 or evaluated != len(chosen):
        opa.error = f"the looped opa eval exited {run.code} and evaluated {evaluated} of {len(chosen)} manifests"
        return
    opa.batch = Batch(len(chosen), 1, "json", run, f"{evaluated} manifests evaluated", label=f"opa eval ({opa.version})")
    llm_policy = tool("llm-policy")
    assert llm_policy is not None
    own = run_process([str(llm_policy), "check", "--date", DATE, "--jobs", "1", *chosen], root, sample_memory=True)
    if own.code not in (0, 1):
        raise SystemExit(f"llm-policy exited {own.code} on the OPA batch's manifests")
    opa.batch_llm = Batch(len(chosen), 1, "text", own, "", label="llm-policy check --jobs 1")


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


@dataclass
class Imports:
    groups: dict[str, float]  # origin -> median ms
    modules: list[tuple[str, float]]  # the slowest modules by self time (median ms)


def import_profile(manifest: Path, runs: int = 5) -> Imports:
    """Median milliseconds of import time per origin and per module (-X importtime self times) in a cold check."""
    stdlib = _stdlib_names()
    code = f"from llm_policy.cli import main; main(['check', '--date', '{DATE}', {str(manifest)!r}])"
    groups: dict[str, list[float]] = {}
    modules: dict[str, list[float]] = {}
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
            ms = int(parts[0].split(":")[1]) / 1000
            totals[group] = totals.get(group, 0.0) + ms
            modules.setdefault(name, []).append(ms)
        for group, ms in totals.items():
            groups.setdefault(group, []).append(ms)
    by_group = {g: statistics.median(v) for g, v in sorted(groups.items(), key=lambda kv: -statistics.median(kv[1]))}
    slowest = sorted(((name, statistics.median(v)) for name, v in modules.items()), key=lambda kv: -kv[1])[:12]
    return Imports(by_group, slowest)


def _small_checker(root: Path) -> Any:
    from llm_policy.run.runner import Checker, CheckOptions

    checker = Checker(CheckOptions(root=root, evaluation_date=DATE, timeout=0))  # in-process, to time regorus alone
    checker.ready()
    return checker


def _size_class(sources: int) -> str:
    return "large (100+ sources)" if sources >= 100 else "medium (5-99)" if sources >= 5 else "small (1-4)"


def stage_profile(root: Path, count: int) -> dict[str, dict[str, float]]:
    """CPU milliseconds per manifest and stage, in-process, for small/medium/large manifests."""
    from llm_policy.engines import policy_findings
    from llm_policy.load import LoadError, load_document
    from llm_policy.validate import validate_document

    checker = _small_checker(root)
    generator = Generator(SEED)
    clock = time.process_time
    stats: dict[str, dict[str, float]] = {}
    for index in range(count):
        manifest = generator.manifest(index)
        if manifest.label != "valid":
            continue
        row = stats.setdefault(_size_class(manifest.sources), {"n": 0, "load YAML": 0.0, "validate": 0.0, "Rego evaluation": 0.0, "locate findings": 0.0})
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


def stage_total(row: dict[str, float]) -> float:
    return row["load YAML"] + row["validate"] + row["Rego evaluation"] + row["locate findings"]


def cpu_profile(root: Path, count: int, top: int = 15) -> list[tuple[str, int, float, float]]:
    """cProfile of `Checker.check_file` over the small manifests among the first `count`:
    (function, calls, own ms per manifest, cumulative ms per manifest), the heaviest by own time."""
    import cProfile
    import pstats

    checker = _small_checker(root)
    generator = Generator(SEED)
    paths = [root / m.relpath for m in (generator.manifest(i) for i in range(count)) if m.label == "valid" and m.sources < 5]
    if not paths:
        return []
    profiler = cProfile.Profile()
    profiler.enable()
    for path in paths:
        checker.check_file(path)
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = []
    for (file, line, name), (_, calls, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{Path(file).name}:{line} {name}" if line else name
        rows.append((where, calls, own * 1000 / len(paths), cumulative * 1000 / len(paths)))
    return sorted(rows, key=lambda r: -r[2])[:top]


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
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO, capture_output=True, text=True).stdout.strip()
        if dirty:
            out["commit"] += " (with uncommitted changes)"
    except (OSError, subprocess.CalledProcessError):
        out["commit"] = "unknown"
    return out


def rule_count() -> int:
    from llm_policy.policy import load_policy_set

    return len([r for r in load_policy_set().rules.values() if r.source and r.source.startswith("builtin:")])


@dataclass
class Results:
    """Everything one run measured."""

    machine: dict[str, str]
    runs: int
    quick: bool
    cold: dict[str, Cold]
    batches: list[Batch]
    streams: list[Batch]
    imports: Imports
    stages: dict[str, dict[str, float]]
    opa: Optional[Opa] = None
    cpu: list[tuple[str, int, float, float]] = field(default_factory=list)
    rego: dict[str, Any] = field(default_factory=dict)  # benchmarks/rego_profile.py's measures
    go_opa: dict[str, Any] = field(default_factory=dict)  # benchmarks/go_opa.py's measures ({} without the bindings)
    rvm: dict[str, Any] = field(default_factory=dict)  # benchmarks/rvm_probe.py's answer (with a missed CPU target)


Target = tuple[str, str, Optional[bool], str]  # target, measured, met (None: not measured), profile behind a miss


def targets(r: Results) -> list[Target]:
    """Issue 17's targets: (what, measured, met, which profile explains a miss)."""
    check = r.cold["llm-policy check"]
    baseline = r.cold.get("check-jsonschema")
    text = {b.size: b for b in r.batches if b.fmt == "text" and b.jobs == TARGET_JOBS}
    out: list[Target] = [
        (f"cold check of one manifest, median <= {TARGETS['cold_ms']:.0f} ms", f"{check.median_ms:.0f} ms",
         check.median_ms <= TARGETS["cold_ms"], "imports"),
    ]
    what = f"cold check >= {TARGETS['cold_ratio']:.0f}x faster than check-jsonschema"
    if baseline is not None:
        ratio = baseline.median_ms / check.median_ms
        out.append((what, f"{ratio:.2f}x ({baseline.median_ms:.0f} ms)", ratio >= TARGETS["cold_ratio"], "imports"))
    else:
        out.append((what, "check-jsonschema not installed", None, ""))
    what = f"10,000 manifests <= {TARGETS['batch_10k_s']:.0f} s with --jobs {TARGET_JOBS}"
    if 10000 in text:
        wall = text[10000].run.wall
        out.append((what, f"{wall:.1f} s", wall <= TARGETS["batch_10k_s"], "stages"))
    else:
        out.append((what, "not run" + (" (--quick)" if r.quick else ""), None, ""))
    what = f"50,000 manifests <= {TARGETS['linear_factor']:.0f}x the 10,000 time"
    if 10000 in text and 50000 in text:
        factor = text[50000].run.wall / text[10000].run.wall
        cpu_factor = text[50000].run.cpu / text[10000].run.cpu
        out.append((what, f"{factor:.2f}x wall ({cpu_factor:.2f}x CPU)", factor <= TARGETS["linear_factor"], "stages"))
    else:
        out.append((what, "not run" + (" (--quick)" if r.quick else ""), None, ""))
    small = r.stages.get("small (1-4)")
    what = f"CPU per small manifest (1-4 sources) <= {TARGETS['cpu_ms']} ms"
    if small:
        per = stage_total(small)
        largest = max((b for b in r.batches if b.fmt == "text"), key=lambda b: b.size, default=None)
        tree = f"; whole mix, tree CPU: {largest.run.cpu / largest.size * 1000:.2f} ms at {largest.size:,}" if largest else ""
        out.append((what, f"{per:.2f} ms in-process (n={small['n']:.0f}){tree}", per <= TARGETS["cpu_ms"], "cpu"))
    else:
        out.append((what, "no small manifest profiled", None, ""))
    for fmt in STREAM_FORMATS:
        what = f"--format {fmt} streams {STREAM_SIZE:,} manifests, peak tree PSS <= {TARGETS['peak_mib']:.0f} MiB"
        run = next((b for b in r.streams if b.fmt == fmt), None)
        if run is None:
            out.append((what, "not run", None, ""))
        elif run.size != STREAM_SIZE:
            out.append((what, f"{run.run.peak_tree_mib:.0f} MiB at {run.size:,} manifests only", None, ""))
        else:
            out.append((what, f"{run.run.peak_tree_mib:.0f} MiB (main process {run.run.peak_parent_mib:.0f} MiB)",
                        run.run.peak_tree_mib <= TARGETS["peak_mib"], "memory"))
    return out


def _met(met: Optional[bool]) -> str:
    return "met" if met else "missed" if met is not None else "not measured"


def render(r: Results) -> str:
    check = r.cold["llm-policy check"]
    lines = [
        "# llm-policy benchmark results",
        "",
        f"Generated by `python benchmarks/run.py{' --quick' if r.quick else ''}` on {r.machine['date']}; "
        "performance is measured here, not asserted by the test suite. The load averages say how busy the machine was.",
        "",
        "| machine | |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in r.machine.items() if k != "date"]
    table = targets(r)
    lines += ["", "## Targets (issue 17)", "", "| target | measured | result |", "|---|---|---|"]
    lines += [f"| {what} | {measured} | {_met(met)} |" for what, measured, met, _ in table]
    lines += [
        "",
        f"## Cold start: one valid manifest, all built-in rules (median of {r.runs} runs, interleaved)",
        "",
        "| command | median wall | min wall | median CPU | vs llm-policy |",
        "|---|---:|---:|---:|---:|",
    ]
    order = ("python -c pass", "llm-policy check", "llm-policy check --timeout 0", HOOK, "check-jsonschema", "opa eval (bundle)", GO_OPA_COLD)
    for name in order:
        item = r.cold.get(name)
        if item is None:
            continue
        ratio = item.median_ms / check.median_ms
        label = {GO_OPA_COLD: GO_OPA_COLD, HOOK: "`llm-policy check --pre-commit --` (the pre-commit hook)"}.get(item.name, f"`{item.name}`")
        lines.append(f"| {label} | {item.median_ms:.0f} ms | {item.min_ms:.0f} ms | {item.cpu_ms:.0f} ms | {ratio:.2f}x |")
    if "check-jsonschema" not in r.cold:
        lines.append("| `check-jsonschema` | not installed: `pip install check-jsonschema` | | | |")
    if "opa eval (bundle)" not in r.cold:
        lines.append(f"| `opa eval` (Go OPA) | {_opa_note(r.opa)} | | | |")
    if GO_OPA_COLD not in r.cold:
        lines.append(f"| {GO_OPA_COLD} | skipped: opa-golib-python-bindings not installed | | | |")
    lines += [
        "",
        "## Batches: `llm-policy check --jobs N` over generated manifests",
        "",
        "| manifests | jobs | format | wall | per manifest | manifests/s | CPU (tree) | CPU per manifest | peak memory (tree PSS) | peak memory (main process) | load avg before → after |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for b in _all_batches(r):
        lines.append(
            f"| {b.size:,} | {b.jobs} | {b.fmt} | {b.run.wall:.1f} s | {b.run.wall / b.size * 1000:.2f} ms | {b.size / b.run.wall:,.0f} | "
            f"{b.run.cpu:.1f} s | {b.run.cpu / b.size * 1000:.2f} ms | {b.run.peak_tree_mib:.0f} MiB | {b.run.peak_parent_mib:.0f} MiB | "
            f"{b.load[0]:.1f} → {b.load[1]:.1f} |"
        )
    lines += ["", "Every format is streamed (written as results arrive); each document was read back and found complete.", ""]
    lines += _opa_section(r)
    lines += [
        "## Where the time goes",
        "",
        "Cold start, import time by origin (median of `-X importtime` self times, which overstate a little):",
        "",
        "| imported | ms |",
        "|---|---:|",
    ]
    lines += [f"| {group} | {ms:.0f} |" for group, ms in r.imports.groups.items()]
    lines += [f"| interpreter start (`python -c pass`) | {r.cold['python -c pass'].median_ms:.0f} |"]
    lines += [
        "",
        "Per manifest, CPU by stage, in-process (one core, no worker processes), schema-valid manifests:",
        "",
        "| manifests | n | load YAML | validate | Rego evaluation | locate findings | total | Rego share |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, row in r.stages.items():
        total = stage_total(row)
        lines.append(
            f"| {size} | {row['n']:.0f} | {row['load YAML']:.2f} ms | {row['validate']:.2f} ms | {row['Rego evaluation']:.2f} ms | "
            f"{row['locate findings']:.2f} ms | {total:.2f} ms | {row['Rego evaluation'] / total:.0%} |"
        )
    lines += _miss_profiles(r, table)
    lines += ["", "Batch summaries (each run's totals, read back from its output):", ""]
    lines += [f"- {b.size:,} ({b.fmt}): `{b.summary}`" for b in _all_batches(r)]
    return "\n".join(lines) + "\n"


def _all_batches(r: Results) -> list[Batch]:
    """The batches, then the streamed-format runs that were not batches already (text usually is)."""
    return r.batches + [b for b in r.streams if not any(b is other for other in r.batches)]


def _opa_note(opa: Optional[Opa]) -> str:
    if opa is None:
        return "skipped: no `opa` binary on PATH"
    return f"failed: {opa.error}" if opa.error else "measured"


def _opa_section(r: Results) -> list[str]:
    lines = ["## Go OPA baseline", ""]
    lines += _go_opa_lines(r)
    opa = r.opa
    if opa is None or opa.error:
        return lines + [f"`opa eval` not measured ({_opa_note(opa)}); install OPA 1.x as `opa` on PATH for those rows.", ""]
    cold = r.cold.get("opa eval (bundle)")
    check = r.cold["llm-policy check"]
    lines.append(f"`{opa.version}`, the pack built with `llm-policy bundle build`; inputs converted from YAML to JSON beforehand.")
    lines.append("")
    if cold is not None:
        lines.append(f"- cold: `opa eval --bundle` {cold.median_ms:.0f} ms against `llm-policy check` {check.median_ms:.0f} ms "
                     f"(llm-policy / OPA: {check.median_ms / cold.median_ms:.2f}x)")
    if opa.batch and opa.batch_llm:
        go, own = opa.batch.run, opa.batch_llm.run
        lines.append(f"- looped batch of {opa.batch.size:,} valid manifests, each tool in one process: `opa eval` {go.wall:.1f} s wall "
                     f"({go.cpu:.1f} s CPU, {go.peak_tree_mib:.0f} MiB), `llm-policy check --jobs 1` {own.wall:.1f} s wall "
                     f"({own.cpu:.1f} s CPU, {own.peak_tree_mib:.0f} MiB); llm-policy / OPA: {own.wall / go.wall:.2f}x")
    return lines + [""]


def _go_opa_lines(r: Results) -> list[str]:
    """OPA (Go) as a library against regorus: the cold process and CPU per manifest (benchmarks/go_opa.py)."""
    go = r.go_opa
    if not go:
        return ["In-process OPA not measured: opa-golib-python-bindings is not installed.", ""]
    if "error" in go:
        return [f"In-process OPA failed: {go['error']}", ""]
    check, cold = r.cold["llm-policy check"], r.cold.get(GO_OPA_COLD)
    own, theirs = go["per_manifest_ms"]["regorus"], go["per_manifest_ms"]["opa"]
    lines = [f"{go['version']}: real OPA compiled as a library, the same pack, data and manifests, no `opa` binary needed.", ""]
    if cold is not None:
        lines.append(f"- cold: a fresh process loading OPA, the pack and its data and evaluating one manifest (as JSON) "
                     f"{cold.median_ms:.0f} ms, against `llm-policy check` {check.median_ms:.0f} ms "
                     f"(llm-policy / OPA: {check.median_ms / cold.median_ms:.2f}x)")
    lines.append(f"- CPU per evaluation after preparation, {go['manifests']} small schema-valid manifests, both engines behind "
                 f"llm-policy's engine interface, median of {go['passes']} interleaved passes: regorus {own:.2f} ms, "
                 f"Go OPA {theirs:.2f} ms (regorus / OPA: {own / theirs:.2f}x)")
    lines.append(f"- preparing the pack (parse, compile, first evaluation), CPU: regorus {go['prepare_ms']['regorus']:.0f} ms, "
                 f"Go OPA {go['prepare_ms']['opa']:.0f} ms")
    agree = "every answer identical" if go["disagreements"] == 0 else f"**{go['disagreements']} answers differ**"
    lines.append(f"- the two engines' documents for those manifests, sets compared sorted: {agree}")
    return lines + [""]


def _miss_profiles(r: Results, table: list[Target]) -> list[str]:
    """The profile behind each missed target: imports for the cold start, stages and functions for CPU, memory per process."""
    missed = {kind for _, _, met, kind in table if met is False}
    lines: list[str] = []
    if not missed:
        return lines
    lines += ["", "## Profiles behind the missed targets", ""]
    if "imports" in missed:
        lines += ["Cold start (missed): the slowest imports of one cold check (median self time, `-X importtime`):", "",
                  "| module | ms |", "|---|---:|"]
        lines += [f"| `{name}` | {ms:.1f} |" for name, ms in r.imports.modules]
        lines.append("")
    if missed & {"stages", "cpu"}:
        lines += ["Batch time and CPU per manifest (missed): the per-stage table above, and where `Checker.check_file` spends "
                  "its time on small manifests (cProfile, in-process, heaviest own time first; profiling overhead included):", "",
                  "| function | calls | own ms per manifest | cumulative ms per manifest |", "|---|---:|---:|---:|"]
        lines += [f"| `{name}` | {calls:,} | {own:.3f} | {cumulative:.3f} |" for name, calls, own, cumulative in r.cpu]
        lines.append("")
    if missed & {"stages", "cpu"} and r.rego:
        lines += _rego_lines(r.rego)
    if missed & {"stages", "cpu"} and r.rvm:
        import rvm_probe as probe

        lines += [f"regorus' compiled mode failed to run: {r.rvm['error']}" if "error" in r.rvm else " ".join(probe.summary(r.rvm)), ""]
    if "memory" in missed:
        lines += ["Memory (missed): peak PSS of the main process against the whole tree, per streamed format "
                  "(the rest is the check workers of `--jobs`, one process per job):", ""]
        lines += [f"- {b.fmt}: tree {b.run.peak_tree_mib:.0f} MiB, main process {b.run.peak_parent_mib:.0f} MiB" for b in r.streams]
        lines.append("")
    return lines


def _rego_lines(rego: dict[str, Any], top: int = 10) -> list[str]:
    """Inside the Rego evaluation (benchmarks/rego_profile.py): the fixed cost, the library, the costliest rules."""
    import rego_profile

    return [f"Inside the Rego evaluation (`benchmarks/rego_profile.py`, {rego['manifests']} small manifests, CPU per "
            "manifest, in-process): the pack as one query, the fixed cost of any query, and what every manifest pays "
            "for the library (every library rule is evaluated for every manifest). Rule packages and library rules "
            "alone are inclusive of what they use, so they overlap:", "", *rego_profile.markdown(rego, top), ""]


def main(argv: Optional[list[str]] = None) -> int:
    global SEED
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a few minutes: fewer cold runs, 200 and 1,000 manifests, streams at 1,000")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], help="batch sizes (default: 1000,10000,50000)")
    parser.add_argument("--runs", type=int, help="cold-start runs per command (default: 21; --quick: 7)")
    parser.add_argument("--jobs", type=int, default=TARGET_JOBS, help=f"--jobs for the batches (default: {TARGET_JOBS}, as the targets say)")
    parser.add_argument("--stream-size", type=int, default=None,
                        help=f"manifests for the streamed formats (default: {STREAM_SIZE:,}; --quick: the largest size; 0: skip)")
    parser.add_argument("--opa-batch", type=int, default=None, help=f"valid manifests in the looped OPA batch (default: {OPA_BATCH}; --quick: 200)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=HERE / "results.md", help="Markdown results (default: benchmarks/results.md)")
    parser.add_argument("--workdir", type=Path, help="generate into this directory instead of a temporary one (kept)")
    args = parser.parse_args(argv)
    SEED = args.seed
    sizes = sorted(args.sizes or ([200, 1000] if args.quick else [1000, 10000, 50000]))
    runs = args.runs or (7 if args.quick else 21)
    stream_size = args.stream_size if args.stream_size is not None else (max(sizes) if args.quick or args.sizes else STREAM_SIZE)
    opa_count = args.opa_batch if args.opa_batch is not None else (min(200, max(sizes)) if args.quick else OPA_BATCH)
    if tool("llm-policy") is None:
        print("llm-policy is not installed next to this interpreter: pip install -e .", file=sys.stderr)
        return 2
    if tool("check-jsonschema") is None:
        print("note: check-jsonschema is not installed (pip install check-jsonschema): no baseline", file=sys.stderr)
    if opa_tool() is None:
        print("note: no `opa` binary on PATH: the `opa eval` rows are skipped", file=sys.stderr)
    if go_opa.version() is None:
        print("note: opa-golib-python-bindings is not installed: the in-process Go OPA rows are skipped", file=sys.stderr)
    _subreaper()
    machine = {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "CPU": cpu_model(),
        "cores (usable)": str(usable_cores()),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        **{name: version for name, version in versions().items()},
        "opa": "not on PATH",
        "Go OPA in-process": go_opa.version() or "opa-golib-python-bindings not installed",
        "built-in Rego rules": str(rule_count()),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a",
    }
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="llm-policy-bench-"))
    try:
        largest = max(sizes + [stream_size])
        started = time.perf_counter()
        labels: dict[str, int] = {}
        for _, manifest in generate(workdir, largest, args.seed):
            labels[manifest.label] = labels.get(manifest.label, 0) + 1
        print(f"generated {largest:,} manifests in {time.perf_counter() - started:.1f} s under {workdir}: "
              + ", ".join(f"{k} {v}" for k, v in sorted(labels.items())), flush=True)
        manifest = pick_cold_manifest(workdir)
        opa = prepare_opa(workdir, manifest)
        if opa is not None:
            machine["opa"] = opa.version + (f" ({opa.error})" if opa.error else "")
        go_opa_argv = prepare_go_opa(workdir, manifest)
        print(f"cold start on {manifest.relative_to(workdir)} ({runs} runs each) ...", flush=True)
        cold = cold_start(manifest, runs, opa, go_opa_argv)
        for item in cold.values():
            print(f"  {item.name:28s} median {item.median_ms:7.1f} ms  min {item.min_ms:7.1f} ms  cpu {item.cpu_ms:7.1f} ms", flush=True)
        batches: list[Batch] = []
        for size in sizes:
            print(f"batch of {size:,} manifests, --jobs {args.jobs} ...", flush=True)
            batches.append(batch(workdir, size, args.jobs))
            b = batches[-1]
            print(f"  {b.run.wall:.1f} s wall, {b.run.cpu:.1f} s CPU, peak {b.run.peak_tree_mib:.0f} MiB (tree), {b.run.peak_parent_mib:.0f} MiB (main): {b.summary}", flush=True)
        streams: list[Batch] = []
        for fmt in STREAM_FORMATS if stream_size else ():
            done = next((b for b in batches if b.fmt == fmt and b.size == stream_size), None)
            if done is not None:
                streams.append(done)
                continue
            print(f"batch of {stream_size:,} manifests, --format {fmt} (streamed) ...", flush=True)
            streams.append(batch(workdir, stream_size, args.jobs, fmt))
            b = streams[-1]
            print(f"  {b.run.wall:.1f} s wall, peak {b.run.peak_tree_mib:.0f} MiB (tree), {b.run.peak_parent_mib:.0f} MiB (main)", flush=True)
        if opa is not None and not opa.error and opa_count:
            print(f"OPA: looped opa eval over {opa_count:,} valid manifests, and llm-policy --jobs 1 over the same ...", flush=True)
            opa_batch(workdir, opa, opa_count, largest)
        go_opa_measures: dict[str, Any] = {}
        if go_opa_argv is not None:
            print("Go OPA in-process: CPU per manifest against regorus ...", flush=True)
            go_opa_measures = measured_in_subprocess("go_opa.py", "--count", str(30 if args.quick else 100), "--date", DATE)
        print("profiling: imports of a cold check, stages per manifest ...", flush=True)
        imports = import_profile(manifest, 3 if args.quick else 7)
        stages = stage_profile(workdir, min(largest, 300 if args.quick else 3000))
        results = Results(machine, runs, args.quick, cold, batches, streams, imports, stages, opa, go_opa=go_opa_measures)
        if any(met is False and kind in ("stages", "cpu") for _, _, met, kind in targets(results)):
            print("profiling: functions behind the missed CPU targets ...", flush=True)
            results.cpu = cpu_profile(workdir, min(largest, 300 if args.quick else 1500))
            print("profiling: inside the Rego evaluation ...", flush=True)
            import rego_profile

            results.rego = rego_profile.measure(30 if args.quick else 100)
            print("profiling: regorus' compiled mode (RVM), speed and agreement ...", flush=True)
            results.rvm = measured_in_subprocess("rvm_probe.py", "--count", str(30 if args.quick else 100))
        machine["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
        text = render(results)
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
