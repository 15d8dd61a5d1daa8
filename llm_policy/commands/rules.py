"""`llm-policy rules`: list the active rules (built-in and custom) with id, severity and title."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import Any, Optional

from llm_policy.commands.common import add_docs_url_option, add_policy_options, docs_base, policy_settings, resolve_config


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("rules", help="list the active rules", description=__doc__)
    parser.add_argument("-f", "--format", choices=("text", "json", "markdown"), default="text")
    add_docs_url_option(parser)
    add_policy_options(parser)
    parser.set_defaults(run=run)


def load_policies(args: argparse.Namespace) -> Any:
    """The active policy set; raises UsageError for unusable policies.

    Rules outside the evaluation scope do not stop the listing: `rules` and `explain` mark them
    (`check` refuses to run with them, see `policy.scope`).
    """
    from llm_policy.cli import UsageError
    from llm_policy.policy import PolicyError, load_policy_set

    try:
        return load_policy_set(**policy_settings(args, resolve_config(args)), check_scope=False, require_rules=False)
    except PolicyError as exc:
        raise UsageError(policy_error_text(exc)) from None


def policy_error_text(exc: Any) -> str:
    from llm_policy.commands.common import located

    return located(exc)


def rule_dicts(args: argparse.Namespace, rules: dict[str, Any], unevaluated: Optional[dict[str, str]] = None) -> list[dict[str, Any]]:
    """The rules as the report shows them, sorted, with `--docs-url` / `docs_url` applied.

    With `unevaluated` ({rule id: package}), each rule also says whether `check` evaluates it.
    """
    from llm_policy.policy.rule_docs import rebase_help_uris

    items = [asdict(rule) for rule in sorted(rules.values(), key=lambda r: r.id)]
    rebase_help_uris(items, docs_base(args, resolve_config(args)))
    if unevaluated is not None:
        for item in items:
            package = unevaluated.get(item["id"])
            item["evaluated"] = package is None
            if package is not None:
                item["not_evaluated_because"] = (
                    f"package {package} is not evaluated; add --namespace {package} or --all-namespaces"
                )
    return items


def _markdown(rules: list[dict[str, Any]]) -> str:
    lines = ["| id | severity | title |", "|---|---|---|"]
    for rule in rules:
        label = f"[{rule['id']}]({rule['help_uri']})" if rule.get("help_uri") else rule["id"]
        title = str(rule["title"]).replace("|", "\\|")
        if not rule.get("evaluated", True):
            title += " **(not evaluated)**"
        lines.append(f"| {label} | {rule['severity']} | {title} |")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    from llm_policy.policy.scope import unevaluated_rule_ids

    policy_set = load_policies(args)
    rules = rule_dicts(args, policy_set.rules, unevaluated_rule_ids(policy_set))
    if args.format == "json":
        sys.stdout.write(json.dumps(rules, indent=2) + "\n")
        return 0
    if args.format == "markdown":
        sys.stdout.write(_markdown(rules))
        return 0
    width = max((len(r["id"]) for r in rules), default=5)
    for rule in rules:
        mark = "" if rule["evaluated"] else f"  [NOT EVALUATED: {rule['not_evaluated_because']}]"
        print(f"{rule['id']:<{width}}  {rule['severity']:<7}  {rule['title']}{mark}")
    if not all(rule["evaluated"] for rule in rules):
        print("llm-policy: some rules are loaded but not evaluated; `check` refuses to run until they are (exit 2)", file=sys.stderr)
    return 0
