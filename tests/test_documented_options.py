"""Every configuration key, CLI flag and GitHub Action input is documented, and nothing documented is made up.

One canonical place per kind (issue 14.13):
- CLI flags: docs/cli.md, generated from the argparse parsers (`python -m llm_policy.schema_gen`;
  tests/test_contracts.py fails when it is stale). Here the *committed* page is read back and
  compared with the live parsers, flag by flag and command by command.
- Configuration keys: the table in the README's "Configuration" section, against `KNOWN_KEYS`.
- GitHub Action inputs: the table in the README's "GitHub Actions" section, against action.yml.
And every `--flag` written after `llm-policy <command>` in the README and docs/*.md must be a flag
of that command, so prose cannot keep a flag that was renamed or removed.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
import yaml

from llm_policy.cli import COMMANDS, build_parser
from llm_policy.gen.cli_docs import documented_actions, subcommands
from llm_policy.run.config import KNOWN_KEYS

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
CLI_MD = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
_CODE = re.compile(r"`([^`]+)`")


def _section(text: str, heading: str) -> str:
    """The body of the Markdown section `heading` (up to the next heading of the same or higher level)."""
    level = heading.split(" ", 1)[0]
    start = text.index(f"\n{heading}\n") + len(heading) + 2
    ends = [m.start() for m in re.finditer(r"\n#{1,%d} " % len(level), text[start:])]
    return text[start : start + ends[0]] if ends else text[start:]


def _table_first_column(section: str) -> list[str]:
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [_CODE.findall(row.split(" | ")[0])[0] for row in rows]


def _parsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    return {parser.prog: parser, **dict(subcommands(parser))}


def _arguments(parser: argparse.ArgumentParser) -> set[str]:
    names: set[str] = set()
    for action in documented_actions(parser):
        if action.option_strings:
            names.update(action.option_strings)
        else:
            names.add(action.metavar if isinstance(action.metavar, str) else action.dest.upper())
    return names


def _documented_cli() -> dict[str, set[str]]:
    documented: dict[str, set[str]] = {}
    for match in re.finditer(r"^## `([^`]+)`\n(.*?)(?=^## |\Z)", CLI_MD, flags=re.M | re.S):
        rows = [line for line in match.group(2).splitlines() if line.startswith("| `")]
        documented[match.group(1)] = {name for row in rows for name in _CODE.findall(row.split(" | ")[0])}
    return documented


def test_every_subcommand_has_a_section_in_docs_cli_md() -> None:
    documented = _documented_cli()
    assert set(documented) == set(_parsers())
    assert {f"llm-policy {name}" for name in COMMANDS} <= set(documented)
    assert "llm-policy bundle extract" in documented  # nested subcommands too


@pytest.mark.parametrize("prog", sorted(_parsers()))
def test_every_flag_of_every_command_is_documented_and_nothing_else(prog: str) -> None:
    documented = _documented_cli().get(prog, set())
    actual = _arguments(_parsers()[prog])
    assert actual - documented == set(), f"{prog}: not in docs/cli.md (run python -m llm_policy.schema_gen)"
    assert documented - actual == set(), f"{prog}: docs/cli.md documents arguments the parser does not have"


def test_every_config_key_is_in_the_readme_table_and_nothing_else() -> None:
    documented = _table_first_column(_section(README, "## Configuration"))
    assert len(documented) == len(set(documented)), "a key is listed twice"
    assert set(documented) == set(KNOWN_KEYS)


def test_the_flags_the_config_table_names_exist() -> None:
    """The table's Flag column: `check` reads the file, and `scan` for `scan_exclude`."""
    flags = _arguments(_parsers()["llm-policy check"]) | _arguments(_parsers()["llm-policy scan"])
    rows = [line for line in _section(README, "## Configuration").splitlines() if line.startswith("| `")]
    named = {flag for row in rows for flag in _CODE.findall(row.split(" | ")[2]) if flag.startswith("--")}
    assert named and named <= flags, named - flags


def test_every_action_input_is_in_the_readme_table_with_its_default() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    section = _section(README, "### GitHub Actions")
    rows = {_CODE.findall(line)[0]: line.split(" | ")[1] for line in section.splitlines() if line.startswith("| `")}
    assert set(rows) == set(action["inputs"])
    for name, spec in action["inputs"].items():
        default = str(spec.get("default", ""))
        assert rows[name] == (f"`{default}`" if default else "(none)"), name
    for output in action["outputs"]:
        assert f"`{output}`" in section


_COMMAND_LINE = re.compile(r"\bllm-policy ((?:bundle )?[a-z]+)\b([^\n`]*)")
_FLAG = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")


def test_flags_written_after_a_command_in_the_docs_exist() -> None:
    """`llm-policy check --fromat` in a README example would teach a flag that fails."""
    parsers = _parsers()
    wrong, checked = [], 0
    for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in _COMMAND_LINE.finditer(line):
                command = match.group(1)
                prog = f"llm-policy {command}"
                if prog not in parsers:
                    prog = f"llm-policy {command.split()[0]}"
                    if prog not in parsers:
                        continue  # prose ("llm-policy hook"), not a command
                known = _arguments(parsers[prog]) | {"--help"}
                for flag in _FLAG.findall(match.group(2).split(" -- ")[0].split("|")[0]):
                    checked += 1
                    if flag not in known:
                        wrong.append(f"{path.name}:{number}: {prog} {flag}")
    assert checked > 40  # the examples really are read
    assert wrong == []
