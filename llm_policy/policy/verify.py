"""Run Rego unit tests (`test_*` rules in `*_test.rego`), like `opa test` and `conftest verify`.

A test passes when its rule evaluates to true, fails when it is false or undefined, and errors
when evaluation raises. Coverage comes from the engine's own coverage report, over every non-test
policy file under test: a file no test touches is absent from that report, and counts as 0 %
(its code lines, see `code_lines`), never as left out — otherwise an untested file would raise
the percentage instead of lowering it.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any, Literal, Optional

from llm_policy.engines.base import EngineError
from llm_policy.policy.policy_set import Module, PolicySet

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
    outputs: list[str] = field(default_factory=list)  # what print() wrote during the test, "file:line: text"


@dataclass
class FileCoverage:
    path: str
    covered: int
    total: int
    missing: list[int]  # 1-based lines not covered
    touched: bool  # False: no test evaluated anything in this file

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.total if self.total else 100.0


@dataclass
class VerifyResult:
    tests: list[TestResult] = field(default_factory=list)
    coverage: Optional[float] = None  # percent of covered lines in the counted non-test modules
    uncovered: dict[str, list[int]] = field(default_factory=dict)
    files: list[FileCoverage] = field(default_factory=list)


def test_rules(module: Module) -> list[tuple[str, int]]:
    found: dict[str, int] = {}
    for match in _TEST_RULE.finditer(module.text):
        found.setdefault(match.group(1), module.text.count("\n", 0, match.start()) + 1)
    return list(found.items())


def run_tests(
    policy_set: PolicySet, selected: list[Module], coverage: bool = False, counted: Optional[list[Module]] = None
) -> VerifyResult:
    """Run the `test_*` rules of `selected`; with `coverage`, over `counted` (default: every non-test module)."""
    from llm_policy.engines.regorus_engine import RegorusEngine, engine_error

    engine = RegorusEngine()
    engine.prepare(policy_set)
    raw = engine.raw
    if coverage:
        raw.set_enable_coverage(True)
        raw.clear_coverage_data()
    raw.set_input_json("{}")
    raw.set_gather_prints(True)  # print() output goes with the test that printed it
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
            try:
                outputs = [str(p) for p in raw.take_prints()]
            except Exception:  # noqa: BLE001 - no prints to take
                outputs = []
            result.tests.append(TestResult(module.package, name, module.path, line, status, elapsed, message, outputs))
    if coverage:
        modules = counted if counted is not None else [m for m in policy_set.modules if not m.is_test]
        result.files = _coverage(raw, modules)
        covered = sum(f.covered for f in result.files)
        total = sum(f.total for f in result.files)
        result.coverage = 100.0 * covered / total if total else (100.0 if not result.files else 0.0)
        result.uncovered = {f.path: f.missing for f in result.files if f.missing}
    return result


def _where(error: EngineError) -> str:
    return f"{error.file}:{error.line}:{error.column}: " if error.file and error.line else ""


_BRACKETS_ONLY = re.compile(r"^[\s\]\)\}]*$")


def code_lines(text: str) -> list[int]:
    """Lines that hold code (not blank, comment, package, import or closing brackets alone).

    What an untouched file counts as uncovered: the engine reports no lines for a file it never
    evaluated. This counts a little more than the engine would (it never marks a multi-line
    literal's inner lines, for instance), which only lowers the figure, never raises it.
    """
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or _BRACKETS_ONLY.match(stripped):
            continue
        if re.match(r"^(package|import)\s", stripped):
            continue
        lines.append(number)
    return lines


def _coverage(raw: Any, modules: list[Module]) -> list[FileCoverage]:
    report = json.loads(raw.get_coverage_report_as_json())
    by_path = {entry.get("path"): entry for entry in report.get("files", []) if isinstance(entry, dict)}
    files: list[FileCoverage] = []
    for module in sorted(modules, key=lambda m: m.path):
        entry = by_path.get(module.path)
        if entry is None:
            lines = code_lines(module.text)
            files.append(FileCoverage(module.path, 0, len(lines), lines, touched=False))
            continue
        covered = entry.get("covered") or []
        missing = sorted(entry.get("not_covered") or [])
        files.append(FileCoverage(module.path, len(covered), len(covered) + len(missing), missing, touched=True))
    return files
