"""Turn the raw documents an engine returns into located findings.

This is the rule output contract in code. Built-in style rules produce objects
`{id, severity, msg, path, source_id}` in a `findings` set; conftest-style rules produce strings or
`{msg}` objects in `deny`/`violation` (errors) and `warn` (warnings), optionally suffixed
(`deny_foo`). Either way `path` (a JSON path into the manifest) is mapped to file:line:col here,
through the loader's position map, falling back to the nearest existing ancestor. A result that
breaks the contract is an engine error, not a silently dropped finding.

Conftest-style exceptions (`exception contains rules if ...`, where `rules` lists names such as
"foo" for `deny_foo`/`violation_foo`) keep their conftest meaning, except that the exempted
findings are still reported, marked as waived in source, never silently dropped.
"""

from __future__ import annotations

import re
from typing import Any, Iterator, Optional

from llm_policy.engines.base import EngineError
from llm_policy.policy.policy_set import BUILTIN_RULE_ROOT, CONFTEST_RULES, Module, PolicySet
from llm_policy.policy.scope import CONFTEST_RULE as _CONFTEST_RULE, in_builtin_tree, is_evaluated
from llm_policy.findings import SEVERITY_RANK, Finding, Waiver
from llm_policy.load import Document
from llm_policy.util.safe_text import excerpt

_VERIFICATION = ("primary", "secondary", "unverified")


def lookup(document: Any, parts: list[str]) -> Any:
    """The value at `parts` inside nested engine documents, or None where any step is missing."""
    for part in parts:
        if not isinstance(document, dict) or part not in document:
            return None
        document = document[part]
    return document


def _rule_annotation_id(module: Module, rule: str) -> Optional[str]:
    for annotation in module.annotations:
        if annotation.scope == "rule" and annotation.target == rule and annotation.custom.get("id"):
            return str(annotation.custom["id"])
    return None


def _package_rule_id(module: Module) -> Optional[str]:
    for annotation in module.annotations:
        if annotation.scope in ("package", "subpackages") and annotation.custom.get("id"):
            return str(annotation.custom["id"])
    return None


def package_document(policy_set: PolicySet, documents: dict[str, Any], package: str) -> Any:
    """The document of an evaluated package inside the engine's root documents (None if undefined)."""
    if in_builtin_tree(package):
        rest = package[len(BUILTIN_RULE_ROOT) + 1 :]
        return lookup(documents.get(BUILTIN_RULE_ROOT), rest.split(".") if rest else [])
    if package in policy_set.namespaces:
        return documents.get(package)
    return None


def _result_packages(policy_set: PolicySet) -> list[tuple[Module, Optional[str], str]]:
    """(first module, package METADATA rule id, severity of its `findings`) per evaluated package.

    Derived from the policy set alone, so computed once per process: scanning every module's
    annotations for every manifest cost about as much as locating the findings themselves.
    """
    cached = policy_set.derived.get("result_packages")
    if cached is None:
        cached = []
        seen_packages: set[str] = set()
        for module in policy_set.modules:
            if module.is_test or module.package in seen_packages or not is_evaluated(policy_set, module.package):
                continue
            seen_packages.add(module.package)
            rule_id = _package_rule_id(module)
            severity = policy_set.rules[rule_id].severity if rule_id in policy_set.rules else "error"
            cached.append((module, rule_id, severity))
        policy_set.derived["result_packages"] = cached
    return cached  # type: ignore[no-any-return]


def _raw_results(policy_set: PolicySet, documents: dict[str, Any]) -> Iterator[tuple[Module, str, Any, Optional[str], str]]:
    """Yield (module, rule name, raw item, default rule id, default severity) for every result.

    Every evaluated package (see `scope`) is read for both styles: `findings` objects and
    conftest-style `deny`/`violation`/`warn` rules, so no rule that `rules` lists is skipped.
    """
    for module, rule_id, severity in _result_packages(policy_set):
        package = module.package
        document = package_document(policy_set, documents, package)
        if not isinstance(document, dict):
            continue
        items = document.get("findings")
        if items is not None:
            if not isinstance(items, list):
                raise EngineError(f"`findings` in package {package} must be a set of objects", module.path)
            for item in items:
                yield module, "findings", item, rule_id, severity
        for rule in sorted(k for k in document if _CONFTEST_RULE.match(k)):
            conftest_severity = CONFTEST_RULES[rule.split("_", 1)[0]]
            items = document[rule]
            if items is None:
                continue
            if not isinstance(items, list):
                raise EngineError(f"`{rule}` in package {package} must be a set (use `{rule} contains msg if ...`)", module.path)
            conftest_id = _rule_annotation_id(module, rule) or rule_id
            for item in items:
                yield module, rule, item, conftest_id, conftest_severity


def _code_location(location: Any, code_files: frozenset[str], where: str, module: Module) -> tuple[str, int, int]:
    """A finding's `location` (file:line:col in scanned code), checked against the evidence.

    A policy may only point at a file the scan put in its evidence: anything else (a typo, a path
    outside the repository, a location without --scan) is an engine error, never a finding placed
    somewhere nobody looks.
    """
    if not isinstance(location, dict) or set(location) != {"file", "line", "column"}:
        raise EngineError(f"{where} produced an invalid `location` {excerpt(repr(location), 80)}; expected {{file, line, column}}", module.path)
    file, line, column = location["file"], location["line"], location["column"]
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in (line, column)):
        raise EngineError(f"{where} produced a `location` whose line and column are not positive integers: {excerpt(repr(location), 80)}", module.path)
    if file not in code_files:
        raise EngineError(f"{where} produced a `location` in {excerpt(repr(file), 80)}, which is not a file of the scan's evidence", module.path)
    return file, line, column


def _located(
    item: Any, module: Module, rule: str, default_id: Optional[str], default_severity: str, document: Document, file: str,
    policy_set: PolicySet, code_files: frozenset[str] = frozenset(),
) -> Finding:
    where = f"{rule} in package {module.package} ({module.path})"
    if isinstance(item, str):
        item = {"msg": item}
    if not isinstance(item, dict):
        raise EngineError(f"{where} produced {type(item).__name__}; expected a string or an object with `msg`", module.path)
    message = item.get("msg")
    if not isinstance(message, str) or not message:
        raise EngineError(f"{where} produced a result without a `msg` string: {excerpt(repr(item), 80)}", module.path)
    rule_id = item.get("id", item.get("rule_id", default_id)) or f"{module.package}.{rule}"
    severity = item.get("severity", default_severity)
    if severity not in SEVERITY_RANK:
        raise EngineError(f"{where} produced severity {excerpt(repr(severity), 40)}; expected error, warning or info", module.path)
    verification = item.get("verification")
    if verification is not None and verification not in _VERIFICATION:
        raise EngineError(f"{where} produced verification {excerpt(repr(verification), 40)}", module.path)
    if verification == "unverified" and severity == "error":
        severity = "warning"  # the contract: a finding resting on an unverified fact is at most a warning
    path = item.get("path", [])
    if isinstance(path, str):
        from llm_policy.load import from_pointer

        path = from_pointer(path)
    if not isinstance(path, list) or not all(isinstance(p, (str, int)) and not isinstance(p, bool) for p in path):
        raise EngineError(f"{where} produced an invalid `path` {excerpt(repr(path), 80)}; expected a list of keys and indices", module.path)
    source_id = item.get("source_id")
    if not path:
        placed = source_for(document.data, source_id if isinstance(source_id, str) else None, message)
        if placed is not None:
            path, source_id = ["sources", placed[0]], placed[1]
    info = policy_set.rules.get(str(rule_id))
    if "location" in item:  # a finding about scanned code (`check --scan`): placed in that code
        from llm_policy.load.positions import Span

        code_file, line, column = _code_location(item["location"], code_files, where, module)
        span, file = Span(line, column, None, None), code_file  # type: ignore[arg-type]  # no end: one point
    else:
        span, _ = document.positions.locate(path)
    return Finding.at(
        span,
        path,
        rule_id=str(rule_id),
        severity=severity,
        message=message,
        file=file,
        source_id=source_id if isinstance(source_id, str) else None,
        title=info.title if info else None,
        verification=verification,
        reference=item.get("reference") if isinstance(item.get("reference"), str) else None,
    )


_ID_CHARS = "A-Za-z0-9_-"


def source_for(manifest: Any, source_id: Optional[str], message: str) -> Optional[tuple[int, str]]:
    """(index, id) of the source a finding without `path` is about, or None (it stays at the top).

    Conftest rules usually return only a message. When the finding names its `source_id`, or its
    message names the id of a declared source, the finding is placed on that source instead of
    the `apiVersion` line. The rule is deterministic: an explicit `source_id` wins; otherwise every
    declared id that occurs in the message as a whole word (not inside a longer id or word; quotes
    count as boundaries) is a candidate, and the longest wins, then the one named first, then the
    one declared first.
    """
    sources = manifest.get("sources") if isinstance(manifest, dict) else None
    if not isinstance(sources, list):
        return None
    ids = [(i, s["id"]) for i, s in enumerate(sources) if isinstance(s, dict) and isinstance(s.get("id"), str) and s["id"]]
    if source_id is not None:
        return next(((i, sid) for i, sid in ids if sid == source_id), None)
    candidates = []
    for index, sid in ids:
        match = re.search(rf"(?<![{_ID_CHARS}]){re.escape(sid)}(?![{_ID_CHARS}])", message)
        if match:
            candidates.append((-len(sid), match.start(), index, sid))
    if not candidates:
        return None
    _, _, index, sid = min(candidates)
    return index, sid


def _exception_key(rule: str) -> str:
    """The name an `exception` lists to exempt `rule`: conftest strips deny_/violation_ only."""
    for prefix in ("deny_", "violation_"):
        if rule.startswith(prefix):
            return rule[len(prefix):]
    return rule


def _exceptions(policy_set: PolicySet, documents: dict[str, Any], package: str) -> dict[str, Waiver]:
    """{exempted name: the in-source waiver} from the package's `exception` set.

    Each element is a list of names (conftest) or an object `{rules: [...], reason, approved_by}`
    (our extension, which conftest also reads as exempting `rules`). "" exempts bare deny/violation.
    """
    items = lookup(package_document(policy_set, documents, package), ["exception"])
    if items is None:
        return {}
    module = next((m for m in policy_set.modules if m.package == package and not m.is_test
                   and re.search(r"^\s*exception\b", m.text, re.MULTILINE)), None)
    path = module.path if module else package
    problem = EngineError(
        f"`exception` in package {package} must be a set of rule-name lists or of objects with `rules` "
        "(use `exception contains rules if { ...; rules := [\"foo\"] }`)", path,
    )
    if not isinstance(items, list):
        raise problem
    exempted: dict[str, Waiver] = {}
    for item in items:
        reason: Any = None
        approved_by: Any = None
        names = item
        if isinstance(item, dict):
            names, reason, approved_by = item.get("rules"), item.get("reason"), item.get("approved_by")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise problem
        if not isinstance(reason, (str, type(None))) or not isinstance(approved_by, (str, type(None))):
            raise problem
        for name in names:
            exempted.setdefault(name, Waiver(
                justification=reason or f"conftest exception in package {package}",
                approved_by=approved_by or f"policy {path}",
                kind="inSource",
                reference=f"{path}: exception for {name or 'deny/violation'}",
            ))
    return exempted


def _exemption(exempted: dict[str, Waiver], rule: str) -> Optional[Waiver]:
    if not exempted or not _CONFTEST_RULE.match(rule):
        return None
    waiver = exempted.get(_exception_key(rule))
    if waiver is None and rule in ("deny", "violation"):
        waiver = exempted.get("")
    return waiver


# Policies quote manifest values with sprintf; a value longer than this is cut to an excerpt in
# the message (a Hugging Face repo id, the longest name a rule quotes, is at most 96 characters).
POLICY_VALUE_LIMIT = 100


def policy_findings(
    policy_set: PolicySet, documents: dict[str, Any], document: Document, file: str, evidence: Optional[dict[str, Any]] = None
) -> list[Finding]:
    """Located findings; `evidence` is the scan document the evaluation saw (`check --scan`), if any.

    Messages are escaped (Finding) and long quoted values cut here, for every rule."""
    from llm_policy.util.safe_text import long_strings, shorten_values

    exceptions: dict[str, dict[str, Waiver]] = {}
    code_files = frozenset(item["file"] for item in evidence["items"]) if evidence else frozenset()
    findings = []
    long_values: Optional[list[str]] = None
    for module, rule, item, rule_id, severity in _raw_results(policy_set, documents):
        finding = _located(item, module, rule, rule_id, severity, document, file, policy_set, code_files)
        if module.package not in exceptions:
            exceptions[module.package] = _exceptions(policy_set, documents, module.package)
        finding.waiver = _exemption(exceptions[module.package], rule)
        if len(finding.message) > POLICY_VALUE_LIMIT:
            if long_values is None:
                long_values = long_strings(document.data, POLICY_VALUE_LIMIT)
            finding.message = shorten_values(finding.message, long_values, POLICY_VALUE_LIMIT)
        findings.append(finding)
    return findings
