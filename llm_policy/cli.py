"""Command-line entry point: parses arguments and dispatches to one module per subcommand.

Each subcommand lives in `llm_policy/commands/<name>.py` and exposes `register(subparsers)` and
`run(args) -> int`. Modules are imported only when their command runs, and only its own parser
is built. The commonest call, `check [--] PATHS...` (a pre-commit hook, an editor), does not even
import argparse: `commands.check.simple_args` gives it the namespace argparse would (a test keeps
the two equal), so a cold check starts its policy compilation sooner.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, Optional, Sequence

from llm_policy import __version__

if TYPE_CHECKING:  # pragma: no cover
    import argparse

# Order is the order shown in --help.
COMMANDS = (
    "check",
    "scan",
    "waivers",
    "verify",
    "rules",
    "explain",
    "recommend",
    "init",
    "bundle",
    "diff",
    "bom",
    "report",
)

USAGE_ERROR = 2


class UsageError(Exception):
    """A mistake in how the tool was called or configured: exit 2 with a message, no traceback."""


GLOBAL_OPTIONS = ("-h", "--help", "--version")
_WORD = r"[A-Za-z][A-Za-z0-9_-]*"  # a first argument that reads as a command name


def build_parser(only: Optional[str] = None) -> argparse.ArgumentParser:
    """The full parser, or with `only` one subcommand: a run imports just the module it needs.

    Registering a command imports its module (and what that imports); a pre-commit run of `check`
    should not pay for `recommend` or `bundle`. `--help` and `--version` get every command.
    """
    import argparse
    import importlib

    parser = argparse.ArgumentParser(
        prog="llm-policy",
        description="Check llm-sourcing.yaml manifests against JSON Schemas and Rego policies.",
    )
    parser.add_argument("--version", action="version", version=f"llm-policy {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS if only is None else (only,):
        module = importlib.import_module(f"llm_policy.commands.{name}")
        module.register(subparsers)
    return parser


def route(argv: Sequence[str]) -> list[str]:
    """The argument list with its subcommand made explicit: `llm-policy [PATHS]` means `check`.

    A first word that is neither a command nor an existing path is a mistyped command
    (`llm-policy chek`), not a manifest that does not exist. A first argument starting with `-`
    (an option of `check`, or `--`) keeps its meaning: `check` is put in front of it, never
    after, so `llm-policy -- --fail-on=never/x.yaml` checks that path.
    """
    args = list(argv)
    if not args:
        return ["check"]
    first = args[0]
    if first in COMMANDS or first in GLOBAL_OPTIONS or first.startswith("-"):
        return args if first in COMMANDS or first in GLOBAL_OPTIONS else ["check", *args]
    import re

    if re.fullmatch(_WORD, first) and not os.path.lexists(first):
        raise UsageError(unknown_command(first))
    return ["check", *args]


def unknown_command(word: str) -> str:
    import difflib

    if word == "help":
        return "unknown command 'help' — did you mean --help? (llm-policy COMMAND --help for one command)"
    close = difflib.get_close_matches(word.lower(), COMMANDS, n=1, cutoff=0.6)
    hint = f" — did you mean {close[0]}?" if close else f" (commands: {', '.join(COMMANDS)})"
    return f"unknown command '{word}'{hint} (no file or directory of that name exists to check either)"


def _innermost(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.ArgumentParser:
    """The (sub)parser of the command that ran, e.g. `bundle extract`: its usage is the one to show."""
    import argparse

    while True:
        actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not actions:
            return parser
        chosen = getattr(args, actions[0].dest, None)
        if chosen not in actions[0].choices:
            return parser
        parser = actions[0].choices[chosen]


def _reject_unknown(parser: argparse.ArgumentParser, args: argparse.Namespace, extras: list[str]) -> int:
    """argparse would print the top-level usage for `check --fromat`; show the command's, with a suggestion."""
    import difflib

    sub = _innermost(parser, args)
    known = sorted(o for o in sub._option_string_actions if o.startswith("--"))
    unknown = next((e for e in extras if e.startswith("-")), extras[0])
    flag = unknown.split("=", 1)[0]
    close = difflib.get_close_matches(flag, known, n=1, cutoff=0.6) if flag.startswith("-") else []
    hint = f" — did you mean {close[0]}?" if close else ""
    kind = "option" if unknown.startswith("-") else "argument"
    sub.print_usage(sys.stderr)
    print(f"{sub.prog}: error: unrecognized {kind} '{unknown}'{hint}", file=sys.stderr)
    return USAGE_ERROR


def main(argv: Optional[Sequence[str]] = None) -> int:
    # The Rust engine appends backtraces to error text when this is set; users want the message.
    os.environ["RUST_BACKTRACE"] = "0"
    try:
        args_list = route(sys.argv[1:] if argv is None else argv)
    except UsageError as exc:
        print(f"llm-policy: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    if args_list[0] == "check":
        from llm_policy.commands.precommit import require_separator

        problem = require_separator(args_list[1:])
        if problem:
            print(f"llm-policy check: error: {problem}", file=sys.stderr)
            return USAGE_ERROR
        import importlib  # commands are loaded by name, as in build_parser: they import this module

        simple = importlib.import_module("llm_policy.commands.check").simple_args(args_list[1:])
        if simple is not None:
            return _execute(simple)
    parser = build_parser(args_list[0] if args_list[0] in COMMANDS else None)
    try:
        args, extras = parser.parse_known_args(args_list)
    except SystemExit as exc:  # argparse's usage errors (2), --help and --version (0)
        return exc.code if isinstance(exc.code, int) else USAGE_ERROR
    if extras:
        return _reject_unknown(parser, args, extras)
    return _execute(args)


def console() -> int:
    """The `llm-policy` command: `main`, then the end of the process without tearing Python down.

    A process about to end need not free its ~170 modules one by one (~7 ms of a cold one-file
    check). Everything an exit must do still happens, in Python's order: atexit handlers run (the
    evaluation worker is stopped and reaped), then stdout and stderr are flushed; a flush that
    fails exits 120, as Python's own shutdown does. In-process callers (tests, embedding) call
    `main`, which returns. Falls back to a normal exit where this cannot be done safely.
    """
    code = main()
    import atexit

    run_exitfuncs = getattr(atexit, "_run_exitfuncs", None)
    threading = sys.modules.get("threading")
    if run_exitfuncs is None or (threading is not None and threading.active_count() > 1):
        return code  # the console script's sys.exit: a normal shutdown
    run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            code = 120
    os._exit(code)


def _execute(args: Any) -> int:
    """Run the parsed command: every failure becomes an exit code and a message, never a traceback."""
    try:
        return int(args.run(args))
    except UsageError as exc:
        print(f"llm-policy: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        print("llm-policy: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `llm-policy check | head` closed the pipe: not a failure of the check itself.
        # The reader went away before the report was complete: fail closed.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return USAGE_ERROR
    except Exception as exc:  # noqa: BLE001 - last line of defence: a crash must never exit 0
        print(f"llm-policy: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        if os.environ.get("LLM_POLICY_DEBUG"):
            raise
        print("llm-policy: set LLM_POLICY_DEBUG=1 for a traceback and please report it", file=sys.stderr)
        return USAGE_ERROR
