"""Real OPA (Go) in-process, as the reference engine for differential conformance testing.

This wraps `opa-golib-python-bindings` (OPA compiled as a shared library). It is a test-time
dependency, not a runtime one: the bindings are alpha quality and declare Python >= 3.14. Its job
is to answer "does the embedded engine mean the same thing as OPA?" by going through exactly the
same `Engine` interface and result mapping as the default engine, so any difference in findings is
a difference between the engines and nothing else. Selectable as `--engine opa-inprocess`.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from llm_policy.engines.base import EngineError
from llm_policy.policy.policy_set import PolicySet

# OPA error text: "1 error occurred: builtin:rules/x.rego:12: rego_type_error: undefined function f"
_LOCATED = re.compile(r"(?:\d+ errors? occurred:\s*)?(?P<file>[^\s:][^\n]*?\.rego):(?P<line>\d+):\s*(?P<msg>rego_\w+:[^\n]*)")


def opa_error(message: str, fallback_file: Optional[str] = None) -> EngineError:
    """Turn OPA's `file:line: rego_*_error: text` into a located EngineError."""
    match = _LOCATED.search(message)
    if match:
        return EngineError(match.group("msg").strip(), match.group("file"), int(match.group("line")), 1)
    return EngineError(message.strip() or "OPA error", fallback_file)


class OpaInProcessEngine:
    name = "opa-inprocess"

    def __init__(self) -> None:
        try:
            from opa_bindings import OpaEngine, OpaError, OpaUndefinedError
        except ImportError as exc:
            raise EngineError(
                "the opa-inprocess engine needs opa-golib-python-bindings "
                "(pip install --ignore-requires-python opa-golib-python-bindings==0.4.4): " + str(exc)
            ) from None
        self._factory = OpaEngine
        self._error = OpaError
        self._undefined = OpaUndefinedError
        self._engine: Any = None
        self._roots: list[str] = []

    def prepare(self, policy_set: PolicySet) -> None:
        from llm_policy.engines.conftest_builtins import refuse_elsewhere

        refuse_elsewhere(policy_set.modules, self.name)
        legacy = next((m for m in policy_set.modules if m.rego_version == 0), None)
        if legacy is not None:  # the bindings parse Rego v1 only; never read v0 as something else
            raise EngineError(
                "the opa-inprocess engine reads Rego v1 only (opa-golib-python-bindings has no v0 switch), and this "
                "file is read as Rego v0 (--rego-version v0 / rego_versions); use the regorus engine, an OPA server "
                "loading a bundle (bundle build records the file's Rego version), or migrate it with `opa fmt --v0-v1`",
                legacy.path,
            )
        engine = self._factory()
        for module in policy_set.modules:
            try:
                engine.add_policy(module.path, module.text)
            except self._error as exc:
                raise opa_error(exc.message, module.path) from None
        try:
            engine.add_data(policy_set.data)
        except self._error as exc:
            raise EngineError(f"data could not be loaded: {exc.message}") from None
        # OPA compiles lazily, on the first evaluation: force it now so a broken policy is a
        # policy fault reported once, not an evaluation fault on every manifest.
        for root in policy_set.roots:
            try:
                engine.eval_document(root, {})
            except self._undefined:
                pass
            except self._error as exc:
                raise opa_error(exc.message) from None
        self._engine = engine
        self._roots = policy_set.roots

    @property
    def raw(self) -> Any:
        """The prepared `opa_bindings.OpaEngine` (to run Rego unit tests under OPA)."""
        return self._engine

    def evaluate(self, manifest: dict[str, Any]) -> dict[str, Any]:
        if self._engine is None:
            raise EngineError("engine used before prepare()")
        documents: dict[str, Any] = {}
        for root in self._roots:
            try:
                documents[root] = self._engine.eval_document(root, manifest)
            except self._undefined:
                continue
            except self._error as exc:
                raise opa_error(exc.message) from None
        return documents
