"""The one small interface every Rego engine implements (the engines themselves: `factory`).

An engine receives a `PolicySet` once (`prepare`) and then evaluates manifests one at a time,
returning the raw document of each requested package root. Mapping those documents to located
findings is engine-independent (`engines.results`), which is what makes the in-process engine,
an OPA server and the OPA conformance engine interchangeable and comparable.
"""

from __future__ import annotations

from typing import Any, Optional, Protocol

from llm_policy.policy.policy_set import PolicySet


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
