"""`llm-policy rules`: list the active rules (built-in and custom) with id, severity and title."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import Any

from llm_policy.commands.common import add_docs_url_option, add_policy_options, docs_base, policy_settings, resolve_config


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("rules", help="list the active rules", description=__doc__)
    parser.add_argument("-f", "--format", choices=("text", "json", "markdown"), default="text")
    add_docs_url_option(parser)
    add_policy_options(parser)
    parser.set_defaults(run=run)


def load_policies(args: argparse.Namespace) -> Any:
    """The active policy set; raises UsageError for unusable policies."""
    from llm_policy.cli import UsageError
    from llm_policy.evaluate import PolicyError, load_policy_set

    try:
        return load_policy_set(**policy_settings(args, resolve_config(args)))
    except PolicyError as exc:
        raise UsageError(policy_error_text(exc)) from None


def policy_error_text(exc: Any) -> str:
    where = ":".join(str(x) for x in (exc.file, exc.line, exc.column) if x)
    return f"{where}: {exc.message}"


def load_rules(args: argparse.Namespace) -> dict[str, Any]:
    """Rule metadata of the active policy set."""
    return load_policies(args).rules


def rule_dicts(args: argparse.Namespace, rules: dict[str, Any]) -> list[dict[str, Any]]:
    """The rules as the report shows them, sorted, with `--docs-url` / `docs_url` applied."""
    from llm_policy.evaluate.rule_docs import rebase_help_uris

    items = [asdict(rule) for rule in sorted(rules.values(), key=lambda r: r.id)]
    rebase_help_uris(items, docs_base(args, resolve_config(args)))
    return items


def _markdown(rules: list[dict[str, Any]]) -> str:
    lines = ["| id | severity | title |", "|---|---|---|"]
    for rule in rules:
        label = f"[{rule['id']}]({rule['help_uri']})" if rule.get("help_uri") else rule["id"]
        title = str(rule["title"]).replace("|", "\\|")
        lines.append(f"| {label} | {rule['severity']} | {title} |")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    rules = rule_dicts(args, load_rules(args))
    if args.format == "json":
        sys.stdout.write(json.dumps(rules, indent=2) + "\n")
        return 0
    if args.format == "markdown":
        sys.stdout.write(_markdown(rules))
        return 0
    width = max((len(r["id"]) for r in rules), default=5)
    for rule in rules:
        print(f"{rule['id']:<{width}}  {rule['severity']:<7}  {rule['title']}")
    return 0
