"""Every documented CI invocation ends option parsing before its paths (issue 11.1).

Paths in CI come from the repository, so from whoever opened the pull request: a directory named
`--fail-on=never` must be a path. The hook entry is tested with real pre-commit in
test_precommit_hooks.py; this test reads the action, the CI examples and the README's CI section
and fails on any `llm-policy check` command without `--`.
"""

from __future__ import annotations

import re

import pytest

from conftest import REPO

CI_FILES = ["action.yml", "examples/ci/github-workflow.yml", "examples/ci/gitlab-ci.yml"]


def _commands(text: str) -> list[str]:
    """`llm-policy check` commands with their continuation lines (`\\`, YAML folded `--opt` lines)."""
    lines = [re.sub(r"^\s*#?\s*", "", line) for line in text.splitlines()]
    commands: list[str] = []
    index = 0
    while index < len(lines):
        if re.search(r"(^|[\s>-])llm-policy check\b", lines[index]) and "`" not in lines[index]:
            command = lines[index]
            while command.endswith("\\") or (index + 1 < len(lines) and re.match(r"-{1,2}[\w.]|--(\s|$)", lines[index + 1])):
                index += 1
                command = command.rstrip("\\") + " " + lines[index]
            commands.append(command)
        index += 1
    return commands


def _readme_ci_section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("## CI and pre-commit")
    return text[start:text.index("\n## ", start + 1)]


@pytest.mark.parametrize("name", [*CI_FILES, "README.md#ci", "docs/scaling.md#ci"])
def test_ci_invocations_end_options_before_paths(name):
    if name == "README.md#ci":
        text = _readme_ci_section()
    elif name == "docs/scaling.md#ci":
        text = "\n".join(line for line in (REPO / "docs/scaling.md").read_text(encoding="utf-8").splitlines() if "-f github" in line or "llm-policy check" in line and "\\" in line)
    else:
        text = (REPO / name).read_text(encoding="utf-8")
    commands = _commands(text)
    assert commands, f"no llm-policy check command found in {name}"
    for command in commands:
        assert re.search(r"\s--(\s|$)", command), f"{name}: `{command}` does not end its options with --"
