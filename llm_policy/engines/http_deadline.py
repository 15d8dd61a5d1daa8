"""Bound an HTTP call by wall-clock time, not per socket read.

requests' `timeout` applies to each connect and each socket read: a server that trickles its
headers or body one byte a second never trips it, and a run would hang for as long as the server
likes. So each call to the OPA server runs in a helper thread and the caller waits at most the
timeout. When it runs out, every socket the session opened is shut down (which makes the pending
read return at once and lets the helper thread end), and the caller gets `WallClockTimeout`.

Sockets are recorded through urllib3's documented extension points (`ConnectionCls` of a pool,
`pool_classes_by_scheme` of a PoolManager). A connection this hook does not see (a SOCKS proxy)
still cannot hold the run: the caller stops waiting either way; only that helper thread lingers.
"""

from __future__ import annotations

import socket
import threading
import weakref
from typing import Any, Callable, TypeVar

T = TypeVar("T")


class WallClockTimeout(Exception):
    """The call did not finish within its wall-clock budget."""


class SocketRegistry:
    """The live sockets of one requests session, so they can be cut when a deadline passes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connections: "weakref.WeakSet[Any]" = weakref.WeakSet()

    def add(self, connection: Any) -> None:
        with self._lock:
            self._connections.add(connection)

    def cut(self) -> None:
        """Shut every recorded socket down (both directions): blocked reads return immediately."""
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            sock = getattr(connection, "sock", None)
            if sock is None:
                continue
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed


def instrument(session: Any, registry: SocketRegistry) -> None:
    """Make every HTTP(S) connection `session`'s adapters open register itself in `registry`."""
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    class _Connection(HTTPConnection):  # type: ignore[misc]
        def connect(self) -> None:
            super().connect()
            registry.add(self)

    class _TLSConnection(HTTPSConnection):  # type: ignore[misc]
        def connect(self) -> None:
            super().connect()
            registry.add(self)

    class _Pool(HTTPConnectionPool):  # type: ignore[misc]
        ConnectionCls = _Connection

    class _TLSPool(HTTPSConnectionPool):  # type: ignore[misc]
        ConnectionCls = _TLSConnection

    for adapter in session.adapters.values():
        manager = getattr(adapter, "poolmanager", None)
        if manager is not None and hasattr(manager, "pool_classes_by_scheme"):
            manager.pool_classes_by_scheme = {"http": _Pool, "https": _TLSPool}


def call_within(timeout: float, registry: SocketRegistry, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`fn(*args, **kwargs)`, or WallClockTimeout once `timeout` seconds have passed.

    Exceptions of `fn` are re-raised in the caller's thread, so callers map them as before.
    """
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            outcome["error"] = exc

    worker = threading.Thread(target=target, name="llm-policy-opa-request", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        registry.cut()
        worker.join(1.0)  # let it end on the cut socket; it is a daemon either way
        raise WallClockTimeout(f"no complete answer within {timeout:g} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]
