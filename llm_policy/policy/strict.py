"""`--strict`: the checks of `opa check --strict` that Rego v1 does not already make mandatory.

regorus has no strict mode (its compiler has no such switch), so these run on the AST regorus
exposes (`Engine.get_ast_as_json`), for the custom policies only (the built-in pack is held to
`opa check --strict` by tests/test_rego_hygiene.py). What is covered, in each module:

- an import whose name (its alias, else its last segment) no rule uses (`rego.v1` and `future.*`
  imports are exempt, as OPA exempts them);
- a function argument that its rule never uses (`_` is exempt);
- a local variable assigned with `:=` that its rule never uses.

A name is "used" when it occurs a second time anywhere in the same rule: a name assigned in one
place and read in another scope of the same rule counts as used, so a check can miss a problem but
never reports one that OPA would not. Not covered: unused `some` declarations and duplicate
imports (OPA v1 rejects both at compile time), deprecated built-ins (regorus and OPA v1 reject
them), and `input`/`data` shadowing (v1 compile errors too).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Iterator

if TYPE_CHECKING:
    from llm_policy.policy.policy_set import Module


def _vars(node: Any) -> Iterator[tuple[str, int]]:
    """(name, line) of every variable occurrence below `node`."""
    if isinstance(node, dict):
        var = node.get("Var")
        if isinstance(var, dict) and isinstance(var.get("value"), str):
            yield var["value"], var.get("span", {}).get("line", 0)
            return
        for value in node.values():
            yield from _vars(value)
    elif isinstance(node, list):
        for item in node:
            yield from _vars(item)


def _assigned(node: Any) -> Iterator[tuple[str, int]]:
    """(name, line) of variables bound by `:=` in a rule body (comprehensions included)."""
    if isinstance(node, dict):
        assign = node.get("AssignExpr")
        if isinstance(assign, dict) and assign.get("op") == "ColEq":
            yield from _vars(assign.get("lhs"))
        for value in node.values():
            yield from _assigned(value)
    elif isinstance(node, list):
        for item in node:
            yield from _assigned(item)


def _head(rule: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    head = rule.get("head") or {}
    kind, body = next(iter(head.items())) if head else ("", {})
    names = [name for name, _ in _vars(body.get("refr"))] if isinstance(body, dict) else []
    return (names[0] if names else "?"), (body if isinstance(body, dict) else {})


def problems_in_ast(path: str, ast: dict[str, Any], text: str = "") -> list[str]:
    found: list[str] = []
    rules = [r.get("Spec") for r in ast.get("rules") or [] if isinstance(r, dict) and isinstance(r.get("Spec"), dict)]
    used = {name for rule in rules for name, _ in _vars(rule)}
    for imp in ast.get("imports") or []:
        refr = imp.get("refr") or {}
        segments = _import_segments(refr)
        if not segments or segments[0] in ("rego", "future") or segments[:2] == ["rego", "v1"]:
            continue
        alias = imp.get("as")  # regorus gives the alias as a span into the source
        if isinstance(alias, dict) and isinstance(alias.get("start"), int) and isinstance(alias.get("end"), int):
            name = text.encode("utf-8")[alias["start"]:alias["end"]].decode("utf-8", "replace")
        else:
            name = alias if isinstance(alias, str) else segments[-1]
        if name not in used:
            found.append(f"{path}:{imp.get('span', {}).get('line', 0)}: strict: import {'.'.join(segments)} is never used")
    for rule in rules:
        name, head = _head(rule)
        counts: dict[str, int] = {}
        for var, _ in _vars(rule):
            counts[var] = counts.get(var, 0) + 1
        for arg in head.get("args") or []:
            for var, line in _vars(arg):
                if var != "_" and counts.get(var, 0) == 1:
                    found.append(f"{path}:{line}: strict: argument {var} of function {name} is never used")
        for var, line in _assigned(rule.get("bodies")):
            if var != "_" and counts.get(var, 0) == 1:
                found.append(f"{path}:{line}: strict: local variable {var} in rule {name} is assigned but never used")
    return found


def _import_segments(refr: dict[str, Any]) -> list[str]:
    if "Var" in refr:
        return [refr["Var"].get("value", "")]
    dot = refr.get("RefDot")
    if isinstance(dot, dict):
        field = dot.get("field")
        last = field[1] if isinstance(field, list) and len(field) == 2 else ""
        return [*_import_segments(dot.get("refr") or {}), str(last)]
    return []


def strict_problems(module: "Module") -> list[str]:
    """`path:line: strict: ...` for each problem in `module` (parse errors are reported elsewhere)."""
    import regorus

    engine = regorus.Engine()
    engine.set_rego_v0(module.rego_version == 0)
    try:
        engine.add_policy(module.path, module.text)
    except Exception:  # noqa: BLE001 - a parse error is the engine's to report, located
        return []
    for entry in json.loads(engine.get_ast_as_json()):
        return problems_in_ast(module.path, entry.get("ast") or {}, module.text)
    return []
