"""How the command line reads what it is given (issues 11.1, 14.9, 14.10).

`llm-policy [PATHS]` means `check`; a mistyped command is named as such; option typos show the
subcommand's usage with a suggestion; `--` always ends option parsing, whatever rewriting the
entry point does; colour follows --color, then a non-empty NO_COLOR.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from conftest import MINIMAL, write
from llm_policy.cli import route
from llm_policy.commands import check


@pytest.mark.parametrize("word, hint", [
    ("chek", "did you mean check?"), ("veriyf", "did you mean verify?"), ("bundel", "did you mean bundle?"),
    ("help", "did you mean --help?"), ("frobnicate", "commands: check, scan, waivers"),
])
def test_unknown_command_is_named_not_treated_as_a_missing_file(cli, tmp_path, word, hint):
    result = cli(word, cwd=tmp_path)
    assert result.code == 2
    assert f"unknown command '{word}'" in result.err and hint in result.err
    assert "no such file" not in result.err + result.out


def test_a_word_that_exists_as_a_path_is_checked(cli, tmp_path):
    write(tmp_path / "chek" / "llm-sourcing.yaml", MINIMAL)
    result = cli("chek", "-f", "json", cwd=tmp_path)
    assert result.code == 0 and [f["path"] for f in result.report["files"]] == ["chek/llm-sourcing.yaml"]


def test_paths_that_are_not_words_still_mean_check(cli, tmp_path):
    write(tmp_path / "svc" / "llm-sourcing.yaml", MINIMAL)
    assert cli("svc/llm-sourcing.yaml", cwd=tmp_path).code == 0
    assert cli("nope.yaml", cwd=tmp_path).code == 2  # a missing file: a fault, not an unknown command


@pytest.mark.parametrize("argv, expected", [
    ([], ["check"]),
    (["--", "--fail-on=never/llm-sourcing.yaml"], ["check", "--", "--fail-on=never/llm-sourcing.yaml"]),
    (["--fail-on", "info", "--", "-x"], ["check", "--fail-on", "info", "--", "-x"]),
    (["check", "--", "rules"], ["check", "--", "rules"]),
    (["--version"], ["--version"]),
])
def test_route_puts_check_in_front_and_never_moves_the_separator(argv, expected):
    assert route(argv) == expected


@pytest.mark.parametrize("argv", [
    ["--", "--config=x/llm-sourcing.yaml"], ["check", "--", "--config=x/llm-sourcing.yaml"],
    ["check", "--pre-commit", "--", "--config=x/llm-sourcing.yaml"],
])
def test_paths_after_the_separator_are_paths(cli, tmp_path, argv):
    write(tmp_path / "--config=x" / "llm-sourcing.yaml", "fail_on: never\n")  # a valid config, if it were read as one
    result = cli(*argv, cwd=tmp_path)
    assert result.code == 1, result.err  # checked as a manifest (and an invalid one), never read as --config
    assert "--config=x/llm-sourcing.yaml:" in result.out


def test_paths_starting_with_a_dash_are_checked_after_the_separator(cli, tmp_path):
    write(tmp_path / "-v" / "llm-sourcing.yaml", MINIMAL)
    result = cli("--", "-v", cwd=tmp_path)
    assert result.code == 0 and "1 manifest checked" in result.out


def test_pre_commit_mode_needs_the_separator(cli, tmp_path):
    write(tmp_path / "llm-sourcing.yaml", MINIMAL)
    result = cli("check", "--pre-commit", "llm-sourcing.yaml", cwd=tmp_path)
    assert result.code == 2 and "needs `--` before the file names" in result.err
    assert cli("check", "--pre-commit", "--", "llm-sourcing.yaml", cwd=tmp_path).code == 0


@pytest.mark.parametrize("argv, suggestion", [
    (["check", "--fromat", "json"], "--format"),
    (["check", "--fail-no", "warning"], "--fail-on"),
    (["rules", "--polciy", "x"], "--policy"),
    (["bundle", "extract", "b.tar.gz", "-C", "d", "--sha265", "ab"], "--sha256"),
])
def test_option_typos_show_the_subcommand_usage_and_a_suggestion(cli, tmp_path, argv, suggestion):
    result = cli(*argv, cwd=tmp_path)
    assert result.code == 2
    command = " ".join(a for a in argv[:2] if not a.startswith("-") and a in ("check", "rules", "bundle", "extract"))
    assert f"usage: llm-policy {command}" in result.err, result.err
    assert f"did you mean {suggestion}?" in result.err


# --- colour (issue 14.10) ----------------------------------------------------------------------------

class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("choice, no_color, expected", [
    ("auto", None, True),
    ("auto", "", True),      # no-color.org: only a non-empty value counts
    ("auto", "1", False),
    ("auto", "0", False),    # any non-empty value, even "0"
    ("always", "1", True),   # the flag wins over the environment
    ("never", None, False),
])
def test_color_choice_and_no_color(monkeypatch, choice, no_color, expected):
    monkeypatch.setattr("sys.stdout", _Tty())
    monkeypatch.delenv("TERM", raising=False)
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    assert check._use_color(choice) is expected


# --- property: nothing after `--` is ever an option ---------------------------------------------------


_names = st.lists(
    st.one_of(
        st.sampled_from(["--config=x", "--fail-on=never", "--waivers=w", "--policy=p", "--data=d", "-j1",
                         "--no-builtin", "--pre-commit", "--allow-empty", "-f", "--", "-", "--help", "--version"]),
        st.text(alphabet="-=abc/._ ", min_size=1, max_size=12),
    ).map(lambda head: f"{head}/llm-sourcing.yaml"),
    min_size=1, max_size=6,
)


@settings(max_examples=200, deadline=None)
@given(_names)
def test_file_names_after_the_separator_never_change_an_option(names):
    from llm_policy.cli import build_parser

    argv = route(["--pre-commit", "--", *names])
    args = build_parser("check").parse_args(argv)
    assert [str(p) for p in args.paths] == [str(Path(n)) for n in names]
    assert args.config is None and args.fail_on is None and args.waivers is None and args.policy == [] and args.data == []
    assert args.no_builtin is None and args.jobs is None and args.allow_empty is False and args.format == "text"
