"""The one small interface every Rego engine implements.

An engine receives a `PolicySet` once (`prepare`) and then evaluates manifests one at a time,
returning the raw document of each requested package root. Mapping those documents to located
findings is engine-independent (`evaluate.results`), which is what makes the in-process engine,
an OPA server and the OPA conformance engine interchangeable and comparable.
"""

from __future__ import annotations

from typing import Any, Optional, Protocol

from llm_policy.evaluate.policies import PolicySet


class EngineError(Exception):
    """Evaluation failed; never a pass. Location points into a policy file when known."""

    def __init__(self, message: str, file: Optional[str] = None, line: Optional[int] = None, column: Optional[int] = None):
        super().__init__(message)
        self.message, self.file, self.line, self.column = message, file, line, column


class Engine(Protocol):
    name: str

    def prepare(self, policy_set: PolicySet) -> None:
        """Compile or upload the policy set; raise EngineError for broken policies."""

    def evaluate(self, manifest: dict[str, Any]) -> dict[str, Any]:
        """Return {root package: its document} for `policy_set.roots`; undefined roots are omitted."""


def create_engine(name: str, **options: Any) -> Engine:
    if name == "regorus":
        from llm_policy.evaluate.regorus_engine import RegorusEngine

        return RegorusEngine(**options)
    if name == "opa":
        from llm_policy.evaluate.opa_server import OpaServerEngine

        return OpaServerEngine(**options)
    if name == "opa-inprocess":
        from llm_policy.evaluate.opa_inprocess import OpaInProcessEngine

        return OpaInProcessEngine(**options)
    raise KeyError(name)


# regorus: embedded (default); opa: an OPA server over REST; opa-inprocess: real OPA via the
# test-only Go bindings, the reference for differential conformance tests.
ENGINES = ("regorus", "opa", "opa-inprocess")
