"""The OPA server engine trusts no answer it cannot read as findings, and no server that stalls.

- A 200 whose packages exist but carry no `findings`, `findings: null`, a non-array, malformed
  finding objects, or an empty document for a custom namespace is a run fault (exit 2): a
  well-formed answer for every package the run expects, or no verdict at all (issue 11, item 8).
- A server that trickles its headers or its body one byte a second is cut off after
  `--opa-timeout` seconds of wall-clock time (issue 11, item 9).

Fake servers on 127.0.0.1 only; nothing here pretends to be OPA beyond the answer's shape.
"""

from __future__ import annotations

import copy
import socket
import threading
import time
from pathlib import Path
from typing import Any, Iterator, Optional

import pytest

from conftest import FIXED_DATE, write
from test_opa_server import VALID, check, fails_closed, fake  # noqa: F401 - fixtures

from llm_policy.policy.policy_set import BUILTIN_RULE_ROOT, load_policy_set


def well_formed() -> dict[str, Any]:
    """What a server holding our pack answers for a manifest without findings: every rule
    package of the built-in tree with `findings: []`."""
    policy_set = load_policy_set([], [], builtin=True, namespaces=["main"], context={"today": FIXED_DATE})
    tree: dict[str, Any] = {}
    for module in policy_set.modules:
        if module.is_test or not module.package.startswith(BUILTIN_RULE_ROOT + "."):
            continue
        if "findings contains" not in module.text:
            continue
        node = tree
        for part in module.package[len(BUILTIN_RULE_ROOT) + 1 :].split("."):
            node = node.setdefault(part, {})
        node["findings"] = []
    return tree


def test_a_well_formed_answer_passes(cli: Any, fake: Any) -> None:
    """The control: the fake's answer is accepted when it has the right shape."""
    _, url = fake(body={"result": well_formed()})
    result = check(cli, url)
    assert result.code == 0, result.out + result.err


@pytest.mark.parametrize(
    "damage,expected",
    [
        (lambda doc: doc["lp101"].pop("findings"), "no `findings`"),
        (lambda doc: doc["lp101"].__setitem__("findings", None), "`findings` as null"),
        (lambda doc: doc["lp101"].__setitem__("findings", {"a": 1}), "`findings` as an object"),
        (lambda doc: doc["lp101"].__setitem__("findings", "none"), "`findings` as a string"),
        (lambda doc: doc["lp101"].__setitem__("findings", [7]), "a malformed item in `findings`"),
        (lambda doc: doc["lp101"].__setitem__("findings", [{"id": "LP101"}]), "a malformed item in `findings`"),
        (lambda doc: doc["lp101"].__setitem__("findings", ["a string"]), "a malformed item in `findings`"),
        (lambda doc: doc.__setitem__("lp101", None), "does not hold package llm_policy.rules.lp101"),
        (lambda doc: doc.__setitem__("lp101", []), "an array instead of a package document"),
    ],
)
def test_a_package_without_well_formed_findings_is_exit_2(cli: Any, fake: Any, damage: Any, expected: str) -> None:
    document = copy.deepcopy(well_formed())
    damage(document)
    _, url = fake(body={"result": document})
    fails_closed(check(cli, url), "package llm_policy.rules.lp101" if "lp101" not in expected else "lp101", expected)


def _custom_policy(tmp_path: Path) -> Path:
    write(tmp_path / "p" / "org.rego", 'package main\n\ndeny contains msg if {\n  input.project.name == "forbidden"\n  msg := "no"\n}\n')
    return tmp_path / "p"


@pytest.mark.parametrize("answer", [{}, {"deny": None}, {"deny": 1}, {"other": []}])
def test_an_empty_document_for_a_custom_namespace_is_exit_2(cli: Any, fake: Any, tmp_path: Path, answer: Any) -> None:
    policy = _custom_policy(tmp_path)
    builtin = well_formed()

    def respond(method: str, path: str) -> Optional[tuple[int, Any]]:
        if path.endswith("/v1/data/main"):
            return 200, {"result": answer}
        return 200, {"result": builtin}

    _, url = fake(respond=respond)
    fails_closed(check(cli, url, "--policy", str(policy)), "package main", "`deny`")


def test_a_custom_namespace_answering_its_rules_passes(cli: Any, fake: Any, tmp_path: Path) -> None:
    policy = _custom_policy(tmp_path)
    builtin = well_formed()

    def respond(method: str, path: str) -> Optional[tuple[int, Any]]:
        return 200, {"result": {"deny": []} if path.endswith("/v1/data/main") else builtin}

    _, url = fake(respond=respond)
    result = check(cli, url, "--policy", str(policy))
    assert result.code == 0, result.out + result.err


# --- a server that stalls -------------------------------------------------------------------------


class Trickler:
    """A TCP server that answers every request one byte a second: the status line and headers
    (`where="headers"`) or, after complete headers, the body (`where="body"`). It stops on its own
    after `limit` seconds so no thread outlives the test for long."""

    def __init__(self, where: str, limit: float = 30.0) -> None:
        self.where, self.limit = where, limit
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.closed_by_client = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        body = b'{"result": {}}' + b" " * 10_000
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
        started = time.monotonic()
        with conn:
            conn.settimeout(5)
            try:
                conn.recv(65536)  # the request (small enough for one read)
                if self.where == "body":
                    conn.sendall(head)
                for byte in (head if self.where == "headers" else body):
                    if time.monotonic() - started > self.limit:
                        return
                    conn.sendall(bytes([byte]))
                    time.sleep(1.0)
            except OSError:
                self.closed_by_client.set()

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def trickler() -> Iterator[Any]:
    servers: list[Trickler] = []

    def start(where: str) -> Trickler:
        servers.append(Trickler(where))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.mark.parametrize("where", ["headers", "body"])
def test_a_trickling_server_is_cut_off_at_the_timeout(cli: Any, trickler: Any, where: str) -> None:
    server = trickler(where)
    started = time.monotonic()
    result = check(cli, server.url, "--opa-timeout", "2")
    elapsed = time.monotonic() - started
    # Generous: the point is that the run does not hang for as long as the server trickles.
    assert elapsed < 2 + 5, f"the run took {elapsed:.1f} s with --opa-timeout 2"
    fails_closed(result, "did not answer within 2 s", "--opa-timeout")
    # The connection was cut, not left trickling in a background thread.
    assert server.closed_by_client.wait(5), "the stalled connection was left open"


@pytest.mark.parametrize("value", ["inf", "nan", "0", "-1"])
def test_an_unbounded_opa_timeout_is_refused(cli: Any, capsys: Any, value: str) -> None:
    result = cli("check", "--engine", "opa", "--opa-url", "http://127.0.0.1:9", "--opa-timeout", value, str(VALID / "cloud-api"))
    assert result.code == 2
    assert "--opa-timeout" in result.err
