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
from llm_policy.run.discovery import display_path, leaves_root
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
    all_namespaces: bool = False
    rego_version: str = "v1"  # of the custom policy directories
    rego_versions: dict[Path, str] = field(default_factory=dict)  # per-directory overrides
    max_bytes: int = DEFAULT_MAX_BYTES
    engine: str = "regorus"
    engine_options: dict[str, Any] = field(default_factory=dict)
    frameworks: tuple[str, ...] = ()  # --framework: replaces the manifest's selection (issue 16)
    strict: bool = False  # unused imports/arguments/assignments in custom policies are policy faults
    timeout: Optional[float] = None  # seconds per manifest (None: engines.deadline.DEFAULT_TIMEOUT; 0: unbounded)
    drift: Any = None  # llm_policy.scan.drift.DriftPlan with `check --scan`: the evidence each evaluation sees


class Checker:
    """Holds the compiled policy set, so a batch pays for compilation once per process.

    An engine that can prepare in the background (the time-limited regorus worker) starts compiling
    as soon as the policies are read, while the rule metadata and the first manifest are read here:
    on two cores that hides most of the compile time of a one-file pre-commit run. `faults`, the
    report and every evaluation wait for it (`ready`), so a broken policy is still a run fault.
    """

    def __init__(self, options: CheckOptions):
        from llm_policy.engines import EngineError, create_engine
        from llm_policy.policy import PolicyError, load_policy_set
        from llm_policy.engines.deadline import with_deadline

        self.options = options
        self._faults: list[Fault] = list(options.drift.faults) if options.drift is not None else []
        self._pending: Any = None  # an engine started in the background, not yet known to be ready
        self.engine: Any = None
        self.policy_set: Any = None
        engine: Any = None
        failures: list[EngineError] = []

        def start(policy_set: Any) -> None:  # called once the modules are read, before their METADATA
            nonlocal engine
            try:
                engine = with_deadline(create_engine(options.engine, **options.engine_options), options.timeout)
                if hasattr(engine, "start"):
                    engine.start(policy_set)
                    self._pending = engine
            except EngineError as exc:
                failures.append(exc)  # reported after the policies, whose errors come first

        try:
            self.policy_set = load_policy_set(
                options.policy_dirs,
                options.data_files,
                builtin=options.builtin,
                namespaces=options.namespaces,
                all_namespaces=options.all_namespaces,
                rego_version=options.rego_version,
                rego_versions=options.rego_versions,
                strict=options.strict,
                context={"today": options.evaluation_date, **({"frameworks": list(options.frameworks)} if options.frameworks else {})},
                before_metadata=start,
            )
            if failures:
                raise failures[0]
            if self._pending is None:
                engine.prepare(self.policy_set)  # a looping policy cannot hang the run (with_deadline)
            self.engine = engine
        except PolicyError as exc:
            self._discard()
            self._faults.append(Fault("policy", exc.message, exc.file or None, exc.line, exc.column))
        except EngineError as exc:
            self._faults.append(Fault("policy" if exc.file else "engine", exc.message, exc.file, exc.line, exc.column))

    @property
    def faults(self) -> list[Fault]:
        """Run-level faults: broken policies or engine. Complete once the engine is ready."""
        self.ready()
        return self._faults

    def ready(self) -> None:
        """Wait for a background-prepared engine; its failure becomes a run fault, as at construction."""
        pending, self._pending = self._pending, None
        if pending is None:
            return
        from llm_policy.engines import EngineError

        try:
            pending.ready()
        except EngineError as exc:
            self.engine = None
            self._faults.append(Fault("policy" if exc.file else "engine", exc.message, exc.file, exc.line, exc.column))

    def _discard(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.close()

    def check_file(self, path: Path) -> FileResult:
        """One manifest's result. Never raises: a bug met while checking this file (in any stage)
        becomes an `internal` fault on this file, and every other file of the run is still checked."""
        shown = display_path(path, self.options.root)
        try:
            return self._check_file(path, shown)
        except Exception as exc:  # noqa: BLE001 - isolation: one file's crash must not lose the report
            import os
            import traceback

            if os.environ.get("LLM_POLICY_DEBUG"):
                traceback.print_exc()
            message = f"internal error while checking this file: {type(exc).__name__}: {exc}"
            return FileResult(path=shown, faults=[Fault("internal", message[:500], shown)])

    def _check_file(self, path: Path, shown: str) -> FileResult:
        from llm_policy.engines import EngineError, policy_findings
        from llm_policy.validate import validate_file

        result = FileResult(path=shown)
        if leaves_root(path, self.options.root):
            result.faults.append(Fault(
                "io", "is a symbolic link (or lies under one) that leads outside the checked root "
                f"{self.options.root.as_posix()}: refused, nothing was read from its target", shown,
            ))
            return result
        evidence, orphan, implicit = self.options.drift.evidence_for(path) if self.options.drift else (None, False, False)
        if orphan:
            return self._check_code(shown, evidence)
        try:
            document, findings = validate_file(path, shown, self.options.max_bytes)
        except LoadError as exc:
            result.faults.append(Fault("io", exc.message, shown, exc.line, exc.column))
            return result
        result.findings = findings
        if document is not None and not findings:
            self.ready()  # the policies compiled while this manifest was read
        if document is not None and not findings and self.engine is not None:
            try:
                data = document.data if evidence is None else {**document.data, "_evidence": evidence}
                documents = self.engine.evaluate(data)
                result.findings = policy_findings(self.policy_set, documents, document, shown, evidence)
            except EngineError as exc:
                location = f" (at {exc.file}:{exc.line}:{exc.column})" if exc.file and exc.line else ""
                result.faults.append(Fault("engine", f"policy evaluation failed: {exc.message}{location}", shown))
        if implicit:
            result.findings = [f for f in result.findings if self.options.drift.keep(f, shown, implicit)]
        result.findings.sort(key=Finding.sort_key)
        return result

    def _check_code(self, shown: str, evidence: Any) -> FileResult:
        """Code that no manifest governs (`check --scan`): the policies see only its evidence.

        Only findings located in the code are kept: a rule about manifests has nothing to say about
        a manifest-less input, and its "missing key" findings would point at nothing.
        """
        from llm_policy.engines import EngineError, policy_findings
        from llm_policy.load import parse_document

        result = FileResult(path=shown)
        self.ready()
        if self.engine is None:
            return result  # the run fault (broken policies) already fails the run
        try:
            documents = self.engine.evaluate({"_evidence": evidence})
            nowhere = "\0no manifest"  # where findings without a `location` land: dropped below
            located = policy_findings(self.policy_set, documents, parse_document("{}", Path(shown)), nowhere, evidence)
            result.findings = sorted((f for f in located if f.file != nowhere), key=Finding.sort_key)
        except EngineError as exc:
            location = f" (at {exc.file}:{exc.line}:{exc.column})" if exc.file and exc.line else ""
            result.faults.append(Fault("engine", f"policy evaluation failed: {exc.message}{location}", shown))
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
