"""`llm-policy explain RULE-ID`: a rule's rationale, remediation and documentation link."""

from __future__ import annotations

import argparse
import difflib
import textwrap
from typing import Any

from llm_policy.commands.common import add_policy_options


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("explain", help="explain one rule", description=__doc__)
    parser.add_argument("rule_id", metavar="RULE-ID", help="e.g. LP101")
    add_policy_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from llm_policy.cli import UsageError
    from llm_policy.commands.rules import load_rules

    rules = load_rules(args)
    rule = rules.get(args.rule_id.upper()) or rules.get(args.rule_id)
    if rule is None:
        close = difflib.get_close_matches(args.rule_id.upper(), list(rules), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; run `llm-policy rules` for the list"
        raise UsageError(f"unknown rule {args.rule_id!r}{hint}")
    print(f"{rule.id}  {rule.title}")
    print(f"severity: {rule.severity}    defined in: {rule.source}")
    for heading, body in (("Why", rule.description), ("How to fix", rule.remediation)):
        if body:
            print(f"\n{heading}:")
            for paragraph in body.split("\n\n"):
                print(textwrap.fill(" ".join(paragraph.split()), width=88, initial_indent="  ", subsequent_indent="  "))
    if rule.help_uri:
        print(f"\nDocumentation: {rule.help_uri}")
    return 0
