"""`opa check --strict`-level hygiene for every .rego file in the built-in pack.

What runs depends on what is available, and each test says which:

- With an `opa` binary on PATH: `opa check --strict` and `opa fmt --list` themselves.
- Always, with real OPA in-process (opa-golib-python-bindings, which exposes no strict or format
  switch): every module is parsed and the whole pack (with its tests) compiled by OPA v1. Rego v1
  already makes part of strict mode mandatory: `if`/`contains` keywords, no deprecated built-ins,
  no duplicate or shadowing imports, no shadowing of `input`/`data`, no unused `some` variables.
  The strict-only checks (unused imports, unused function arguments, unused local assignments)
  are then applied here to OPA's own AST of each module (`rego.parse_module`).
- Always: the whitespace rules `opa fmt` enforces (tab indentation, no trailing whitespace, one
  final newline, no CRLF, no runs of blank lines). Not a full `opa fmt` comparison.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, Iterator

import pytest

from llm_policy.resources import builtin_policy_dir

POLICIES = builtin_policy_dir()
FILES = sorted(POLICIES.rglob("*.rego"))
IDS = [p.relative_to(POLICIES).as_posix() for p in FILES]
OPA = shutil.which("opa")


@pytest.fixture(scope="module")
def opa() -> Any:
    bindings = pytest.importorskip("opa_bindings", reason="real OPA in-process (opa-golib-python-bindings) is not installed")
    return bindings


def test_there_are_policies() -> None:
    assert FILES, f"no .rego files under {POLICIES}"


# --- the real thing, when an OPA binary is available ----------------------------------------------


@pytest.mark.skipif(not OPA, reason="no `opa` binary on PATH: strict checks run on OPA's AST below instead")
def test_opa_check_strict() -> None:
    # OPA >= 1.0 reads Rego v1 by default, as the pack is written.
    result = subprocess.run([OPA, "check", "--strict", str(POLICIES)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(not OPA, reason="no `opa` binary on PATH: only opa fmt's whitespace rules are checked below")
def test_opa_fmt_leaves_every_file_unchanged() -> None:
    result = subprocess.run([OPA, "fmt", "--list", str(POLICIES)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "", "opa fmt would change:\n" + result.stdout + result.stderr


# --- OPA v1 compile of the whole pack -------------------------------------------------------------


def test_whole_pack_compiles_under_opa_v1(opa: Any) -> None:
    engine = opa.OpaEngine()
    for path, name in zip(FILES, IDS):
        engine.add_policy(name, path.read_text(encoding="utf-8"))  # parse errors raise here
    try:
        engine.eval_query("x := 1")  # compiles every module (type check, safety, v1 rules)
    except opa.OpaError as exc:
        pytest.fail(exc.message)


# --- strict-only checks on OPA's AST --------------------------------------------------------------


def _vars(node: Any) -> Iterator[str]:
    """Every variable occurrence in an AST node, generated ones ($0, $1...) excluded."""
    if isinstance(node, dict):
        if node.get("type") == "var" and isinstance(node.get("value"), str):
            if not node["value"].startswith("$"):
                yield node["value"]
            return
        for value in node.values():
            yield from _vars(value)
    elif isinstance(node, list):
        for item in node:
            yield from _vars(item)


def _assignments(node: Any) -> Iterator[str]:
    """Variables bound by `:=` anywhere in a rule, comprehension bodies included."""
    if isinstance(node, dict):
        terms = node.get("terms")
        if isinstance(terms, list) and len(terms) == 3 and terms[0] == {"type": "ref", "value": [{"type": "var", "value": "assign"}]}:
            yield from _vars(terms[1])
        for value in node.values():
            yield from _assignments(value)
    elif isinstance(node, list):
        for item in node:
            yield from _assignments(item)


def _line_of(source: str, pattern: str) -> int:
    match = re.search(pattern, source, re.MULTILINE)
    return source.count("\n", 0, match.start()) + 1 if match else 0


def strict_problems(source: str, ast: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    rules = ast.get("rules") or []
    used = [name for rule in rules for name in _vars(rule)]
    for imp in ast.get("imports") or []:
        path = imp["path"]["value"]
        if path[0]["value"] in ("rego", "future"):
            continue
        name = imp.get("alias") or path[-1]["value"]
        if name not in used:
            line = _line_of(source, r"^import .*\b" + re.escape(name) + r"\s*$")
            problems.append(f"line {line}: import {name} unused")
    for rule in rules:
        head = rule.get("head") or {}
        counts: dict[str, int] = {}
        for name in _vars(rule):
            counts[name] = counts.get(name, 0) + 1
        rule_name = head.get("name") or ".".join(str(t.get("value")) for t in head.get("ref", []))
        for arg in head.get("args") or []:
            for name in _vars(arg):
                if counts.get(name, 0) == 1:
                    line = _line_of(source, "^" + re.escape(rule_name) + r"\(")
                    problems.append(f"line {line}: rule {rule_name}: unused argument {name}")
        for name in _assignments(rule):
            if counts.get(name, 0) == 1:
                line = _line_of(source, r"\b" + re.escape(name) + r"\s*:=")
                problems.append(f"line {line}: rule {rule_name}: assigned var {name} unused")
    return problems


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_strict_mode_rules_on_opa_ast(opa: Any, path: Path) -> None:
    import json

    source = path.read_text(encoding="utf-8")
    engine = opa.OpaEngine()
    rows = engine.eval_query(f"ast := rego.parse_module({json.dumps(path.name)}, {json.dumps(source)})")
    assert rows, "OPA could not parse the module"
    assert strict_problems(source, rows[0]["ast"]) == []


def test_the_strict_checks_find_what_they_look_for(opa: Any) -> None:
    """The checker itself: each kind of problem in a small module is reported."""
    import json

    source = (
        "package t\n\nimport data.unused\n\nimport data.used\n\n"
        "f(a, b) := a if { x := 1; true }\n\n"
        "g := used.v\n"
    )
    rows = opa.OpaEngine().eval_query(f"ast := rego.parse_module(\"t.rego\", {json.dumps(source)})")
    problems = strict_problems(source, rows[0]["ast"])
    assert problems == [
        "line 3: import unused unused",
        "line 7: rule f: unused argument b",
        "line 7: rule f: assigned var x unused",
    ]


# --- opa fmt's whitespace rules -------------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_formatting_whitespace(path: Path) -> None:
    raw = path.read_bytes()
    assert b"\r" not in raw, "CRLF line endings"
    text = raw.decode("utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n"), "the file must end with exactly one newline"
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line != line.rstrip():
            problems.append(f"{number}: trailing whitespace")
        if re.match(r"^\t* +\S", line) and not line.lstrip().startswith("#"):
            problems.append(f"{number}: indented with spaces (opa fmt uses tabs)")
    if "\n\n\n" in text:
        problems.append(f"{text.count(chr(10), 0, text.index(chr(10) * 3)) + 2}: more than one blank line")
    assert problems == []
