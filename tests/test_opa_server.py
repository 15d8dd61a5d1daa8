"""The OPA server engine (`--engine opa`).

Two kinds of tests:

- against a real OPA: when an `opa` binary is on PATH (started here on 127.0.0.1 with a free
  port, stopped afterwards) or LLM_POLICY_OPA_URL names a running server, push the pack and check
  every example, and load a built bundle with `opa run --server --bundle`; findings, positions and
  exit codes must equal the embedded engine's. Without one they skip and say so: nothing here
  pretends to be OPA.
- the client's failure handling, against local sockets these tests control: a closed port, and a
  small HTTP server on 127.0.0.1 that answers 500, 401, 403, too slowly, or with an undefined
  decision. Each must be exit 2 with a clear message, never a pass.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import pytest

from conftest import EXAMPLES, FIXED_DATE

VALID = EXAMPLES / "valid"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- a local HTTP server that misbehaves on request (not an OPA stand-in) ------------------------


class Recorder:
    """What the fake answers with, and what it was asked."""

    def __init__(self, status: int = 200, body: Any = None, delay: float = 0.0, raw: Optional[bytes] = None,
                 respond: Optional[Callable[[str, str], Optional[tuple[int, Any]]]] = None):
        self.status, self.body, self.delay, self.raw, self.respond = status, body, delay, raw, respond
        self.requests: list[tuple[str, str, dict[str, str]]] = []


def serve(recorder: Recorder) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            recorder.requests.append((self.command, self.path, dict(self.headers)))
            if recorder.delay:
                time.sleep(recorder.delay)
            status, body = recorder.status, recorder.body
            scripted = recorder.respond(self.command, self.path) if recorder.respond else None
            if scripted is not None:
                status, body = scripted
            payload = recorder.raw if recorder.raw is not None else json.dumps(body or {}).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                pass

        do_GET = do_POST = do_PUT = do_DELETE = _answer

        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def fake() -> Iterator[Callable[..., tuple[Recorder, str]]]:
    servers: list[ThreadingHTTPServer] = []

    def start(**kwargs: Any) -> tuple[Recorder, str]:
        recorder = Recorder(**kwargs)
        server, url = serve(recorder)
        servers.append(server)
        return recorder, url

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def fails_closed(result: Any, *fragments: str) -> None:
    """Exit 2 and a run fault whose message holds every fragment."""
    assert result.code == 2, result.out + result.err
    report = result.report
    messages = [f["message"] for f in report["faults"]] + [f["message"] for r in report["files"] for f in r.get("faults", [])]
    assert any(all(x in m for x in fragments) for m in messages), messages


def check(cli: Any, url: str, *extra: str) -> Any:
    return cli("check", "--engine", "opa", "--opa-url", url, "--opa-retries", "0", "-f", "json", *extra, str(VALID / "cloud-api"))


def test_connection_refused_is_exit_2(cli: Any) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # bound, then released: nothing listens
    fails_closed(check(cli, url), "cannot connect to the OPA server at " + url, "Connection refused")


def test_server_error_is_exit_2(cli: Any, fake: Any) -> None:
    _, url = fake(status=500, body={"code": "internal_error", "message": "storage exploded"})
    fails_closed(check(cli, url), "answered HTTP 500", "storage exploded")


@pytest.mark.parametrize("status", [401, 403])
def test_auth_failure_is_exit_2_and_names_the_token(cli: Any, fake: Any, status: int) -> None:
    _, url = fake(status=status, body={"code": "unauthorized", "message": "request rejected by administrative policy"})
    fails_closed(check(cli, url), f"HTTP {status}", "--opa-token", "rejected by administrative policy")


def test_timeout_is_exit_2(cli: Any, fake: Any) -> None:
    recorder, url = fake(delay=3.0, body={"result": {}})
    started = time.monotonic()
    result = check(cli, url, "--opa-timeout", "0.5")
    assert time.monotonic() - started < 2.5, "the timeout was not applied"
    fails_closed(result, "did not answer within 0.5 s", "--opa-timeout")
    assert len(recorder.requests) == 1, "a query that timed out must not be re-sent"


def test_undefined_decision_is_exit_2(cli: Any, fake: Any) -> None:
    """A server without our policies answers `{}` (undefined): an error, never a pass."""
    _, url = fake(body={})
    fails_closed(check(cli, url), "undefined decision", "no policies under data.llm_policy.rules", "bundle")


def test_server_with_another_policy_set_is_exit_2(cli: Any, fake: Any) -> None:
    """A defined but different decision (packages missing) would drop findings: an error."""
    _, url = fake(body={"result": {"lp101": {"findings": []}}})
    fails_closed(check(cli, url), "does not hold package llm_policy.rules.")


def test_answer_that_is_not_json_is_exit_2(cli: Any, fake: Any) -> None:
    _, url = fake(raw=b"<html>proxy login</html>")
    fails_closed(check(cli, url), "OPA server at " + url)


def test_push_upload_refused_is_exit_2(cli: Any, fake: Any) -> None:
    _, url = fake(status=401, body={"code": "unauthorized", "message": "missing token"})
    fails_closed(check(cli, url, "--opa-push"), "refused", "--opa-token")


def test_token_prefix_and_query_shape(cli: Any, fake: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The token goes out as a bearer header, a path prefix is kept, and a manifest is one POST
    per package root with the manifest as `input`."""
    recorder, url = fake(body={})
    monkeypatch.setenv("LLM_POLICY_OPA_TOKEN", "s3cret")
    check(cli, url + "/opa")
    method, path, headers = recorder.requests[0]
    assert (method, path) == ("POST", "/opa/v1/data/llm_policy/rules")
    assert headers.get("Authorization") == "Bearer s3cret"


@pytest.mark.parametrize(
    "url,expected",
    [
        ("http://127.0.0.1:8181", (False, "127.0.0.1", 8181, "v1")),
        ("https://opa.example.com", (True, "opa.example.com", 443, "v1")),
        ("https://gw.example.com/opa/", (True, "gw.example.com", 443, "opa/v1")),
        ("http://localhost:8181/v1", (False, "localhost", 8181, "v1")),
        ("http://[::1]:8181", (False, "[::1]", 8181, "v1")),
    ],
)
def test_url_parsing(url: str, expected: tuple) -> None:
    from llm_policy.engines.opa_server import parse_url

    address = parse_url(url)
    assert (address.ssl, address.host, address.port, address.root) == expected


@pytest.mark.parametrize("url", ["opa.example.com:8181", "ftp://x", "http://user:pw@x", "http://x:99999", "http://x?a=1"])
def test_bad_urls_are_refused(url: str) -> None:
    from llm_policy.engines.opa_server import parse_url

    with pytest.raises(ValueError, match="invalid --opa-url"):
        parse_url(url)


def _compile_error(policy: str, row: int) -> tuple[int, Any]:
    return 400, {"code": "invalid_parameter", "message": "error(s) occurred while compiling module(s)",
                 "errors": [{"code": "rego_type_error", "message": "undefined function data.llm_policy.lib.sources",
                             "location": {"file": policy, "row": row, "col": 2}}]}


def test_push_retries_modules_until_their_dependencies_are_loaded(cli: Any, fake: Any) -> None:
    """A module PUT that fails to compile is retried after the others: the order of files must not
    matter, since OPA compiles each upload against what is already loaded."""
    first = "/v1/policies/llm-policy/builtin/lib/catalog.rego"
    rejected: list[str] = []

    def respond(method: str, path: str) -> Optional[tuple[int, Any]]:
        if method == "PUT" and path.startswith("/v1/data/"):
            return 204, None
        if method == "GET" and path == "/v1/policies/":
            return 200, {"result": [{"id": "llm-policy/builtin/rules/renamed_away.rego"}, {"id": "someone-else"}]}
        if method == "PUT" and path == first and not rejected:
            rejected.append(path)
            return _compile_error(first[len("/v1/policies/"):], 3)
        if method in ("PUT", "DELETE"):
            return 200, {}
        return None  # the query: undefined, which ends the run after the upload

    recorder, url = fake(body={}, respond=respond)
    result = check(cli, url, "--opa-push")
    puts = [path for method, path, _ in recorder.requests if method == "PUT" and path.startswith("/v1/policies/")]
    assert rejected and puts.count(first) == 2 and puts[-1] == first
    deletes = [path for method, path, _ in recorder.requests if method == "DELETE"]
    assert deletes == ["/v1/policies/llm-policy/builtin/rules/renamed_away.rego"], "only our own stale policies go"
    fails_closed(result, "undefined decision")


def test_push_compile_error_points_into_the_policy(cli: Any, fake: Any) -> None:
    target = "/v1/policies/llm-policy/builtin/lib/catalog.rego"

    def respond(method: str, path: str) -> Optional[tuple[int, Any]]:
        if method == "PUT" and path == target:
            return _compile_error(target[len("/v1/policies/"):], 7)
        if method == "PUT" and path.startswith("/v1/data/"):
            return 204, None
        if method == "GET":
            return 200, {"result": []}
        return 200, {}

    _, url = fake(respond=respond)
    result = check(cli, url, "--opa-push")
    assert result.code == 2
    faults = result.report["faults"]
    assert [(f["file"], f["line"], f["column"]) for f in faults] == [("builtin:lib/catalog.rego", 7, 2)], faults
    assert "undefined function data.llm_policy.lib.sources" in faults[0]["message"]


@pytest.mark.parametrize(
    "args,message",
    [
        (["--engine", "opa"], "needs the server's address"),
        (["--opa-push"], "only apply to --engine opa"),
        (["--engine", "opa", "--opa-url", "ftp://x"], "invalid --opa-url"),
        (["--engine", "opa", "--opa-url", "http://127.0.0.1:9", "--date", "2026-01-01"], "--date needs --opa-push"),
        (["--engine", "opa", "--opa-url", "http://127.0.0.1:9", "--data", "x.json"], "--data needs --opa-push"),
        (["--engine", "nope"], "unknown engine"),
    ],
)
def test_usage_mistakes_are_exit_2(cli: Any, args: list[str], message: str) -> None:
    result = cli("check", *args, str(VALID / "cloud-api"))
    assert result.code == 2
    assert message in result.err + result.out


# --- a real OPA server ----------------------------------------------------------------------------

OPA_BINARY = shutil.which("opa")
OPA_URL = os.environ.get("LLM_POLICY_OPA_URL")
needs_opa = pytest.mark.skipif(
    not OPA_BINARY and not OPA_URL,
    reason="no real OPA server: no `opa` binary on PATH and LLM_POLICY_OPA_URL is not set "
    "(no registry reachable here ships an OPA binary; see docs/engines.md)",
)
needs_binary = pytest.mark.skipif(not OPA_BINARY, reason="no `opa` binary on PATH to start a server with a bundle")


def wait_healthy(url: str, process: Optional[subprocess.Popen] = None, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"opa exited with {process.returncode}: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            with urllib.request.urlopen(url + "/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"OPA at {url} did not become healthy within {timeout} s")


def start_opa(*extra: str) -> tuple[subprocess.Popen, str]:
    assert OPA_BINARY
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([OPA_BINARY, "run", "--server", "--addr", f"127.0.0.1:{port}", "--log-level", "error", *extra],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_healthy(url, process)
    except Exception:
        stop(process)
        raise
    return process, url


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def opa_url() -> Iterator[str]:
    if OPA_URL:
        wait_healthy(OPA_URL.rstrip("/"), timeout=10)
        yield OPA_URL
        return
    process, url = start_opa()
    try:
        yield url
    finally:
        stop(process)


def comparable(result: Any) -> tuple[int, list[tuple]]:
    rows = []
    for file in result.report["files"]:
        for f in file["findings"]:
            rows.append((file["path"], f["rule_id"], f["severity"], f["message"], f["line"], f["column"], f.get("source_id")))
    return result.code, sorted(rows)


def example_manifests() -> list[Path]:
    return sorted(p.parent for p in EXAMPLES.rglob("llm-sourcing.yaml"))


@needs_opa
@pytest.mark.parametrize("example", example_manifests(), ids=lambda p: p.relative_to(EXAMPLES).as_posix())
def test_push_mode_matches_the_embedded_engine(cli: Any, opa_url: str, example: Path) -> None:
    embedded = cli("check", "--date", FIXED_DATE, "-f", "json", str(example))
    served = cli("check", "--engine", "opa", "--opa-url", opa_url, "--opa-push", "--date", FIXED_DATE, "-f", "json", str(example))
    assert served.report["faults"] == []
    assert comparable(served) == comparable(embedded)


@needs_binary
def test_bundle_loads_in_stock_opa_and_answers_the_same(cli: Any, tmp_path: Path) -> None:
    bundle = tmp_path / "llm-policy-bundle.tar.gz"
    assert cli("bundle", "build", "-o", str(bundle)).code == 0
    process, url = start_opa("--bundle", str(bundle))
    try:
        # Query mode: the server's clock decides, so compare with the embedded engine on today.
        served = cli("check", "--engine", "opa", "--opa-url", url, "-f", "json", str(EXAMPLES))
        embedded = cli("check", "-f", "json", str(EXAMPLES))
        assert served.report["faults"] == []
        assert comparable(served) == comparable(embedded)
    finally:
        stop(process)

