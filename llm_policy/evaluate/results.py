"""Turn the raw documents an engine returns into located findings.

This is the rule output contract in code. Built-in style rules produce objects
`{id, severity, msg, path, source_id}` in a `findings` set; conftest-style rules produce strings or
`{msg}` objects in `deny`/`violation` (errors) and `warn` (warnings). Either way `path` (a JSON path
into the manifest) is mapped to file:line:col here, through the loader's position map, falling back
to the nearest existing ancestor. A result that breaks the contract is an engine error, not a
silently dropped finding.
"""

from __future__ import annotations

from typing import Any, Iterator, Optional

from llm_policy.evaluate.engine import EngineError
from llm_policy.evaluate.policies import BUILTIN_RULE_ROOT, CONFTEST_RULES, Module, PolicySet
from llm_policy.findings import SEVERITY_RANK, Finding
from llm_policy.load import Document, to_pointer

_VERIFICATION = ("primary", "secondary", "unverified")


def _lookup(document: Any, parts: list[str]) -> Any:
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


def _raw_results(policy_set: PolicySet, documents: dict[str, Any]) -> Iterator[tuple[Module, str, Any, Optional[str], str]]:
    """Yield (module, rule name, raw item, default rule id, default severity) for every result."""
    seen_packages: set[str] = set()
    for module in policy_set.modules:
        if module.is_test or module.package in seen_packages:
            continue
        seen_packages.add(module.package)
        package = module.package
        if package.startswith(BUILTIN_RULE_ROOT + "."):
            document = _lookup(documents.get(BUILTIN_RULE_ROOT), package[len(BUILTIN_RULE_ROOT) + 1 :].split("."))
            items = _lookup(document, ["findings"])
            if items is None:
                continue
            if not isinstance(items, list):
                raise EngineError(f"`findings` in package {package} must be a set of objects", module.path)
            rule_id = _package_rule_id(module)
            severity = policy_set.rules[rule_id].severity if rule_id in policy_set.rules else "error"
            for item in items:
                yield module, "findings", item, rule_id, severity
        elif package in policy_set.namespaces:
            document = documents.get(package)
            for rule, severity in CONFTEST_RULES.items():
                items = _lookup(document, [rule])
                if items is None:
                    continue
                if not isinstance(items, list):
                    raise EngineError(f"`{rule}` in package {package} must be a set (use `{rule} contains msg if ...`)", module.path)
                rule_id = _rule_annotation_id(module, rule) or _package_rule_id(module)
                for item in items:
                    yield module, rule, item, rule_id, severity


def _located(
    item: Any, module: Module, rule: str, default_id: Optional[str], default_severity: str, document: Document, file: str, policy_set: PolicySet
) -> Finding:
    where = f"{rule} in package {module.package} ({module.path})"
    if isinstance(item, str):
        item = {"msg": item}
    if not isinstance(item, dict):
        raise EngineError(f"{where} produced {type(item).__name__}; expected a string or an object with `msg`", module.path)
    message = item.get("msg")
    if not isinstance(message, str) or not message:
        raise EngineError(f"{where} produced a result without a `msg` string: {item!r}", module.path)
    rule_id = item.get("id", item.get("rule_id", default_id)) or f"{module.package}.{rule}"
    severity = item.get("severity", default_severity)
    if severity not in SEVERITY_RANK:
        raise EngineError(f"{where} produced severity {severity!r}; expected error, warning or info", module.path)
    verification = item.get("verification")
    if verification is not None and verification not in _VERIFICATION:
        raise EngineError(f"{where} produced verification {verification!r}", module.path)
    if verification == "unverified" and severity == "error":
        severity = "warning"  # the contract: a finding resting on an unverified fact is at most a warning
    path = item.get("path", [])
    if isinstance(path, str):
        from llm_policy.load import from_pointer

        path = from_pointer(path)
    if not isinstance(path, list) or not all(isinstance(p, (str, int)) and not isinstance(p, bool) for p in path):
        raise EngineError(f"{where} produced an invalid `path` {path!r}; expected a list of keys and indices", module.path)
    span, _ = document.positions.locate(path)
    source_id = item.get("source_id")
    info = policy_set.rules.get(str(rule_id))
    return Finding(
        rule_id=str(rule_id),
        severity=severity,
        message=message,
        file=file,
        line=span.line,
        column=span.column,
        end_line=span.end_line,
        end_column=span.end_column,
        pointer=to_pointer(path),
        json_path=path,
        source_id=source_id if isinstance(source_id, str) else None,
        title=info.title if info else None,
        verification=verification,
        reference=item.get("reference") if isinstance(item.get("reference"), str) else None,
    )


def policy_findings(policy_set: PolicySet, documents: dict[str, Any], document: Document, file: str) -> list[Finding]:
    findings = [
        _located(item, module, rule, rule_id, severity, document, file, policy_set)
        for module, rule, item, rule_id, severity in _raw_results(policy_set, documents)
    ]
    return findings
