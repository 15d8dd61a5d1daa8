"""The package layout keeps its seams: no import cycles, and every module imports on its own.

The rule (README, Development): the import graph of `llm_policy`, counting every import that can
run (module level *and* inside functions), is acyclic. Only imports under `if TYPE_CHECKING:`
(never executed) are left out. A lazy function-level import is allowed for speed (heavy modules
stay off the `check` path), never to hide a cycle: `batch`<->`runner`, `engine`<->engines and
`schema_gen`<->`fast_gen` were such hidden cycles before the regroup (issue 14.15).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "llm_policy"


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _target(name: str) -> str:
    """The package module an import resolves to (`llm_policy.x.y.Name` -> `llm_policy.x.y`)."""
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def _is_type_checking(test: ast.expr) -> bool:
    return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING" or isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _imports(name: str, path: Path) -> set[str]:
    """Every llm_policy module `name` may import at run time, at any depth of its code."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[: len(base) - (child.level - 1)]
                    module = ".".join([*base, child.module] if child.module else base)
                else:
                    module = child.module or ""
                found.update(f"{module}.{alias.name}" for alias in child.names)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {_target(target) for target in found if target.split(".")[0] == "llm_policy"} - {name}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of `graph` as a path of module names, or [] when it has none."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := walk(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (found := walk(node)):
            return found
    return []


def test_the_import_graph_has_no_cycle_counting_lazy_imports() -> None:
    graph = {name: _imports(name, path) for name, path in MODULES.items()}
    assert sum(len(targets) for targets in graph.values()) > 200  # the walk really sees the imports
    cycle = _cycle(graph)
    assert not cycle, "import cycle: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_a_lazy_cycle() -> None:
    """The checker itself: a function-level import back to the importer is a cycle."""
    assert _cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


def test_every_module_imports_in_a_fresh_interpreter() -> None:
    """Each module imports with nothing imported before it (one interpreter, modules dropped in between)."""
    names = [name for name in MODULES if name != "llm_policy.__main__"]  # runs the CLI by design
    code = (
        "import importlib, sys, traceback\n"
        "failed = []\n"
        f"for name in {names!r}:\n"
        "    before = set(sys.modules)\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception:\n"
        "        failed.append(name + ': ' + traceback.format_exc().strip().splitlines()[-1])\n"
        "    for added in set(sys.modules) - before:\n"
        "        if added.startswith('llm_policy'):\n"
        "            del sys.modules[added]\n"
        "print('\\n'.join(failed))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", result.stdout
    assert len(names) > 100


def test_the_documented_entry_points_still_work() -> None:
    """Public API and commands the docs name survive the move."""
    code = (
        "from llm_policy import load_manifest, ManifestError, __version__\n"
        "from llm_policy.schema_gen import main\n"
        "assert callable(load_manifest) and issubclass(ManifestError, Exception) and callable(main)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, timeout=120)
    result = subprocess.run([sys.executable, "-m", "llm_policy.schema_gen", "--help"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0 and "--check" in result.stdout


def test_no_module_is_left_loose_at_the_top_of_the_package() -> None:
    """The top level holds the entry points and the contracts every stage shares, nothing else."""
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "cli.py", "errors.py", "findings.py", "model.py", "schema_gen.py"]
