"""`llm-policy recommend`: walk the sourcing decision tree and print the recommendation.

Asks (or reads from flags / `--answers`) where the data lives and what compliance applies, what
the team can run, how critical quality is and how much traffic there is; prints the recommended
sector(s), the hybrid pattern, the reason tied to each answer and an evaluation of every option
over control, cost, quality and time to market. Writes nothing; `llm-policy init` does.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

COMMAND = "recommend"


def register(subparsers: argparse._SubParsersAction) -> None:
    from llm_policy.advisor.cli import add_question_arguments

    parser = subparsers.add_parser(
        COMMAND,
        help="recommend LLM sourcing: sectors, hybrid pattern, reasons, options table",
        description=__doc__,
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    add_question_arguments(parser, COMMAND)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from llm_policy.advisor.cli import gather_answers
    from llm_policy.advisor.decide import recommend

    answers = gather_answers(args, COMMAND, {"cwd_name": Path.cwd().name})
    rec = recommend(answers)
    if args.format == "json":
        json.dump(rec.to_dict(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        from llm_policy.advisor.render import render_text

        sys.stdout.write(render_text(rec))
    return 0
