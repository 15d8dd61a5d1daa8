"""Run Rego unit tests (`test_*` rules in `*_test.rego`), like `opa test` and `conftest verify`.

A test passes when its rule evaluates to true, fails when it is false or undefined, and errors
when evaluation raises. Coverage comes from the engine's own coverage report.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any, Literal, Optional

from llm_policy.evaluate.engine import EngineError
from llm_policy.evaluate.policies import Module, PolicySet

_TEST_RULE = re.compile(r"^(test_[A-Za-z0-9_]*)\b", re.MULTILINE)


@dataclass
class TestResult:
    package: str
    name: str
    file: str
    line: int
    outcome: Literal["pass", "fail", "error"]
    duration_ms: float
    message: str = ""


@dataclass
class VerifyResult:
    tests: list[TestResult] = field(default_factory=list)
    coverage: Optional[float] = None  # percent of covered lines in non-test modules
    uncovered: dict[str, list[int]] = field(default_factory=dict)


def test_rules(module: Module) -> list[tuple[str, int]]:
    found: dict[str, int] = {}
    for match in _TEST_RULE.finditer(module.text):
        found.setdefault(match.group(1), module.text.count("\n", 0, match.start()) + 1)
    return list(found.items())


def run_tests(policy_set: PolicySet, selected: list[Module], coverage: bool = False) -> VerifyResult:
    from llm_policy.evaluate.regorus_engine import RegorusEngine, engine_error

    engine = RegorusEngine()
    engine.prepare(policy_set)
    raw = engine.raw
    if coverage:
        raw.set_enable_coverage(True)
        raw.clear_coverage_data()
    raw.set_input_json("{}")
    result = VerifyResult()
    for module in selected:
        for name, line in test_rules(module):
            started = time.perf_counter()
            try:
                outcome = json.loads(raw.eval_query_as_json(f"data.{module.package}.{name}"))
                rows = outcome.get("result") or []
                value: Any = rows[0]["expressions"][0]["value"] if rows else None
                status: Literal["pass", "fail", "error"] = "pass" if value is True else "fail"
                message = "" if value is True else ("undefined" if value is None else f"evaluated to {json.dumps(value)}")
            except Exception as exc:  # noqa: BLE001
                error = engine_error(exc, module.path)
                status, message = "error", _where(error) + error.message
            elapsed = (time.perf_counter() - started) * 1000
            result.tests.append(TestResult(module.package, name, module.path, line, status, elapsed, message))
    if coverage:
        result.coverage, result.uncovered = _coverage(raw, policy_set)
    return result


def _where(error: EngineError) -> str:
    return f"{error.file}:{error.line}:{error.column}: " if error.file and error.line else ""


def _coverage(raw: Any, policy_set: PolicySet) -> tuple[float, dict[str, list[int]]]:
    report = json.loads(raw.get_coverage_report_as_json())
    covered_total = 0
    lines_total = 0
    uncovered: dict[str, list[int]] = {}
    tests = {m.path for m in policy_set.modules if m.is_test}
    for entry in report.get("files", []):
        path = entry.get("path")
        if path in tests:
            continue
        covered = entry.get("covered") or []
        missing = entry.get("not_covered") or []
        covered_total += len(covered)
        lines_total += len(covered) + len(missing)
        if missing:
            uncovered[path] = sorted(missing)
    percent = 100.0 * covered_total / lines_total if lines_total else 100.0
    return percent, uncovered
