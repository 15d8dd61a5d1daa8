"""`llm-policy explain RULE-ID`: a rule's rationale, remediation, examples and documentation link."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import textwrap
from typing import Any, Optional

from llm_policy.commands.common import add_docs_url_option, add_policy_options


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("explain", help="explain one rule", description=__doc__)
    parser.add_argument("rule_id", metavar="RULE-ID", help="e.g. LP101, or PACKAGE.RULE for a conftest rule (main.deny)")
    parser.add_argument("-f", "--format", choices=("text", "json"), default="text")
    add_docs_url_option(parser)
    add_policy_options(parser)
    parser.set_defaults(run=run)


def _wrap(body: str) -> list[str]:
    return [textwrap.fill(" ".join(p.split()), width=88, initial_indent="  ", subsequent_indent="  ") for p in body.split("\n\n")]


def _text(rule: dict[str, Any], examples: Optional[Any], date: str) -> str:
    lines = [f"{rule['id']}  {rule['title']}", f"severity: {rule['severity']}    defined in: {rule['defined_in']}"]
    if not rule.get("evaluated", True):
        lines.append(f"NOT EVALUATED by check: {rule['not_evaluated_because']}")
    if rule.get("tags"):
        lines.append(f"tags: {', '.join(rule['tags'])}")
    for heading, body in (("Why", rule["description"]), ("How to fix", rule["remediation"])):
        if body:
            lines += ["", f"{heading}:", *_wrap(body)]
    if examples is not None:
        for heading, manifest in (("Example that fails", examples.failing), ("Example that passes", examples.passing)):
            lines += ["", f"{heading}:", *("    " + line if line else "" for line in manifest.rstrip("\n").split("\n"))]
        lines += ["", f"(The examples are checked with `llm-policy check --date {date}`.)"]
    if rule.get("help_uri"):
        lines += ["", f"Documentation: {rule['help_uri']}"]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    from llm_policy.cli import UsageError
    from llm_policy.commands.rules import load_policies, policy_error_text, rule_dicts
    from llm_policy.policy import PolicyError
    from llm_policy.policy.rule_docs import EXAMPLES_DATE, defined_in, rule_examples

    policy_set = load_policies(args)
    rules = policy_set.rules
    rule_id = args.rule_id.upper() if args.rule_id.upper() in rules else args.rule_id
    if rule_id not in rules:
        close = difflib.get_close_matches(args.rule_id.upper(), list(rules), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; run `llm-policy rules` for the list"
        raise UsageError(f"unknown rule {args.rule_id!r}{hint}")
    try:
        examples = rule_examples(policy_set).get(rule_id)
    except PolicyError as exc:
        raise UsageError(policy_error_text(exc)) from None
    from llm_policy.policy.scope import unevaluated_rule_ids

    rule = next(r for r in rule_dicts(args, {rule_id: rules[rule_id]}, unevaluated_rule_ids(policy_set)))
    rule["defined_in"] = defined_in(rule.get("source"))
    if args.format == "json":
        rule["examples"] = None if examples is None else {
            "failing": examples.failing, "passing": examples.passing, "evaluation_date": EXAMPLES_DATE,
        }
        sys.stdout.write(json.dumps(rule, indent=2) + "\n")
        return 0
    sys.stdout.write(_text(rule, examples, EXAMPLES_DATE))
    return 0
