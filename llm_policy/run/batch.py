"""Many manifests in one run: parallel worker processes, results in input order, every format streamed.

A platform team checks thousands of manifests at once. One process uses one core, and keeping
every result until the end costs memory in proportion to the repository. So:

- `iter_results` checks files in worker processes (`--jobs`, default: every core the process may
  use): forked check workers (`run.workers`), one process per job, each with a deadline per
  manifest; without fork, a pool of spawned workers. Results arrive in input order, so the report
  does not depend on the number of jobs. Few files (a pre-commit run) are checked in-process:
  starting workers would cost more than it saves.
- `stream_report` hands each file's report entry, in input order, to the streamed formats
  (`llm_policy.output.stream`: text, JSON, SARIF, JUnit) as results arrive, applying waivers and
  the baseline per file, and keeps only running totals: memory stays flat however many manifests
  there are, and the bytes are those of the whole-report renderers.

The other formats (GitHub, Markdown, compliance) collect the whole report instead (`check_files`,
serial or parallel); only the order-preserving parallelism applies to them.
`check_files` lives here rather than in `runner` so that `runner` (one file) never imports `batch`.
"""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence

from llm_policy.engines import deadline
from llm_policy.findings import SEVERITY_RANK, Fault, FileResult, Report, Tally, plain
from llm_policy.run.runner import Checker, CheckOptions

MIN_PARALLEL = 48  # fewer files are checked in-process: each worker compiles the policies once
MAX_CHUNK = 32  # files per task of a spawned pool: large enough to amortise the hand-over, small enough to balance
WINDOW_PER_JOB = 4  # chunks in flight per worker: keeps every worker busy, bounds what waits in memory
PARALLEL_ENGINES = ("regorus",)  # fork-safe and in-process; OPA engines keep their own concurrency

_worker_checker: Optional[Checker] = None  # the Checker of a spawned worker process


def default_jobs() -> int:
    """The number of cores this process may run on (not the machine's, under a CPU affinity mask)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _init_worker(options: CheckOptions) -> None:
    """A spawned worker builds its own Checker: the policies are compiled once per worker."""
    global _worker_checker
    _worker_checker = Checker(options)


def _check_chunk(paths: list[Path]) -> list[FileResult]:
    assert _worker_checker is not None, "worker started without a Checker"
    return [_worker_checker.check_file(path) for path in paths]


def _chunks(files: Sequence[Path], size: int) -> Iterator[Sequence[Path]]:
    for start in range(0, len(files), size):
        yield files[start : start + size]


def pool_start_method() -> str:
    """How a multiprocessing pool should start its workers (the scanner's pool, `scan --jobs`).

    fork shares what the parent compiled with the workers for free; macOS' system libraries are
    not fork-safe under multiprocessing, so it gets spawn there (and everywhere fork does not exist).
    """
    import multiprocessing

    if sys.platform != "darwin" and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return "spawn"


def iter_results(checker: Checker, files: Sequence[Path], jobs: int) -> Iterator[FileResult]:
    """Check `files` with up to `jobs` worker processes; yields one FileResult per file, in order."""
    jobs = min(jobs, len(files))
    parallel = jobs > 1 and len(files) >= MIN_PARALLEL and checker.options.engine in PARALLEL_ENGINES
    if parallel:
        checker.ready()  # workers fork from a parent whose policies are known to be good
    if not parallel or checker.engine is None:
        for path in files:
            yield checker.check_file(path)
        return
    if deadline.supported():  # the check workers are the deadline engine's workers
        from llm_policy.run.workers import check_in_workers

        yield from check_in_workers(checker, files, jobs)
        return
    yield from _spawned_pool(checker, files, jobs)


def _spawned_pool(checker: Checker, files: Sequence[Path], jobs: int) -> Iterator[FileResult]:
    """Where there is no fork (Windows): a pool of spawned workers, each compiling the policies.

    There is no deadline engine without fork either, so nothing is lost against the serial path.
    """
    import multiprocessing  # here, not at the top: a pre-commit run never gets this far

    size = max(1, min(MAX_CHUNK, len(files) // (jobs * 4)))
    pool = multiprocessing.get_context("spawn").Pool(processes=jobs, initializer=_init_worker, initargs=(checker.options,))
    try:
        # A bounded reorder buffer: at most `window` chunks are checked or waiting, and they are
        # handed over in input order. pool.imap would queue every chunk at once and keep every
        # result that arrives ahead of a slow consumer (a stdout pipe read slowly): memory would
        # grow with the batch.
        from collections import deque

        chunks = _chunks(files, size)
        window = jobs * WINDOW_PER_JOB
        pending: Any = deque(pool.apply_async(_check_chunk, (chunk,)) for chunk in itertools.islice(chunks, window))
        while pending:
            results = pending.popleft().get()
            following = next(chunks, None)
            if following is not None:
                pending.append(pool.apply_async(_check_chunk, (following,)))
            yield from results
    finally:
        pool.terminate()  # also on an early exit (a closed pipe, ^C): no worker outlives the run
        pool.join()


class _Waivers:
    """Waivers applied one file at a time, exactly as `waivers.apply_waivers` does for a whole report."""

    def __init__(self, waivers: Any, run_faults: list[Any], root: Path, today: str, report: Report) -> None:
        self.waivers, self.run_faults, self.root, self.today, self.report = waivers, run_faults, root, today, report
        self.seen: set[str] = set()

    def apply(self, path: Path, result: FileResult) -> None:
        from llm_policy.waivers.apply import apply_waivers
        from llm_policy.waivers.loader import resolve_manifest

        key = resolve_manifest(path)
        if key in self.seen:  # the whole-report version applies a manifest's waivers to its first result only
            return
        self.seen.add(key)
        single = Report(self.report.tool_version, self.report.evaluation_date, files=[result], rules=self.report.rules,
                        faults=self.run_faults)
        apply_waivers(single, self.waivers, [path], self.root, self.today)


def _next(results: Iterator[FileResult]) -> tuple[Optional[FileResult], Optional[Exception]]:
    """The next result, None at the end, or the exception that stopped the iteration (a run fault)."""
    try:
        return next(results, None), None
    except Exception as exc:  # noqa: BLE001 - a broken batch must end in a fault, never a short "pass"
        return None, exc


def _worst(entry: dict[str, Any]) -> int:
    """Highest severity rank of a finding that can fail the run (unwaived, not in the baseline), as `exit_code`."""
    return max((SEVERITY_RANK[f["severity"]] for f in entry["findings"]
                if f["waiver"] is None and f.get("baseline_state") != "unchanged"), default=0)


def stream_report(
    checker: Checker,
    files: Sequence[Path],
    jobs: int,
    waivers: Any,
    waiver_faults: list[Any],
    sinks: list[Any],
    prepare: Optional[Callable[[dict[str, Any]], None]] = None,
    baseline: Any = None,
) -> tuple[dict[str, Any], int]:
    """Feed each file's report entry to every sink (`llm_policy.output.stream`) as results arrive,
    in input order; return (the report without its files, worst severity rank for the exit code).

    `waivers` is the loaded waivers file (or None) and `waiver_faults` the faults from loading it,
    as `waivers.run.load` returns them; `prepare` may amend the report head before any sink sees it
    (frameworks, documentation links); `baseline` is a `review.baseline.Matcher`. Only running
    totals are kept. A failure of the batch itself (a worker that broke, a bug in a per-file step)
    ends the iteration as a run-level fault saying how far the run got: the document is still
    complete and well-formed, and the run exits 2.
    """
    results = iter_results(checker, files, jobs)
    first, failure = _next(results)  # run faults are final once the engine is ready: after the first file
    shell = checker.report([])  # run-level faults and metadata, no files
    shell.faults.extend(waiver_faults)
    head = shell.to_dict()
    if prepare is not None:
        prepare(head)
    per_file = _Waivers(waivers, list(checker.faults), checker.options.root, checker.options.evaluation_date, shell) if waivers is not None else None
    for sink in sinks:
        sink.begin(head)
    tally, worst, done = Tally(), 0, 0
    result = first
    while result is not None:
        try:
            if per_file is not None:
                try:
                    per_file.apply(files[done], result)
                except Exception as exc:  # noqa: BLE001 - one file's crash must not cut the report short
                    result.faults.append(Fault("internal", f"internal error while applying waivers: {type(exc).__name__}: {exc}"[:500], result.path))
            entry = result.to_dict()
            if baseline is not None:
                baseline.mark(entry)
            tally.add(result)
        except Exception as exc:  # noqa: BLE001 - see the docstring: a fault of the run, never a pass
            failure = exc
            break
        worst = max(worst, _worst(entry))
        for sink in sinks:
            sink.add(entry)
        done += 1
        result, failure = _next(results)
    if failure is not None or done != len(files):
        reason = f"{type(failure).__name__}: {failure}" if failure is not None else "the results ended early"
        fault = plain(Fault("internal", f"the run stopped after {done} of {len(files)} manifests: {reason}"[:500]))
        head["faults"].append(fault)
        for sink in sinks:
            sink.fault(fault)
    summary = plain(tally.summary(len(head["faults"])))
    head["summary"] = summary
    if baseline is not None:
        baseline.finish(head)
    return head, worst


def check_files(files: Sequence[Path], options: CheckOptions, checker: Optional[Checker] = None, jobs: int = 1) -> Report:
    """Check `files` into one Report; with `jobs` > 1 in worker processes (same report, in order)."""
    checker = checker or Checker(options)
    if jobs > 1:
        return checker.report(list(iter_results(checker, files, jobs)))
    return checker.report([checker.check_file(path) for path in files])
