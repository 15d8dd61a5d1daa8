"""Collect the active policy set: Rego modules, their rule metadata, and data tables.

A policy set is engine-neutral (text and plain data), so the same set can be compiled in-process,
pushed to an OPA server or packed into a bundle. Data files are documents rooted at `data`
and deep-merged in order: built-in tables first, then each `--data` argument, so an organisation
can override one threshold without copying a whole table.

A `--data` directory is read as conftest reads one (OPA's loader): every `.json`, `.yaml` and
`.yml` file below it, recursively, each merged at the root of `data`. Within a directory no file
order exists to decide a conflict, so two files that give the same key a value that is not an
object on both sides are an error naming both files (OPA's `merge.InterfaceMaps`: conftest fails
with "merge error" there too); objects merge key by key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from llm_policy.policy.metadata import Annotation, MetadataError, package_of, parse_annotations
from llm_policy.policy.scope import (  # noqa: F401 - BUILTIN_RULE_ROOT, CONFTEST_RULES re-exported
    BUILTIN_RULE_ROOT,
    CONFTEST_RULES,
    NOTHING_EVALUATED,
    conftest_rule_infos,
    deciding_packages,
    first_problem,
    nothing_evaluated,
)
from llm_policy.findings import RULE_SCHEMA, RULE_WAIVER_EXPIRED, RULE_WAIVER_UNUSED, RULE_XREF, RULE_YAML, RuleInfo
from llm_policy.util.resources import builtin_policy_dir

DOCS_BASE = "https://github.com/llm-policy/llm-policy/blob/main/docs/rules/"

# Rules implemented by the Python stages (load and validate), described here like Rego rules are.
PYTHON_RULES = (
    RuleInfo(
        id=RULE_YAML,
        title="Manifest is not valid YAML",
        severity="error",
        description="The file could not be read as exactly one YAML mapping: a syntax error, duplicate key, disallowed tag, a tag that does not fit its value (`!!bool yes`), alias bomb, wrong encoding or similar.",
        remediation="Fix the YAML at the reported line; manifests are plain YAML 1.2 mappings without custom tags.",
        help_uri=DOCS_BASE + "LP000.md",
        tags=["schema"],
        source="builtin",
    ),
    RuleInfo(
        id=RULE_SCHEMA,
        title="Manifest does not match the schema",
        severity="error",
        description="The manifest violates schemas/llm-sourcing.schema.json: a missing or unknown key, a wrong type, an invalid enum value or date, a value that does not match its pattern (ECMA-262: a trailing newline never matches), or a non-ASCII character in an identifier.",
        remediation="Change the reported key or value as the message says; editors can complete fields from the schema modeline.",
        help_uri=DOCS_BASE + "LP001.md",
        tags=["schema"],
        source="builtin",
    ),
    RuleInfo(
        id=RULE_XREF,
        title="Broken cross-reference",
        severity="error",
        description="A reference by id does not resolve: a route or fallback names an undeclared source, ids repeat, or a source receives a data class the project does not declare.",
        remediation="Make every route and fallback name a declared source id and keep each source's data_classes within data.classes.",
        help_uri=DOCS_BASE + "LP002.md",
        tags=["schema"],
        source="builtin",
    ),
    RuleInfo(
        id=RULE_WAIVER_EXPIRED,
        title="Expired waiver",
        severity="error",
        description="A waiver in llm-policy-waivers.yaml is past its expiry date. It no longer waives anything, so the findings it covered fail again, and the stale entry itself is an error until someone reviews it.",
        remediation="Renew the waiver (new expiry date, fresh approval and justification) if the risk is still accepted, or fix the finding and delete the waiver.",
        help_uri=DOCS_BASE + "LP900.md",
        tags=["waivers"],
        source="builtin",
    ),
    RuleInfo(
        id=RULE_WAIVER_UNUSED,
        title="Unused waiver",
        severity="warning",
        description="A waiver in llm-policy-waivers.yaml matched no finding of the manifest it names, which was checked in this run. A stale waiver would silently hide the next problem of that rule.",
        remediation="Delete the waiver, or correct its rule, manifest, source_id or pointer if it was meant to match a finding.",
        help_uri=DOCS_BASE + "LP901.md",
        tags=["waivers"],
        source="builtin",
    ),
)


class PolicyError(Exception):
    """A policy or data file cannot be used; carries its location for the fault report."""

    def __init__(self, message: str, file: Optional[str], line: Optional[int] = None, column: Optional[int] = None):
        super().__init__(message)
        self.message, self.file, self.line, self.column = message, file, line, column


@dataclass
class Module:
    path: str  # as shown to users and engines (error locations use it)
    text: str
    package: str
    annotations: list[Annotation] = field(default_factory=list)
    rego_version: int = 1  # 0: pre-1.0 syntax (`deny[msg] { ... }`), from --rego-version / rego_versions
    # The path relative to the --policy argument it was read from ("N/" in front when there are
    # several): unlike `path`, the same wherever the checkout is, so bundles are reproducible.
    origin: str = ""
    source: Optional[Path] = None  # the file on disk (absolute); None for built-in modules
    root: Optional[Path] = None  # the --policy directory it came from: conftest built-ins read files only below it

    @property
    def is_test(self) -> bool:
        return self.path.endswith("_test.rego")


@dataclass
class PolicySet:
    modules: list[Module]
    data: dict[str, Any]
    namespaces: list[str]  # packages evaluated besides llm_policy.rules.* (conftest --namespace)
    rules: dict[str, RuleInfo]
    all_namespaces: bool = False  # namespaces were extended with every deciding package
    # Values derived from the set once per process rather than once per manifest (e.g. which
    # packages' documents hold results: engines.results). Not an __init__ argument, so a set made
    # with dataclasses.replace (other modules, other namespaces) starts with none; a set's own
    # modules and namespaces are not changed after loading.
    derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)
    # JSON documents whose deep merge, in order, is `data` (the built-in tables as read, then the
    # context), when `load_policy_set` knows them: an engine can load them as they are instead of
    # serialising `data` again (~3 ms of a cold start). Only valid for the very `data` object it was
    # made with (`data_json_for`): a set whose `data` is replaced or edited must set it to None.
    data_json: Optional[tuple[str, ...]] = None

    def data_json_for(self, data: Any) -> Optional[tuple[str, ...]]:
        """`data_json` when `data` is still the object it describes, else None."""
        return self.data_json if self.data_json is not None and data is self.__dict__.get("_data_json_of") else None

    @property
    def roots(self) -> list[str]:
        """Packages an engine must evaluate: the built-in rule tree plus conftest namespaces."""
        return [BUILTIN_RULE_ROOT, *self.namespaces]


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _rego_files(directory: Path, include_tests: bool) -> list[Path]:
    if directory.is_file():
        return [directory]
    if not directory.is_dir():
        raise PolicyError("policy directory does not exist", _display(directory))
    files = sorted(p for p in directory.rglob("*.rego") if p.is_file())
    return [p for p in files if include_tests or not p.name.endswith("_test.rego")]


DATA_SUFFIXES = (".json", ".yaml", ".yml")  # conftest's filter (case-sensitive, as its loader)


def _data_files(directory: Path) -> list[Path]:
    """Data files below `directory`, recursively, in a stable order; symlinked directories are not followed."""
    if not directory.is_dir():
        return []
    import os

    found = []
    for root, dirs, names in os.walk(directory):
        dirs.sort()
        found += [Path(root) / n for n in sorted(names) if Path(n).suffix in DATA_SUFFIXES and (Path(root) / n).is_file()]
    return found


class _Conflict(Exception):
    def __init__(self, path: list[str]):
        self.path = path


def conflict_free_merge(base: dict[str, Any], add: dict[str, Any], where: tuple[str, ...] = ()) -> dict[str, Any]:
    """OPA's merge of two data documents: objects merge, any other value defined twice is a conflict."""
    merged = dict(base)
    for key, value in add.items():
        if key not in merged:
            merged[key] = value
        elif isinstance(value, dict) and isinstance(merged[key], dict):
            merged[key] = conflict_free_merge(merged[key], value, (*where, key))
        else:
            raise _Conflict([*where, key])
    return merged


def _key_position(file: Path, path: list[str]) -> tuple[int, int]:
    """line, column of `path` in a data file (JSON is read as the YAML it also is); 1, 1 if unknown."""
    from llm_policy.load import parse_document

    try:
        span, _ = parse_document(file.read_text(encoding="utf-8"), file).positions.locate(path)
        return span.line, span.column
    except Exception:  # noqa: BLE001 - the file parsed once already; a position is a nicety
        return 1, 1


def read_data_path(path: Path) -> dict[str, Any]:
    """One `--data` argument: a file, or a directory of data files merged as conftest does."""
    if not path.is_dir():
        return read_data_file(path)
    files = _data_files(path)
    if not files:  # conftest loads nothing and goes on; a typo'd or empty directory here fails closed
        raise PolicyError(f"data directory has no {', '.join(DATA_SUFFIXES)} file (searched recursively)", _display(path))
    merged: dict[str, Any] = {}
    origin: dict[str, Path] = {}  # top-level key -> the first file that defined it, for the message
    for file in files:
        document = read_data_file(file)
        try:
            merged = conflict_free_merge(merged, document)
        except _Conflict as exc:
            first = origin.get(exc.path[0])
            other = f" (also defined by {_display(first)})" if first else ""
            line, column = _key_position(file, exc.path)
            raise PolicyError(
                f"data merge conflict at data.{'.'.join(exc.path)}: two files of the --data directory give it a value "
                f"that is not an object on both sides{other}; conftest and OPA refuse this too (merge error), "
                "so keep each key in one file", _display(file), line, column) from None
        for key in document:
            origin.setdefault(key, file)
    return merged


def read_module(path: Path, display: Optional[str] = None) -> Module:
    module = _read_source(path, display)
    _read_metadata(module)
    if not module.package:
        raise PolicyError("no package declaration", module.path, 1, 1)
    return module


def _read_source(path: Path, display: Optional[str] = None) -> Module:
    """The module's text and package; its METADATA is read by `_read_metadata`."""
    shown = display or _display(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"cannot read policy: {exc}", shown) from None
    return Module(path=shown, text=text, package=package_of(text) or "")


def _read_metadata(module: Module) -> None:
    try:
        _, module.annotations = parse_annotations(module.text)
    except MetadataError as exc:
        raise PolicyError(str(exc), module.path, exc.line, 1) from None


def read_data_file(path: Path) -> dict[str, Any]:
    return _parse_data(path, _read_data_text(path))


def _read_data_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"cannot read data file: {exc}", _display(path)) from None


def _parse_data(path: Path, text: str) -> dict[str, Any]:
    shown = _display(path)
    if path.suffix == ".json":
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PolicyError(f"invalid JSON: {exc.msg}", shown, exc.lineno, exc.colno) from None
    else:
        from llm_policy.load import LoadError, parse_document

        try:
            value = parse_document(text, path).data
        except LoadError as exc:
            raise PolicyError(exc.message, shown, exc.line, exc.column) from None
    if not isinstance(value, dict):
        raise PolicyError("a data file must contain an object (it is merged at the root of `data`)", shown, 1, 1)
    return value


def _rule_info(module: Module, annotation: Annotation) -> Optional[RuleInfo]:
    custom = annotation.custom
    rule_id = custom.get("id")
    if not rule_id:
        return None
    severity = str(custom.get("severity", "error"))
    if severity not in ("error", "warning", "info"):
        raise PolicyError(f"METADATA custom.severity must be error, warning or info, got {severity!r}", module.path, annotation.line, 1)
    resources = annotation.data.get("related_resources") or []
    help_uri = None
    for resource in resources:
        ref = resource.get("ref") if isinstance(resource, dict) else resource
        if isinstance(ref, str):
            help_uri = ref
            break
    tags = custom.get("tags") or []
    return RuleInfo(
        id=str(rule_id),
        title=str(annotation.data.get("title", rule_id)),
        severity=severity,  # type: ignore[arg-type]
        description=str(annotation.data.get("description", "")).strip(),
        remediation=str(custom.get("remediation", "")).strip(),
        help_uri=help_uri,
        tags=[str(t) for t in tags] if isinstance(tags, list) else [],
        source=module.path,
    )


def load_policy_set(
    policy_dirs: Iterable[Path] = (),
    data_files: Iterable[Path] = (),
    *,
    builtin: bool = True,
    namespaces: Iterable[str] = ("main",),
    include_tests: bool = False,
    context: Optional[dict[str, Any]] = None,
    before_metadata: Optional[Callable[[PolicySet], None]] = None,
    all_namespaces: bool = False,
    check_scope: bool = True,
    require_rules: bool = True,
    rego_version: str = "v1",
    rego_versions: Optional[dict[Path, str]] = None,
    strict: bool = False,
) -> PolicySet:
    """Read the modules and data, then the modules' METADATA (rules and annotations).

    `all_namespaces` evaluates every package that defines deciding rules (conftest's flag).
    `check_scope` raises a PolicyError for a deciding package or METADATA rule that would not be
    evaluated; `require_rules` for a set in which nothing would be evaluated (see `scope`).
    `rules`/`explain` turn both off to list and mark such rules instead.
    `rego_version` (v0 or v1) is the Rego syntax of the `policy_dirs`, `rego_versions` overrides it
    per directory; the built-in pack is always v1.

    `strict` (conftest/opa --strict) makes unused imports, arguments and assignments in custom
    modules an error (`policy.strict` says what is covered).

    `before_metadata(policy_set)` is called in between, when every module has a package: what an
    engine compiles is complete, so a checker can start compiling in a worker process while the
    METADATA is read here (the rules and annotations are then filled into the same object).
    Errors are raised in the order a file-by-file reading would meet them.
    """
    modules: list[Module] = []
    data: dict[str, Any] = {}
    data_texts: Optional[list[str]] = []  # the built-in JSON tables as read: with no --data, what `data` merges
    data_files = list(data_files)
    try:
        if builtin:
            root = builtin_policy_dir()
            for path in _rego_files(root, include_tests):
                modules.append(_read_source(path, "builtin:" + path.relative_to(root).as_posix()))
                _check_package(modules)
            for path in _data_files(root / "data"):
                text = _read_data_text(path)
                data = deep_merge(data, _parse_data(path, text))
                if data_texts is not None:
                    data_texts = [*data_texts, text] if path.suffix == ".json" else None
        per_dir = {Path(k).resolve(): rego_version_number(v) for k, v in (rego_versions or {}).items()}
        default_version = rego_version_number(rego_version)
        policy_dirs = list(policy_dirs)
        several = len(policy_dirs) > 1
        for index, directory in enumerate(policy_dirs, start=1):
            root_dir = Path(directory).resolve()
            root_dir = root_dir.parent if root_dir.is_file() else root_dir
            for path in _rego_files(Path(directory), include_tests):
                module = _read_source(path)
                relative = path.relative_to(Path(directory)).as_posix() if Path(directory).is_dir() else path.name
                module.origin = f"{index}/{relative}" if several else relative
                module.source, module.root = path.resolve(), root_dir
                # The nearest directory named in rego_versions decides, else the default.
                resolved = path.resolve()
                module.rego_version = next(
                    (per_dir[p] for p in (resolved, *resolved.parents) if p in per_dir), default_version
                )
                modules.append(module)
                _check_package(modules)
        for path in data_files:  # each argument (file or directory) overrides the ones before it
            data = deep_merge(data, read_data_path(Path(path)))
    except PolicyError:
        for module in modules:  # a METADATA error in an earlier module comes first
            _read_metadata(module)
        raise
    if strict:
        from llm_policy.policy.strict import strict_problems

        problems = [p for m in modules if not m.path.startswith("builtin:") for p in strict_problems(m)]
        if problems:
            file, line, message = problems[0].split(":", 2)
            more = f" (and {len(problems) - 1} more: {'; '.join(problems[1:4])}{'; ...' if len(problems) > 4 else ''})" if len(problems) > 1 else ""
            raise PolicyError(message.strip() + more, file, int(line), 1)
    data_json: Optional[tuple[str, ...]] = tuple(data_texts) if data_texts is not None and not data_files else None
    if context:
        data = deep_merge(data, {"llm_policy": {"context": context}})
        data_json = data_json and (*data_json, json.dumps({"llm_policy": {"context": context}}))
    from llm_policy.policy.scope import expand_namespaces

    try:
        namespace_list = expand_namespaces(list(namespaces), modules)
    except ValueError as exc:
        raise PolicyError(str(exc), None) from None
    if all_namespaces:
        namespace_list = list(dict.fromkeys([*namespace_list, *deciding_packages(modules)]))
    policy_set = PolicySet(modules=modules, data=data, namespaces=namespace_list,
                          rules={rule.id: rule for rule in PYTHON_RULES}, all_namespaces=all_namespaces, data_json=data_json)
    policy_set.__dict__["_data_json_of"] = data
    if before_metadata is not None:
        before_metadata(policy_set)
    for module in modules:
        _read_metadata(module)
    for module in modules:
        for annotation in module.annotations:
            info = _rule_info(module, annotation)
            if info is not None:
                policy_set.rules[info.id] = info
    for info in conftest_rule_infos(modules):
        policy_set.rules.setdefault(info.id, info)
    if check_scope or require_rules:
        problem = first_problem(policy_set, require_rules) if check_scope else (
            (NOTHING_EVALUATED, None, None) if nothing_evaluated(policy_set) else None)
        if problem is not None:
            message, file, line = problem
            raise PolicyError(message, file, line, 1 if line else None)
    return policy_set


REGO_VERSIONS = {"v0": 0, "v1": 1}


def rego_version_number(name: str) -> int:
    """0 or 1 for `v0`/`v1` (conftest's --rego-version values); anything else is an error."""
    if name not in REGO_VERSIONS:
        raise PolicyError(f"unknown Rego version {name!r} (use v0 or v1)", None)
    return REGO_VERSIONS[name]


def _check_package(modules: list[Module]) -> None:
    """The last module read must declare a package (after any METADATA error before it)."""
    if not modules[-1].package:
        for module in modules:
            _read_metadata(module)
        raise PolicyError("no package declaration", modules[-1].path, 1, 1)
