"""`llm-policy rules`: list the active rules (built-in and custom) with id, severity and title."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import Any

from llm_policy.commands.common import add_policy_options, policy_settings, resolve_config


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("rules", help="list the active rules", description=__doc__)
    parser.add_argument("-f", "--format", choices=("text", "json"), default="text")
    add_policy_options(parser)
    parser.set_defaults(run=run)


def load_rules(args: argparse.Namespace) -> dict[str, Any]:
    """Rule metadata of the active policy set; raises UsageError for unusable policies."""
    from llm_policy.cli import UsageError
    from llm_policy.evaluate import PolicyError, load_policy_set

    try:
        return load_policy_set(**policy_settings(args, resolve_config(args))).rules
    except PolicyError as exc:
        where = ":".join(str(x) for x in (exc.file, exc.line, exc.column) if x)
        raise UsageError(f"{where}: {exc.message}") from None


def run(args: argparse.Namespace) -> int:
    rules = sorted(load_rules(args).values(), key=lambda r: r.id)
    if args.format == "json":
        sys.stdout.write(json.dumps([asdict(r) for r in rules], indent=2) + "\n")
        return 0
    width = max((len(r.id) for r in rules), default=5)
    for rule in rules:
        print(f"{rule.id:<{width}}  {rule.severity:<7}  {rule.title}")
    return 0
