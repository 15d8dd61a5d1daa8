"""An OPA server as the engine (`--engine opa --opa-url URL`), through `opa-python-client`.

Two modes:

- query (default): the server already holds the policy set, deployed by the security team as a
  bundle (`llm-policy bundle build`). The CLI sends one `POST /v1/data/<root>` per package root and
  manifest, so every decision lands in the server's decision log, and maps the documents with the
  same code as the embedded engine. The local policy set is still loaded: its METADATA gives rule
  titles and severities, and its package list is compared with the server's, so a server holding
  a different pack is an error instead of silently dropped findings.
- push (`--opa-push`): uploads the data tree (tables and the run's context) and every module first,
  for development and tests. OPA compiles each uploaded module against what is already loaded, so
  modules are uploaded in rounds until none is left or a round makes no progress.

Anything other than a well-formed decision (refused connection, TLS failure, timeout, 401/403,
an undefined decision) is an EngineError: exit 2, never a pass.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Optional, TypeVar
from urllib.parse import urlsplit

from llm_policy.engines.base import EngineError
from llm_policy.policy.policy_set import BUILTIN_RULE_ROOT, PolicySet
from llm_policy.engines.results import lookup

POLICY_ID_PREFIX = "llm-policy/"
DEFAULT_TIMEOUT = 10.0
DEFAULT_RETRIES = 2
T = TypeVar("T")


@dataclass(frozen=True)
class ServerAddress:
    """Where the OPA REST API lives: `root` is what OpaClient calls `version` (path prefix + v1)."""

    url: str
    ssl: bool
    host: str
    port: int
    root: str


def parse_url(url: str) -> ServerAddress:
    """Split `http(s)://host[:port][/prefix]` for OpaClient; a trailing `/v1` is accepted.

    A path prefix is kept (OPA behind a gateway at https://gw.example.com/opa), because OpaClient
    builds its data and policy URLs as `scheme://host:port/<version>/...`.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"invalid --opa-url {url!r}: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"invalid --opa-url {url!r}: expected http://HOST:PORT or https://HOST[:PORT][/PATH]")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"invalid --opa-url {url!r}: no credentials, query or fragment (use --opa-token)")
    ssl = parts.scheme == "https"
    host = parts.hostname
    if ":" in host:  # IPv6 literal: OpaClient formats host:port itself
        host = f"[{host}]"
    path = parts.path.strip("/")
    if path == "v1" or path.endswith("/v1"):
        path = path[: -len("v1")].rstrip("/")
    root = f"{path}/v1" if path else "v1"
    return ServerAddress(url=url.strip().rstrip("/"), ssl=ssl, host=host, port=port or (443 if ssl else 80), root=root)


@dataclass
class OpaServerOptions:
    url: str
    token: Optional[str] = None
    ca_cert: Optional[str] = None
    client_cert: Optional[str] = None
    client_key: Optional[str] = None
    insecure: bool = False
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    push: bool = False


def policy_id(module_path: str) -> str:
    """A stable OPA policy id for a module: our prefix plus its display path, URL-safe."""
    cleaned = re.sub(r"[^A-Za-z0-9._/-]", "/", module_path)
    segments = [s for s in cleaned.split("/") if s not in ("", ".", "..")]
    return POLICY_ID_PREFIX + "/".join(segments)


def _reason(exc: BaseException) -> str:
    """The useful part of a requests/urllib3 error, e.g. 'Connection refused'."""
    text = str(exc)
    match = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", text)
    if match:
        return match.group(1).strip()
    match = re.search(r"Caused by \w+\((?:'[^']*'|\"[^\"]*\"|[^,)])*,?\s*['\"]?([^'\")]+)", text)
    if match:
        return match.group(1).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


def _body_message(response: Any) -> str:
    try:
        body = response.json()
    except ValueError:
        text = (response.text or "").strip()
        return text.splitlines()[0][:200] if text else ""
    if isinstance(body, dict):
        return ": ".join(str(body[k]) for k in ("code", "message") if body.get(k))
    return ""


class OpaServerEngine:
    name = "opa"

    def __init__(self, url: Optional[str] = None, **options: Any) -> None:
        if not url:
            raise EngineError("the opa engine needs a server URL (--opa-url URL or opa_url in the configuration)")
        self.options = OpaServerOptions(url=url, **options)
        try:
            self.address = parse_url(url)
        except ValueError as exc:
            raise EngineError(str(exc)) from None
        self._client: Any = None
        self._policy_set: Optional[PolicySet] = None
        self._roots: list[str] = []
        self._ids: dict[str, str] = {}  # policy id -> module display path, for error locations
        self._sockets: Any = None  # http_deadline.SocketRegistry of the current client

    # -- connection ------------------------------------------------------------------------

    def _connect(self) -> Any:
        try:
            from opa_client import OpaClient
        except ImportError as exc:  # a declared dependency; only a broken install gets here
            raise EngineError(f"the opa engine needs opa-python-client: {exc}") from None
        o = self.options
        cert: Any = None
        if o.client_cert:
            cert = (o.client_cert, o.client_key) if o.client_key else o.client_cert
        # OpaClient uses `ssl` both as "https" and as requests' `verify`, so a CA bundle path
        # passed as `ssl` selects https and verifies against that bundle.
        ssl: Any = (o.ca_cert or True) if self.address.ssl else False
        client = OpaClient(
            host=self.address.host,
            port=self.address.port,
            version=self.address.root,
            ssl=ssl,
            cert=cert,
            token=o.token,
            retries=o.retries,
            timeout=o.timeout,
        )
        if self.address.ssl and o.insecure:
            import urllib3

            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
            client._session.verify = False  # OpaClient has no public switch for this
        from llm_policy.engines.http_deadline import SocketRegistry, instrument

        self._sockets = SocketRegistry()
        instrument(client._session, self._sockets)
        return client

    def _call(self, what: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run one client call; every transport or HTTP failure becomes a clear EngineError.

        The call is bounded by `--opa-timeout` in wall-clock time (headers and body together, all
        retries included), not only per socket read: a server that trickles its answer is cut off.
        """
        import requests
        from opa_client.errors import RegoParseError

        from llm_policy.engines.http_deadline import WallClockTimeout, call_within

        where = f"OPA server at {self.address.url}"
        try:
            return call_within(self.options.timeout, self._sockets, fn, *args, **kwargs)
        except WallClockTimeout:
            self._client = self._connect()  # the cut connection is gone; the next call starts afresh
            raise EngineError(
                f"the {where} did not answer within {self.options.timeout:g} s ({what}; the answer was still "
                "incomplete when the time ran out); raise --opa-timeout if the server is slow"
            ) from None
        except requests.exceptions.SSLError as exc:
            raise EngineError(
                f"TLS error talking to the {where} ({what}): {_reason(exc)}; "
                "pass the server's CA with --opa-ca-cert FILE (or --opa-insecure for a test server)"
            ) from None
        except requests.exceptions.Timeout:
            raise EngineError(
                f"the {where} did not answer within {self.options.timeout:g} s ({what}); "
                "raise --opa-timeout if the server is slow"
            ) from None
        except requests.exceptions.ConnectionError as exc:
            raise EngineError(f"cannot connect to the {where} ({what}): {_reason(exc)}") from None
        except requests.exceptions.HTTPError as exc:
            response = exc.response
            status = response.status_code if response is not None else 0
            detail = _body_message(response) if response is not None else ""
            if status in (401, 403):
                raise EngineError(
                    f"the {where} refused {what} (HTTP {status}{': ' + detail if detail else ''}); "
                    "check --opa-token / LLM_POLICY_OPA_TOKEN and the server's authorization policy"
                ) from None
            raise EngineError(f"the {where} answered HTTP {status} to {what}{': ' + detail if detail else ''}") from None
        except RegoParseError as exc:
            raise self._rego_error(what, exc) from None
        except json.JSONDecodeError:  # requests' own JSONDecodeError derives from it
            raise EngineError(f"the {where} answered {what} with something that is not JSON (a proxy or login page?)") from None
        except requests.exceptions.RequestException as exc:
            raise EngineError(f"the {where} sent an unusable answer to {what}: {_reason(exc)}") from None
        except ValueError as exc:  # json decoding outside requests' wrapper
            raise EngineError(f"the {where} sent an answer to {what} that is not JSON: {exc}") from None

    def _rego_error(self, what: str, exc: Any) -> EngineError:
        """OPA rejected an upload: locate the first compile error in our module, if it has one."""
        code, message = str(exc.expression or ""), str(exc.message or "")
        if code in ("unauthorized", "forbidden") or "unauthorized" in message.lower():
            return EngineError(
                f"the OPA server at {self.address.url} refused {what} ({code}: {message}); check --opa-token / LLM_POLICY_OPA_TOKEN"
            )
        for error in exc.errors or []:
            if not isinstance(error, dict):
                continue
            location = error.get("location") or {}
            file = self._ids.get(str(location.get("file", "")), location.get("file"))
            text = f"{error.get('code', code)}: {error.get('message', message)}"
            return EngineError(text, file or None, location.get("row"), location.get("col"))
        detail = ": ".join(x for x in (code, message) if x and x != "None") or "without saying why"
        return EngineError(f"the OPA server at {self.address.url} rejected {what}: {detail}")

    # -- Engine ------------------------------------------------------------------------------

    def prepare(self, policy_set: PolicySet) -> None:
        from llm_policy.engines.conftest_builtins import refuse_elsewhere

        refuse_elsewhere(policy_set.modules, "OPA server")  # before connecting: nothing is evaluated
        self._policy_set = policy_set
        self._client = self._connect()
        packages = {m.package for m in policy_set.modules if not m.is_test}
        # Only roots the local set has modules under: the result mapping reads no others.
        self._roots = [r for r in policy_set.roots if any(p == r or p.startswith(r + ".") for p in packages)]
        if self.options.push:
            self._push(policy_set)
        # One probe before any manifest: a server without our policies is one clear run fault.
        self.evaluate({})

    def _push(self, policy_set: PolicySet) -> None:
        legacy = next((m for m in policy_set.modules if m.rego_version == 0 and not m.is_test), None)
        if legacy is not None:  # the policy API parses with the server's one Rego version (v1 for OPA 1.x)
            raise EngineError(
                "--opa-push uploads Rego v1 only, and this file is read as Rego v0 (--rego-version v0 / rego_versions); "
                "deploy it in a bundle instead (llm-policy bundle build records each file's Rego version in "
                ".manifest file_rego_versions), or migrate it with `opa fmt --v0-v1`",
                legacy.path,
            )
        client = self._client
        for key, value in sorted(policy_set.data.items()):
            if not isinstance(value, dict):
                raise EngineError(f"push mode uploads data per top-level key; data.{key} must be an object")
            self._call(f"the upload of data.{key}", client.update_or_create_data, value, key)
        modules = [m for m in policy_set.modules if not m.is_test]
        self._ids = {policy_id(m.path): m.path for m in modules}
        existing = self._call("listing policies", client.get_policies_list)
        for stale in sorted(set(existing) - set(self._ids)):
            if isinstance(stale, str) and stale.startswith(POLICY_ID_PREFIX):
                self._call(f"deleting stale policy {stale}", client.delete_policy, stale)
        # OPA compiles each PUT against what is loaded: a module calling a function of a module
        # not uploaded yet fails now and succeeds in a later round.
        pending = modules
        while pending:
            failed: list[tuple[Any, EngineError]] = []
            for module in pending:
                try:
                    self._call(
                        f"the upload of {module.path}",
                        client.update_policy_from_string,
                        module.text,
                        policy_id(module.path),
                        rego_compat=False,  # never let the client rewrite our Rego with regexes
                    )
                except EngineError as exc:
                    if exc.file is None:  # transport, auth: no point in another round
                        raise
                    failed.append((module, exc))
            if len(failed) == len(pending):
                raise failed[0][1]
            pending = [module for module, _ in failed]

    def evaluate(self, manifest: dict[str, Any]) -> dict[str, Any]:
        if self._client is None or self._policy_set is None:
            raise EngineError("engine used before prepare()")
        documents: dict[str, Any] = {}
        for root in self._roots:
            response = self._call(
                f"the query data.{root}", self._client.query_rule, input_data=manifest, package_path=root
            )
            if not isinstance(response, dict):
                raise EngineError(f"the OPA server at {self.address.url} answered the query data.{root} with {type(response).__name__}")
            if "result" not in response:
                raise EngineError(
                    f"undefined decision: the OPA server at {self.address.url} has no policies under data.{root}; "
                    "deploy the llm-policy bundle to it (llm-policy bundle build) or use --opa-push"
                )
            documents[root] = response["result"]
        self._check_packages(documents)
        return documents

    def _check_packages(self, documents: dict[str, Any]) -> None:
        """The server must hold exactly the local rule packages, each answering a well-formed
        document, or findings would be lost.

        A package that defines a partial set rule (`findings contains ...`, `deny contains ...`)
        always has that rule in its document, as an array (an empty set when nothing fires), in
        OPA as in regorus. So a missing key, `null`, a non-array or an item that is not a finding
        object is a server that runs something else (or a proxy that rewrote the answer): a run
        fault, never "no findings".
        """
        assert self._policy_set is not None
        local = {m.package for m in self._policy_set.modules if not m.is_test}
        root_doc = documents.get(BUILTIN_RULE_ROOT)
        for package, rules in sorted(_expected_rules(self._policy_set).items()):
            if package.startswith(BUILTIN_RULE_ROOT + "."):
                document = lookup(root_doc, package[len(BUILTIN_RULE_ROOT) + 1 :].split("."))
            else:
                document = documents.get(package)
            if document is None:
                raise EngineError(
                    f"the OPA server at {self.address.url} does not hold package {package}: "
                    "it runs a different policy set than this llm-policy (deploy the same bundle, or use --opa-push)"
                )
            for rule in rules:
                problem = _malformed(document, rule)
                if problem:
                    raise EngineError(
                        f"the OPA server at {self.address.url} answered package {package} with {problem}; "
                        f"every package must answer `{rule}` as an array of findings, so the server runs a different "
                        "policy set than this llm-policy (deploy the same bundle, or use --opa-push)"
                    )
        for package in _rule_packages(root_doc, BUILTIN_RULE_ROOT):
            if package not in local:
                raise EngineError(
                    f"the OPA server at {self.address.url} holds package {package}, which the local policy set lacks, "
                    "so its findings could not be reported; load the same policies locally (--policy DIR) or upgrade llm-policy"
                )


# A partial set rule's head: `findings contains f if`, `deny contains msg`, or the v0 `deny[msg]`.
_SET_RULE = re.compile(r"^(findings|(?:deny|violation|warn)(?:_[A-Za-z0-9]+)*)\s*(?:contains\b|\[)", re.MULTILINE)


def _expected_rules(policy_set: PolicySet) -> dict[str, set[str]]:
    """{package: the set rules its modules define, which its document must carry}."""
    expected: dict[str, set[str]] = {}
    for module in policy_set.modules:
        if module.is_test:
            continue
        package = module.package
        builtin = package.startswith(BUILTIN_RULE_ROOT + ".")
        if not builtin and package not in policy_set.namespaces:
            continue
        for match in _SET_RULE.finditer(module.text):
            rule = match.group(1)
            if (rule == "findings") == builtin:
                expected.setdefault(package, set()).add(rule)
    return {package: rules for package, rules in expected.items() if rules}


def _malformed(document: Any, rule: str) -> str:
    """What is wrong with `document[rule]` as a set of findings ("" when it is well formed)."""
    if not isinstance(document, dict):
        return f"a {_json_type(document)} instead of a package document"
    if rule not in document:
        return f"no `{rule}`"
    items = document[rule]
    if not isinstance(items, list):
        return f"`{rule}` as {_json_type(items)}"
    for item in items:
        if isinstance(item, str) and rule != "findings" and item:
            continue  # conftest style: a message string
        if not isinstance(item, dict) or not isinstance(item.get("msg"), str) or not item["msg"]:
            return f"a malformed item in `{rule}` ({_json_type(item)} without a `msg` string)"
    return ""


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _rule_packages(document: Any, prefix: str) -> Iterator[str]:
    """Packages in a returned document tree that define built-in style `findings`."""
    if not isinstance(document, dict):
        return
    if "findings" in document:
        yield prefix
    for key, value in document.items():
        if key != "findings" and isinstance(value, dict):
            yield from _rule_packages(value, f"{prefix}.{key}")
