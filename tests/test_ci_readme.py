"""The README's test command is exactly what CI runs (#14.8): `.ci/run` and the README cannot drift."""

from __future__ import annotations

import re

from conftest import REPO


def _readme_block() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("Install the test dependencies and run the test suite", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block, "README: the test command block is missing"
    return block.group(1).strip("\n").split("\n")


def _ci_block() -> list[str]:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    block = re.search(r"# --- begin README test command ---\n(.*?)# --- end README test command ---", script, re.DOTALL)
    assert block, ".ci/run: the README test command markers are missing"
    return block.group(1).strip("\n").split("\n")


def test_readme_test_command_is_what_ci_runs():
    [readme] = _readme_block()  # one command, as the brief's set-up asks
    venv = "python3 -m venv .venv && . .venv/bin/activate && "  # CI makes its own fresh venv instead
    assert readme.startswith(venv)
    assert [readme[len(venv):]] == _ci_block()


def test_ci_installs_the_optional_opa_engine_and_runs_the_whole_suite():
    commands = _ci_block()
    assert any("--ignore-requires-python opa-golib-python-bindings==" in c for c in commands)
    assert commands[-1].endswith("pip install -e '.[test]' && python -m pytest")
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in script
