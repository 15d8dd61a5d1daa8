"""`llm-policy report [PATH...]`: the compliance report (issue 16).

`check` with `--format compliance-md` as its default: every option of `check` (frameworks,
waivers, --output, --format compliance-html, the exit codes) means the same here.
"""

from __future__ import annotations

import argparse
from typing import Any


class _Named:
    """Hands `check.register` the `report` parser instead of creating a `check` one."""

    def __init__(self, subparsers: Any) -> None:
        self._subparsers = subparsers

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        kwargs["help"] = "compliance report per framework and control (check --format compliance-md)"
        kwargs["description"] = (
            "Per framework in scope, each control with its status (pass, fail, needs evidence, not applicable), the rules "
            "and findings behind it, the evidence the manifest cites and the waivers. Markdown by default; "
            "--format compliance-html writes one self-contained HTML file. Exit codes as for check.")
        return self._subparsers.add_parser("report", **kwargs)


def register(subparsers: Any) -> None:
    from llm_policy.commands import check

    check.register(_Named(subparsers))
    parser = subparsers.choices["report"]
    parser.set_defaults(format="compliance-md")


def run(args: argparse.Namespace) -> int:
    from llm_policy.commands import check

    return check.run(args)
