"""Differential conformance: do two engines mean the same thing by the same policies?

Each case (a loaded manifest) is evaluated by every engine and mapped to findings by the one
engine-independent mapping (`results.policy_findings`); any difference in the findings (rule id,
severity, message, path, source id, position) or in whether evaluation failed is a divergence.
Used by the test suite with the embedded engine against real OPA, and usable by custom-policy
authors to check their own policies the same way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

from llm_policy.engines.base import EngineError
from llm_policy.policy.policy_set import Module, PolicySet
from llm_policy.engines.results import policy_findings
from llm_policy.findings import Finding
from llm_policy.load import Document

FindingKey = tuple[str, str, str, str, Optional[str], int, int]


@dataclass(frozen=True)
class Divergence:
    case: str
    detail: str

    def __str__(self) -> str:
        return f"{self.case}: {self.detail}"


def finding_key(finding: Finding) -> FindingKey:
    return (finding.rule_id, finding.severity, finding.message, finding.pointer, finding.source_id, finding.line, finding.column)


def outcome(engine: Any, policy_set: PolicySet, document: Document, name: str) -> tuple[str, Any]:
    """("findings", Counter of finding keys) or ("error", message) for one engine and case."""
    try:
        documents = engine.evaluate(document.data)
        findings = policy_findings(policy_set, documents, document, name)
    except EngineError as exc:
        return "error", exc.message
    return "findings", Counter(finding_key(f) for f in findings)


def _describe(key: FindingKey) -> str:
    rule, severity, message, pointer, source, line, column = key
    return f"{rule} {severity} at {pointer or '/'} ({line}:{column}) source={source}: {message!r}"


def compare_case(engines: Sequence[Any], policy_set: PolicySet, document: Document, name: str) -> list[Divergence]:
    """Evaluate one case with every engine and report how each differs from the first."""
    reference_name = engines[0].name
    reference = outcome(engines[0], policy_set, document, name)
    divergences: list[Divergence] = []
    for engine in engines[1:]:
        other = outcome(engine, policy_set, document, name)
        if reference == other:
            continue
        if reference[0] != other[0] or reference[0] == "error":
            divergences.append(Divergence(name, f"{reference_name}: {_summary(reference)} | {engine.name}: {_summary(other)}"))
            continue
        for key in sorted((reference[1] - other[1]).elements(), key=str):
            divergences.append(Divergence(name, f"only {reference_name}: {_describe(key)}"))
        for key in sorted((other[1] - reference[1]).elements(), key=str):
            divergences.append(Divergence(name, f"only {engine.name}: {_describe(key)}"))
    return divergences


def _summary(result: tuple[str, Any]) -> str:
    kind, value = result
    return f"error {value!r}" if kind == "error" else f"{sum(value.values())} findings"


def compare_engines(engines: Sequence[Any], policy_set: PolicySet, cases: Iterable[tuple[str, Document]]) -> list[Divergence]:
    """All divergences over `cases`; the engines must already be prepared with `policy_set`."""
    divergences: list[Divergence] = []
    for name, document in cases:
        divergences.extend(compare_case(engines, policy_set, document, name))
    return divergences


def opa_test_outcomes(raw_opa: Any, modules: Iterable[Module]) -> dict[tuple[str, str], str]:
    """Run `test_*` rules under real OPA (an `opa_bindings.OpaEngine` with the tests loaded):
    pass when the rule is true, fail when false or undefined, error when evaluation raises."""
    from opa_bindings import OpaError, OpaUndefinedError

    from llm_policy.policy.verify import test_rules

    outcomes: dict[tuple[str, str], str] = {}
    for module in modules:
        # One query per test package (OPA prepares every distinct query, ~0.3 s with our data);
        # only when the package as a whole errors is each test run alone, to name the failing one.
        try:
            document = raw_opa.eval_document(module.package, {})
        except OpaError:
            document = None
        for name, _line in test_rules(module):
            if isinstance(document, dict):
                outcomes[(module.package, name)] = "pass" if document.get(name) is True else "fail"
                continue
            try:
                value = raw_opa.eval_document(f"{module.package}.{name}", {})
                outcomes[(module.package, name)] = "pass" if value is True else "fail"
            except OpaUndefinedError:
                outcomes[(module.package, name)] = "fail"
            except OpaError as exc:
                outcomes[(module.package, name)] = "error: " + exc.message
    return outcomes
