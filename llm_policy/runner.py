"""The pipeline for a set of manifest files: load -> validate -> evaluate, into one Report.

Every failure is captured where it happens and recorded as a fault (exit 2) on the file or the
run it belongs to, so one broken manifest never stops the others from being checked and a broken
policy can never turn into a pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from llm_policy import __version__
from llm_policy.discovery import display_path
from llm_policy.findings import Fault, FileResult, Finding, Report
from llm_policy.load import DEFAULT_MAX_BYTES, LoadError


@dataclass
class CheckOptions:
    root: Path
    evaluation_date: str
    policy_dirs: list[Path] = field(default_factory=list)
    data_files: list[Path] = field(default_factory=list)
    builtin: bool = True
    namespaces: list[str] = field(default_factory=lambda: ["main"])
    max_bytes: int = DEFAULT_MAX_BYTES
    engine: str = "regorus"
    engine_options: dict[str, Any] = field(default_factory=dict)
    timeout: Optional[float] = None  # seconds per manifest (None: evaluate.deadline.DEFAULT_TIMEOUT; 0: unbounded)


class Checker:
    """Holds the compiled policy set, so a batch pays for compilation once per process."""

    def __init__(self, options: CheckOptions):
        from llm_policy.evaluate import EngineError, PolicyError, create_engine, load_policy_set
        from llm_policy.evaluate.deadline import with_deadline

        self.options = options
        self.faults: list[Fault] = []
        self.engine: Any = None
        self.policy_set: Any = None
        try:
            self.policy_set = load_policy_set(
                options.policy_dirs,
                options.data_files,
                builtin=options.builtin,
                namespaces=options.namespaces,
                context={"today": options.evaluation_date},
            )
            engine = create_engine(options.engine, **options.engine_options)
            engine = with_deadline(engine, options.timeout)  # a looping policy cannot hang the run
            engine.prepare(self.policy_set)
            self.engine = engine
        except PolicyError as exc:
            self.faults.append(Fault("policy", exc.message, exc.file, exc.line, exc.column))
        except EngineError as exc:
            self.faults.append(Fault("policy" if exc.file else "engine", exc.message, exc.file, exc.line, exc.column))

    def check_file(self, path: Path) -> FileResult:
        from llm_policy.evaluate import EngineError, policy_findings
        from llm_policy.validate import validate_file

        shown = display_path(path, self.options.root)
        result = FileResult(path=shown)
        try:
            document, findings = validate_file(path, shown, self.options.max_bytes)
        except LoadError as exc:
            result.faults.append(Fault("io", exc.message, shown, exc.line, exc.column))
            return result
        result.findings = findings
        if document is not None and not findings and self.engine is not None:
            try:
                documents = self.engine.evaluate(document.data)
                result.findings = policy_findings(self.policy_set, documents, document, shown)
            except EngineError as exc:
                location = f" (at {exc.file}:{exc.line}:{exc.column})" if exc.file and exc.line else ""
                result.faults.append(Fault("engine", f"policy evaluation failed: {exc.message}{location}", shown))
        result.findings.sort(key=Finding.sort_key)
        return result

    def report(self, results: list[FileResult]) -> Report:
        rules = sorted(self.policy_set.rules.values(), key=lambda r: r.id) if self.policy_set else []
        return Report(
            tool_version=__version__,
            evaluation_date=self.options.evaluation_date,
            files=results,
            rules=rules,
            faults=list(self.faults),
        )


def check_files(files: list[Path], options: CheckOptions, checker: Optional[Checker] = None, jobs: int = 1) -> Report:
    """Check `files` into one Report; with `jobs` > 1 in worker processes (same report, in order)."""
    checker = checker or Checker(options)
    if jobs > 1:
        from llm_policy.batch import iter_results

        return checker.report(list(iter_results(checker, files, jobs)))
    return checker.report([checker.check_file(path) for path in files])
