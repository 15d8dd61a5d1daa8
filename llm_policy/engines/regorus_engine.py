"""The default engine: regorus (Rust) in-process. No server, no network, a few ms per manifest.

Policies are compiled once per process and the engine is reused for every manifest. regorus
reports some compile errors (undefined functions) only when a package is first evaluated, so
`prepare` evaluates every custom package, and the built-in root when custom modules or data are in
it, once against an empty input to surface them before any manifest is checked.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any, Optional

from llm_policy.engines.base import EngineError
from llm_policy.policy.policy_set import PolicySet

_LOCATION = re.compile(r"-->\s*(?P<file>.+?):(?P<line>\d+):(?P<col>\d+)")
_MESSAGE = re.compile(r"^error:\s*(?P<msg>.+)$", re.MULTILINE)
# "extension '__cf1700000000003' raises Python error: BuiltinError: text" -> "parse_config_file: text"
_EXTENSION_ERROR = re.compile(r"extension '(?P<name>[^']+)' raises Python error: (?:BuiltinError|RuntimeError): ")


def _extension_name(match: "re.Match[str]") -> str:
    name = match.group("name")
    from llm_policy.engines.conftest_builtins import original_name

    return original_name(name) + ": "


def engine_error(exc: BaseException, fallback_file: Optional[str] = None) -> EngineError:
    """Turn regorus' caret-style error text into a located EngineError."""
    text = str(exc)
    location = _LOCATION.search(text)
    message = _MESSAGE.search(text)
    msg = message.group("msg").strip() if message else text.strip().splitlines()[-1] if text.strip() else type(exc).__name__
    msg = _EXTENSION_ERROR.sub(_extension_name, msg)
    if location:
        return EngineError(msg, location.group("file"), int(location.group("line")), int(location.group("col")))
    return EngineError(msg, fallback_file)


def parses_as(text: str, version: int) -> bool:
    """Whether regorus parses `text` as Rego `version` (0 or 1)."""
    import regorus

    probe = regorus.Engine()
    probe.set_rego_v0(version == 0)
    try:
        probe.add_policy("probe.rego", text)
    except Exception:  # noqa: BLE001
        return False
    return True


def version_hint(error: EngineError, module: Any) -> EngineError:
    """A parse error caused by the wrong Rego version says so, and names the flag that fixes it."""
    other = 1 - module.rego_version
    if not parses_as(module.text, other):
        return error
    if module.rego_version == 1:
        message = (
            f"{error.message}: this file is Rego v0 (pre-OPA-1.0 syntax such as `deny[msg] {{` without `if`/`contains`), "
            "and custom policies are read as Rego v1; pass --rego-version v0 (or `rego_version: v0`, or "
            "`rego_versions: {DIR: v0}` in .llm-policy.yaml), or migrate the file with `opa fmt --v0-v1`"
        )
    else:
        message = (
            f"{error.message}: this file is Rego v1, but its directory is read as Rego v0 (--rego-version v0 or "
            "rego_version/rego_versions in .llm-policy.yaml); read it as v1"
        )
    return EngineError(message, error.file or module.path, error.line, error.column)


def _network_disabled(_request: Any) -> Any:
    raise RuntimeError("http.send is disabled: llm-policy policies may not make network calls")


def _add_data(engine: Any, policy_set: PolicySet) -> None:
    """Load `policy_set.data`: its JSON documents as read when the set has them, else serialised.

    regorus merges documents as `deep_merge` does where they agree and refuses where two give one
    key different values (deep_merge lets the later win): then the data is loaded again from the
    merged object, so the engine always holds exactly `policy_set.data`.
    """
    documents = policy_set.data_json_for(policy_set.data) if hasattr(policy_set, "data_json_for") else None
    if documents is not None:
        try:
            for document in documents:
                engine.add_data_json(document)
            return
        except Exception:  # noqa: BLE001 - a conflict or a parse difference: load the merged object
            engine.clear_data()
    try:
        engine.add_data_json(json.dumps(policy_set.data))
    except Exception as exc:  # noqa: BLE001
        raise EngineError(f"data could not be loaded: {exc}") from None


class RegorusEngine:
    name = "regorus"

    def __init__(self) -> None:
        os.environ["RUST_BACKTRACE"] = "0"  # otherwise error strings carry Rust backtraces
        import regorus

        self._regorus = regorus
        self._engine: Any = None
        self._roots: list[str] = []

    def prepare(self, policy_set: PolicySet) -> None:
        engine = self._regorus.Engine()
        # regorus lists http.send but evaluates it to undefined, which silently skips any rule that
        # depends on a response: replace it with an error so such a policy fails closed.
        engine.add_extension("http.send", 1, _network_disabled)
        # conftest's parse_config* built-ins, registered here so the deadline worker's engine has them too.
        # A set whose texts never name them (the built-in pack) cannot call them: no import, no extension.
        texts: dict[int, str] = {}
        if any("parse_co" in module.text for module in policy_set.modules):  # parse_config*, parse_combined_config_files
            from llm_policy.engines.conftest_builtins import register

            texts = register(engine, policy_set.modules)
        for index, module in enumerate(policy_set.modules):
            engine.set_rego_v0(module.rego_version == 0)  # read per module: regorus parses on add
            try:
                engine.add_policy(module.path, texts.get(index, module.text))
            except Exception as exc:  # noqa: BLE001 - regorus raises RuntimeError/ValueError
                raise version_hint(engine_error(exc, module.path), module) from None
        engine.set_rego_v0(False)
        _add_data(engine, policy_set)
        engine.set_input_json("{}")
        # Only roots that some module defines are evaluated per manifest (no query for an empty
        # `main` namespace). Evaluating every package of custom policies and every root once here
        # surfaces the errors regorus reports only at evaluation, as policy faults before any
        # manifest. It also builds regorus' one-time evaluation state (~12 ms, paid by an engine's
        # first evaluation whatever it is): in the time-limited worker that happens while the
        # caller reads the manifest, not on the first manifest's clock (a one-file check, from the
        # fork to the end: median 72 against 87 ms over 30 interleaved runs; the trivial query `1`
        # instead of the pack measured the same), and check workers forked after it share it.
        roots = [r for r in policy_set.roots if any(m.package == r or m.package.startswith(r + ".") for m in policy_set.modules)]
        # Test modules are left to `verify`, which reports a test that raises as that test's error.
        checks = [(m.package, m.path) for m in policy_set.modules if not m.path.startswith("builtin:") and not m.is_test]
        checks += [(root, None) for root in roots]
        for package, path in dict.fromkeys(checks):
            try:
                engine.eval_query_as_json(f"data.{package}")
            except Exception as exc:  # noqa: BLE001
                raise engine_error(exc, path) from None
        self._engine = engine
        self._roots = roots

    @property
    def raw(self) -> Any:
        """The prepared regorus.Engine (for `verify`, which runs test rules)."""
        return self._engine

    def evaluate(self, manifest: dict[str, Any]) -> dict[str, Any]:
        return documents_from_results(json.loads(self.evaluate_json(json.dumps(manifest))))

    def evaluate_json(self, manifest_json: str) -> str:
        """`evaluate` as JSON text in and out, without parsing anything here.

        The result is `{root: regorus' raw result for data.<root>}`; `documents_from_results`
        turns its parsed form into `evaluate`'s answer. The time-limited worker uses this, so a
        manifest crosses the process boundary as text once each way instead of being decoded and
        re-encoded on both sides (~0.3 ms of a ~3 ms evaluation).
        """
        if self._engine is None:
            raise EngineError("engine used before prepare()")
        engine = self._engine
        try:
            engine.set_input_json(manifest_json)
            parts = [f"{json.dumps(root)}:{engine.eval_query_as_json(f'data.{root}')}" for root in self._roots]
            return "{" + ",".join(parts) + "}"
        except EngineError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise engine_error(exc) from None


def documents_from_results(results: dict[str, Any]) -> dict[str, Any]:
    """{root: parsed raw result} -> {root: its document}; roots without a document are left out."""
    documents: dict[str, Any] = {}
    for root, result in results.items():
        rows = result.get("result") or []
        if rows:
            documents[root] = rows[0]["expressions"][0]["value"]
    return documents
