"""`opa check --strict`-level hygiene for every .rego file in the built-in pack.

What runs depends on what is available, and each test says which:

- With an `opa` binary on PATH: `opa check --strict` and `opa fmt --list` themselves.
- Always, with real OPA in-process (opa-golib-python-bindings, which exposes no strict or format
  switch): every module is parsed and the whole pack (with its tests) compiled by OPA v1. Rego v1
  already makes part of strict mode mandatory: `if`/`contains` keywords, no deprecated built-ins,
  no duplicate or shadowing imports, no shadowing of `input`/`data`, no unused `some` variables.
  The strict-only checks (unused imports, unused function arguments, unused local assignments)
  are then applied here to OPA's own AST of each module (`rego.parse_module`).
- Always: `scripts/rego_fmt.py`, the rules of `opa fmt` (OPA 1.9) that hand-written Rego misses:
  sorted imports, the trailing comma and line breaks of multi-line arrays, objects, sets and call
  arguments, and the whitespace rules (tabs, no trailing whitespace, one final newline, no CRLF,
  no runs of blank lines). Not a full `opa fmt` comparison; `python scripts/rego_fmt.py --write
  policies/` fixes what it can.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, Iterator

import pytest

from llm_policy.util.resources import builtin_policy_dir

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


@pytest.mark.skipif(not OPA, reason="no `opa` binary on PATH: scripts/rego_fmt.py applies opa fmt's rules below")
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


# --- opa fmt's rules, without OPA (scripts/rego_fmt.py) ------------------------------------------


def _rego_fmt() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("rego_fmt", Path(__file__).resolve().parents[1] / "scripts" / "rego_fmt.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    import sys

    sys.modules["rego_fmt"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


rego_fmt = _rego_fmt()


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_formatted_as_opa_fmt_would(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not rego_fmt.is_v0(text), "the pack is Rego v1; a file taken for v0 would not be checked"
    problems = [str(p) for p in rego_fmt.problems(text)]
    assert problems == [], "run `python scripts/rego_fmt.py --write policies/`:\n" + "\n".join(problems)


# A module written carelessly, and what `opa fmt` (OPA 1.9, format.go writeImports/writeIterable)
# makes of it, for the rules the checker knows.
CARELESS = """\
package t

import data.zeta
import data.alpha.beta as b
import data.alpha

import input.x

p if {
\tn := count(
\t\t[1, 2]
\t)
\tparts := concat("/", [
\t\t"a",
\t\t"b"
\t])
\tq := object.union(
\t\t{"a": 1},
\t\t{"b": 2}
\t)
\tr := {"k": 1,
\t\t"l": 2}
\ts := [1, 2,]
\tt := {v | some v in [1, 2]}
\tinput.list[0] == n
}
"""


def test_the_checker_finds_what_opa_fmt_changes() -> None:
    found = [(p.row, p.message.split(":")[0], p.fixable) for p in rego_fmt.problems(CARELESS)]
    assert found == [
        (3, "imports are not sorted (opa fmt sorts each group by path, then alias)", True),
        (10, "opa fmt joins these call arguments onto the line of `(` (one argument line)", False),
        (15, "multi-line array", True),
        (19, "multi-line call arguments", True),
        (21, "multi-line object", False),
        (22, "multi-line object", True),
        (22, "multi-line object", False),
        (23, "single-line array", False),
    ]


def test_the_fixer_sorts_imports_per_group_and_adds_trailing_commas() -> None:
    fixed = rego_fmt.fix(CARELESS)
    assert fixed.startswith("package t\n\nimport data.alpha\nimport data.alpha.beta as b\nimport data.zeta\n\nimport input.x\n")
    assert '\t\t"b",\n\t])' in fixed and '\t\t{"b": 2},\n\t)' in fixed
    assert rego_fmt.fix(fixed) == fixed, "fixing is idempotent"
    remaining = [p.row for p in rego_fmt.problems(fixed)]
    assert remaining == [10, 21, 22, 23]  # what needs a person: line breaks and removed commas


@pytest.mark.parametrize(("text", "v0"), [
    ("package p\n\ndeny[msg] {\n\tmsg := \"x\"\n}\n", True),
    ("package p\n\nallow {\n\tinput.x\n}\n", True),
    ("package p\n\nx = \"a\" {\n\tinput.x\n}\n", True),
    ("package p\n\nx := {\n\t\"a\": 1,\n}\n", False),
    ("package p\n\nx := f({\n\t\"a\": 1,\n})\n", False),
    ("package p\n\nallow if {\n\tinput.x\n}\n", False),
    ("package p\n\nimport rego.v1\n\nallow {\n\tinput.x\n}\n", False),
])
def test_v0_detection(text: str, v0: bool) -> None:
    assert rego_fmt.is_v0(text) is v0


SPACING = """\
package t

a := 1
b := 2
# c explains itself
c if {
\tinput.c
}
d if input.d

e := 5
default f := false
g if {
\tinput.g
} else := 3
h := 4
"""


def test_rules_are_separated_by_a_blank_line_except_grouped_one_liners() -> None:
    problems = [(p.row, p.message, p.fixable) for p in rego_fmt.problems(SPACING)]
    gap = "opa fmt separates rules with a blank line"
    assert problems == [(5, gap, True), (9, gap, True), (12, gap, True), (13, gap, True), (16, gap, True)]
    fixed = rego_fmt.fix(SPACING)
    assert "a := 1\nb := 2\n\n# c explains itself\nc if {" in fixed
    assert "}\n\nd if input.d\n\ne := 5\n\ndefault f := false\n\ng if {" in fixed and "} else := 3\n\nh := 4\n" in fixed
    assert rego_fmt.problems(fixed) == []


def test_the_fixer_leaves_rego_v0_alone() -> None:
    v0 = "package main\n\nimport data.b\nimport data.a\n\ndeny[msg] {\n\tmsg := concat(\"\", [\n\t\t\"x\"\n\t])\n}\n"
    assert rego_fmt.fix(v0) == v0 and rego_fmt.problems(v0) == []


def test_the_script_writes_and_lists(tmp_path: Path) -> None:
    target = tmp_path / "p.rego"
    target.write_text(CARELESS, encoding="utf-8")
    script = Path(__file__).resolve().parents[1] / "scripts" / "rego_fmt.py"
    import sys

    listed = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True)
    assert listed.returncode == 1 and f"{target}:3: imports are not sorted" in listed.stdout
    assert target.read_text(encoding="utf-8") == CARELESS, "listing never writes"
    written = subprocess.run([sys.executable, str(script), "--write", str(tmp_path)], capture_output=True, text=True)
    assert written.returncode == 1 and f"{target}: reformatted" in written.stdout  # line breaks remain for a person
    assert target.read_text(encoding="utf-8") == rego_fmt.fix(CARELESS)
    missing = subprocess.run([sys.executable, str(script), str(tmp_path / "nope")], capture_output=True, text=True)
    assert missing.returncode == 2
