"""Command-line entry point: parses arguments and dispatches to one module per subcommand.

Each subcommand lives in `llm_policy/commands/<name>.py` and exposes `register(subparsers)` and
`run(args) -> int`. Modules are imported only when their command runs, except for argument
registration, which is cheap (argparse only).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Optional, Sequence

from llm_policy import __version__

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
)

USAGE_ERROR = 2


class UsageError(Exception):
    """A mistake in how the tool was called or configured: exit 2 with a message, no traceback."""


def build_parser(only: Optional[str] = None) -> argparse.ArgumentParser:
    """The full parser, or with `only` one subcommand: a run imports just the module it needs.

    Registering a command imports its module (and what that imports); a pre-commit run of `check`
    should not pay for `recommend` or `bundle`. `--help` and `--version` get every command.
    """
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


def main(argv: Optional[Sequence[str]] = None) -> int:
    # The Rust engine appends backtraces to error text when this is set; users want the message.
    os.environ["RUST_BACKTRACE"] = "0"
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0].startswith("-") and args_list[0] not in ("-h", "--help", "--version"):
        args_list.insert(0, "check")  # `llm-policy [PATHS]` means `llm-policy check [PATHS]`
    elif args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version"):
        args_list.insert(0, "check")
    parser = build_parser(args_list[0] if args_list[0] in COMMANDS else None)
    args = parser.parse_args(args_list)
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
