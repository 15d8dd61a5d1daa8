"""Bound the time and memory that policies may take, for the engine that runs inside our process.

regorus has no timeout or memory knob, its engine may only be used from the thread that created
it, and native code cannot be interrupted from Python. So a policy that loops (a huge
comprehension, a runaway recursion through data) would hang the check and, with it, every other
manifest in the run. Only the operating system can stop it: the engine is prepared and evaluated
in a forked worker process with an address-space limit, and the parent gives the preparation and
each manifest a deadline. A worker that overruns is killed and replaced, the manifest gets a fault
(exit 2), and the run goes on with the next one.

The worker lives for the whole batch, so a manifest costs one pipe round trip (~0.1 ms), not a
fork. Only fork-safe engines are wrapped: regorus is plain single-threaded Rust; the Go-based
`opa-inprocess` engine is not fork-safe, and an OPA server has its own request timeout. Without
`os.fork` (Windows) evaluation runs in-process and is not time-bounded.
"""

from __future__ import annotations

import faulthandler
import functools
import json
import os
import select
import signal
import struct
import time
import weakref
from typing import Any, Callable, Optional

from llm_policy.engines.base import EngineError

DEFAULT_TIMEOUT = 10.0  # seconds per manifest; the built-in rule pack takes about a millisecond
MEMORY_HEADROOM = 2 * 1024**3  # bytes a worker may allocate on top of the process it was forked from
IN_PROCESS_ENGINES = ("regorus",)
_HEADER = struct.Struct("!Q")


def supported() -> bool:
    return hasattr(os, "fork")


def with_deadline(engine: Any, timeout: Optional[float] = None) -> Any:
    """The engine, wrapped in a deadline worker when it evaluates in-process and fork exists.

    Wrap before `prepare`: preparing evaluates every package once, which can loop too.
    """
    timeout = DEFAULT_TIMEOUT if timeout is None else timeout
    if timeout > 0 and getattr(engine, "name", None) in IN_PROCESS_ENGINES and supported():
        return DeadlineEngine(engine, timeout)
    return engine


class DeadlineEngine:
    """An `Engine` whose prepare and evaluate run in a killable worker process with a deadline."""

    def __init__(self, engine: Any, timeout: float, memory_headroom: Optional[int] = MEMORY_HEADROOM):
        self.inner = engine
        self.name = engine.name
        self.timeout = timeout
        self.memory_headroom = memory_headroom
        self._policy_set: Any = None
        self._worker: Optional[Worker] = None
        self._pending: Optional[Worker] = None  # started, not yet known to be ready

    def prepare(self, policy_set: Any) -> None:
        self.start(policy_set)
        self.ready()

    def start(self, policy_set: Any) -> None:
        """Fork the worker, which prepares in the background; `ready()` (or `evaluate`) waits for it.

        Preparing is the slow part of a cold start (compiling the policies, ~25 ms): meanwhile the
        caller can read the rule metadata and the manifest on the other core.
        """
        self.close()
        self._policy_set = policy_set
        self._pending = evaluation_worker(self.inner, policy_set, self.memory_headroom)

    def ready(self) -> None:
        """Wait for a started worker to finish preparing; raises its EngineError (as `prepare` would)."""
        pending, self._pending = self._pending, None
        if pending is None or pending.owner != os.getpid():
            return
        try:
            pending.wait_ready(self.timeout)
        except EngineError:
            pending.stop()
            raise
        self._worker = pending

    def evaluate(self, manifest: dict[str, Any]) -> dict[str, Any]:
        if self._policy_set is None:
            raise EngineError("engine used before prepare()")
        if self._pending is not None:
            self.ready()
        worker = self._worker
        if worker is None or worker.owner != os.getpid():
            # Replaced after a timeout, or we are a fork of the process that owns it (a parallel job).
            worker = self._start()
        try:
            return worker.call(manifest, self.timeout)  # type: ignore[no-any-return]
        finally:
            if not worker.alive:
                self._worker = None

    def close(self) -> None:
        for worker in (self._worker, self._pending):
            if worker is not None and worker.owner == os.getpid():
                worker.stop()
        self._worker = self._pending = None

    def _start(self) -> Worker:
        worker = evaluation_worker(self.inner, self._policy_set, self.memory_headroom)
        try:
            worker.wait_ready(self.timeout)
        except EngineError:
            worker.stop()
            raise
        self._worker = worker
        return worker


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _read_exact(fd: int, size: int, deadline: Optional[float]) -> Optional[bytes]:
    """Read `size` bytes; None on EOF. Raises TimeoutError when the deadline passes first."""
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def send_json(fd: int, payload: Any) -> None:
    send_bytes(fd, json.dumps(payload).encode("utf-8"))


def send_bytes(fd: int, data: bytes) -> None:
    _write_all(fd, _HEADER.pack(len(data)) + data)


def receive_bytes(fd: int, deadline: Optional[float]) -> Optional[bytes]:
    header = _read_exact(fd, _HEADER.size, deadline)
    if header is None:
        return None
    return _read_exact(fd, _HEADER.unpack(header)[0], deadline)


def _limit_memory(headroom: Optional[int]) -> None:
    if not headroom:
        return
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as handle:
            current = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = current + headroom
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):
        pass  # no /proc (macOS): the time limit still applies


def _error_reply(exc: EngineError) -> dict[str, Any]:
    return {"error": [exc.message, exc.file, exc.line, exc.column]}


def _serve(engine: Any, policy_set: Any, requests: int, replies: int) -> None:
    """The worker: prepare, then one manifest in, its documents (or the engine error) out, until EOF."""
    try:
        engine.prepare(policy_set)
    except EngineError as exc:
        send_json(replies, _error_reply(exc))
        return
    send_json(replies, {"ready": True})
    raw = getattr(engine, "evaluate_json", None)  # text through, decoded once, by the parent
    while True:
        body = receive_bytes(requests, None)
        if body is None:
            return
        try:
            if raw is not None:
                send_bytes(replies, b'{"results":' + raw(body.decode("utf-8")).encode("utf-8") + b"}")
                continue
            reply: dict[str, Any] = {"documents": engine.evaluate(json.loads(body))}
        except EngineError as exc:
            reply = _error_reply(exc)
        except MemoryError:
            reply = {"error": ["policy evaluation ran out of memory", None, None, None]}
        send_json(replies, reply)


def evaluation_worker(engine: Any, policy_set: Any, headroom: Optional[int]) -> "Worker":
    return Worker(functools.partial(_serve, engine, policy_set), headroom)


class Worker:
    """A forked process that serves length-prefixed requests on a pipe, with a memory cap.

    `serve(requests, replies)` runs in the child on the two pipe ends: it first sends
    `{"ready": true}` or an engine error (JSON), then answers each request until EOF. The parent
    reads every reply against a deadline; a worker that overruns is killed, one that dies is
    reaped and its death explained. `run.workers` serves whole manifest checks with it.
    """

    def __init__(self, serve: Callable[[int, int], None], headroom: Optional[int]):
        self.owner = os.getpid()
        self.headroom = headroom
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: never return into the caller's stack
            status = 0
            try:
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                faulthandler.disable()  # the parent reports how the worker died, without a Python stack
                os.close(request_write)
                os.close(reply_read)
                _limit_memory(headroom)
                serve(request_read, reply_write)
            except BaseException:  # noqa: BLE001 - the parent reports a worker that died
                status = 70
            os._exit(status)
        os.close(request_read)
        os.close(reply_write)
        self.pid, self.requests, self.replies = pid, request_write, reply_read
        self.alive = True
        self._finalizer = weakref.finalize(self, _reap, pid, request_write, reply_read, self.owner)

    def wait_ready(self, timeout: Optional[float]) -> None:
        """Wait for the worker's first reply; `timeout` None waits as long as it takes."""
        reply = self._reply(timeout, "while loading the policies")
        if "error" in reply:
            self.stop()
            message, file, line, column = reply["error"]
            raise EngineError(message, file, line, column)

    def send(self, request: bytes) -> None:
        try:
            send_bytes(self.requests, request)
        except OSError:  # BrokenPipeError: the worker is gone; its reply says why
            pass

    def call(self, manifest: dict[str, Any], timeout: float) -> Any:
        self.send(json.dumps(manifest).encode("utf-8"))
        reply = self._reply(timeout, "")
        if "error" in reply:
            message, file, line, column = reply["error"]
            raise EngineError(message, file, line, column)
        if "results" in reply:
            from llm_policy.engines.regorus_engine import documents_from_results

            return documents_from_results(reply["results"])
        return reply["documents"]

    def _reply(self, timeout: Optional[float], doing: str) -> dict[str, Any]:
        deadline = None if timeout is None else time.monotonic() + timeout
        return json.loads(self.reply_bytes(deadline, timeout or 0, doing))  # type: ignore[no-any-return]

    def reply_bytes(self, deadline: Optional[float], timeout: float, doing: str = "") -> bytes:
        """The next reply; EngineError when the deadline passes (the worker is then killed) or it died."""
        try:
            reply = receive_bytes(self.replies, deadline)
        except TimeoutError:
            self.stop()
            raise EngineError(
                f"timed out after {timeout:g} s{' ' + doing if doing else ''} (--timeout): "
                "a policy loops or does far too much work"
            ) from None
        except OSError as exc:
            self.stop()
            raise EngineError(f"evaluation worker failed: {exc}") from None
        if reply is None:
            raise EngineError(f"evaluation {self._death()}")
        return reply

    def _death(self) -> str:
        """Why the worker went away, after reaping it."""
        self.alive = False
        self._finalizer.detach()
        for fd in (self.requests, self.replies):
            _close(fd)
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            return "worker exited unexpectedly"
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            try:
                name = signal.Signals(sig).name
            except ValueError:
                name = f"signal {sig}"
            hint = ""
            if sig in (signal.SIGABRT, signal.SIGSEGV, signal.SIGKILL) and self.headroom:
                hint = f" (out of memory? evaluation may use {self.headroom // 1024**2} MiB)"
            return f"worker was killed by {name}{hint}"
        return f"worker exited with status {os.WEXITSTATUS(status)}"

    def stop(self) -> None:
        if self.alive:
            self.alive = False
            self._finalizer()


def _close(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


def _reap(pid: int, requests: int, replies: int, owner: int) -> None:
    """Kill and reap the worker; runs on stop(), garbage collection or interpreter exit."""
    if os.getpid() != owner:
        return
    _close(requests)
    _close(replies)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
