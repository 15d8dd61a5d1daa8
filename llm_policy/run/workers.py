"""Check workers: forked processes that each check whole manifests, one deadline per manifest.

A batch used to run a pool of workers, each of which started its own evaluation worker (the
deadline engine's killable process): two processes per job, each holding a Python interpreter
and the second a compiled policy set, about 190 MiB over 50,000 manifests with `--jobs 2`. Here a
job is one process, forked from the parent once the policies have proved good and been compiled
in the parent (so the workers share them); it checks the manifests it is sent (load, validate,
evaluate) and sends each FileResult back. The parent keeps what the evaluation worker gave the serial path:

- a deadline per manifest (`--timeout`), now over the whole check, loading included: a worker
  that overruns is killed, its manifest gets the same fault as on the serial path, and a new
  worker takes its place;
- the memory cap (RLIMIT_AS) of the deadline engine;
- a worker that dies (a crash, the memory cap) faults its manifest, never passes it.

Requests carry a manifest's path; replies are pickled FileResults (trusted: our own forked
child). Results are handed over in input order through a bounded
window, so memory does not grow with the batch.
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import sys
import time
from collections import deque
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

from llm_policy.engines.base import EngineError
from llm_policy.engines.deadline import DeadlineEngine, Worker, receive_bytes, send_bytes, send_json
from llm_policy.findings import Fault, FileResult
from llm_policy.run.discovery import display_path
from llm_policy.run.runner import Checker

WINDOW_PER_JOB = 64  # manifests checked or waiting per worker, ahead of the one the report needs next
QUEUED_PER_WORKER = 2  # manifests sent to a worker at once: the one it checks and the next


def _serve(checker: Checker, engine: Any, requests: int, replies: int) -> None:
    """The worker: check the file each request names, until EOF, with the engine the parent compiled."""
    checker.engine = engine
    send_json(replies, {"ready": True})
    while True:
        body = receive_bytes(requests, None)
        if body is None:
            return
        send_bytes(replies, pickle.dumps(checker.check_file(Path(os.fsdecode(body))), pickle.HIGHEST_PROTOCOL))


class CheckWorkers:
    """`jobs` check workers over `files`; `results()` yields one FileResult per file, in order."""

    def __init__(self, checker: Checker, files: Sequence[Path], jobs: int):
        engine = checker.engine
        bounded = isinstance(engine, DeadlineEngine)
        self.checker, self.files, self.jobs = checker, files, jobs
        self.timeout: Optional[float] = engine.timeout if bounded else None
        self.headroom: Optional[int] = engine.memory_headroom if bounded else None
        if bounded:
            engine.close()  # its evaluation worker would sit idle beside the check workers
            # Compiled here, once, and shared by every worker (copy-on-write) instead of compiled in
            # each. In-process is safe now: the evaluation worker prepared these very policies
            # within the deadline and the memory cap (`Checker.ready`), and preparing is
            # deterministic. `prepare` ends with an evaluation of an empty input, which builds
            # regorus' one-time state (~7 MiB) before the fork, so that is shared too.
            engine = engine.inner
            engine.prepare(checker.policy_set)
        self.engine = engine

    def results(self) -> Iterator[FileResult]:
        sys.stdout.flush()  # a forked worker must not inherit unwritten output
        sys.stderr.flush()
        # Without this, the garbage collector of every worker walks (and so copies) the parent's
        # objects, the list of files among them: memory would grow with the size of the batch.
        gc.freeze()
        slots: list[_Slot] = []
        done: dict[int, FileResult] = {}
        again: deque[int] = deque()  # sent to a worker that died before it started them
        following = handed = 0  # the next file to send, the next result to hand over
        window = self.jobs * WINDOW_PER_JOB
        try:
            slots = [_Slot(self._fork()) for _ in range(self.jobs)]
            for slot in slots:
                self._ready(slot.worker)
            while handed < len(self.files):
                for slot in slots:
                    while len(slot.queue) < QUEUED_PER_WORKER and (again or following < min(len(self.files), handed + window)):
                        if again:
                            index = again.popleft()
                        else:
                            index, following = following, following + 1
                        slot.send(index, self.files[index], self.timeout)
                if handed in done:
                    yield done.pop(handed)
                    handed += 1
                    continue
                for slot, index, result in self._collect(slots):
                    done[index] = result
                    if not slot.worker.alive:  # killed at its deadline, or died: a fresh one in its place
                        again.extend(slot.queue)
                        slot.worker, slot.queue = self._ready(self._fork()), deque()
        finally:
            for slot in slots:
                slot.worker.stop()
            gc.unfreeze()

    def _fork(self) -> Worker:
        checker, engine = self.checker, self.engine
        return Worker(lambda requests, replies: _serve(checker, engine, requests, replies), self.headroom)

    def _ready(self, worker: Worker) -> Worker:
        """Wait for a worker to be ready; its EngineError ends the run (a run fault)."""
        worker.wait_ready(self.timeout)
        return worker

    def _collect(self, slots: list[_Slot]) -> list[tuple[_Slot, int, FileResult]]:
        """Wait for at least one reply or deadline; the results that arrived, or the faults of those that did not."""
        busy = {slot.worker.replies: slot for slot in slots if slot.queue}
        if not busy:  # waiting on nothing would wait forever: a bug, and the run's fault
            raise RuntimeError("no manifest is being checked, yet results are missing")
        deadlines = [slot.deadline for slot in busy.values() if slot.deadline is not None]
        wait = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        readable, _, _ = select.select(list(busy), [], [], wait)
        now = time.monotonic()
        arrived = []
        for fd, slot in busy.items():
            if fd not in readable and (slot.deadline is None or slot.deadline > now):
                continue
            index = slot.queue.popleft()
            # A reply that is there was finished in time, however long the parent took to look
            # (a report written to a slow pipe): its own read gets a fresh deadline.
            deadline = slot.deadline if fd not in readable or self.timeout is None else now + self.timeout
            try:
                result = pickle.loads(slot.worker.reply_bytes(deadline, self.timeout or 0))
            except EngineError as exc:  # timed out (the worker is killed) or died: the manifest's fault
                shown = display_path(self.files[index], self.checker.options.root)
                result = FileResult(path=shown, faults=[Fault("engine", f"policy evaluation failed: {exc.message}", shown)])
                slot.worker.stop()
            else:
                slot.started(self.timeout)
            arrived.append((slot, index, result))
        return arrived


class _Slot:
    """One check worker and the manifests sent to it, in order; the first is the one being checked.

    A second manifest waits in the worker's pipe, so the worker goes straight on to it instead of
    idling until the parent (busy writing the report, or not scheduled on two busy cores) reads
    its reply and sends the next: with one at a time, a 2-core batch kept its cores ~60 % busy.
    The deadline belongs to the manifest being checked, and starts when the one before it is done.
    """

    def __init__(self, worker: Worker):
        self.worker = worker
        self.queue: deque[int] = deque()
        self.deadline: Optional[float] = None

    def send(self, index: int, path: Path, timeout: Optional[float]) -> None:
        # The path itself, not an index: a worker that read the parent's list would touch (and so
        # copy) its pages, and the list grows with the batch.
        self.worker.send(os.fsencode(path))
        self.queue.append(index)
        if len(self.queue) == 1:
            self.started(timeout)

    def started(self, timeout: Optional[float]) -> None:
        """The first manifest in the queue starts its check now."""
        self.deadline = None if timeout is None or not self.queue else time.monotonic() + timeout


def check_in_workers(checker: Checker, files: Sequence[Path], jobs: int) -> Iterator[FileResult]:
    """Check `files` in `jobs` forked check workers; one FileResult per file, in input order."""
    return CheckWorkers(checker, files, jobs).results()

