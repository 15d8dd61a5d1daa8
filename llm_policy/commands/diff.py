"""`llm-policy diff BASE [HEAD]`: what a change does to the sourcing decision and to the findings.

Each side is a git revision or a path; HEAD defaults to the working tree. Exit codes: 0 compared
(whatever changed); 1 with `--fail-on` when a new finding is at or above it; 2 a side could not be
read (unknown revision, not a repository, a shallow clone without the base, an unreadable file) or
the policies are broken: never an empty diff that looks like "nothing changed".
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from llm_policy.commands.common import add_policy_options, parse_date, policy_settings, resolve_config, today

FORMATS = ("text", "json", "markdown")
FAIL_ON = ("error", "warning", "info", "never")


def register(subparsers: Any) -> None:
    from llm_policy.commands.opa_options import add_opa_options

    parser = subparsers.add_parser(
        "diff",
        help="compare the sourcing decision and findings of two revisions (pull-request review)",
        description="Compare every manifest of BASE and HEAD (git revisions or paths; HEAD defaults to the working "
        "tree): sourcing changes a reviewer decides on, and new, fixed and unchanged findings matched by their "
        "fingerprint. Exit codes: 0 compared; 1 a new finding at or above --fail-on; 2 a side could not be read.",
    )
    parser.add_argument("base", metavar="BASE", help="git revision (main, origin/main, a commit) or a path")
    parser.add_argument("head", nargs="?", default=None, metavar="HEAD",
                        help="git revision or path (default: the working tree)")
    parser.add_argument("-f", "--format", choices=FORMATS, default="text", help="output on stdout (default: text)")
    parser.add_argument("-o", "--output", action="append", default=[], metavar="FORMAT=FILE",
                        help="also write FORMAT (text, json, markdown) to FILE; repeatable")
    parser.add_argument("--fail-on", choices=FAIL_ON, default="never",
                        help="exit 1 when a new finding is at or above this severity (default: never)")
    parser.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD",
                        help="evaluation date for both sides (default: today)")
    parser.add_argument("--max-file-size", type=int, default=None, metavar="BYTES",
                        help="reject manifests larger than this (default: 1 MiB)")
    parser.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                        help="per-manifest evaluation time limit (default: 10; 0: no limit)")
    parser.add_argument("--engine", default=None, help="Rego engine: regorus (default) or opa")
    add_policy_options(parser)
    add_opa_options(parser)
    parser.set_defaults(run=run)


def _outputs(specs: list[str]) -> list[tuple[str, Path]]:
    from llm_policy.cli import UsageError

    out = []
    for spec in specs:
        name, sep, target = spec.partition("=")
        if not sep or name.strip().lower() not in FORMATS or not target.strip():
            raise UsageError(f"--output expects FORMAT=FILE with FORMAT one of {', '.join(FORMATS)}, got {spec!r}")
        out.append((name.strip().lower(), Path(target)))
    return out


def run(args: argparse.Namespace) -> int:
    from llm_policy.cli import UsageError
    from llm_policy.commands.check import _engine_settings
    from llm_policy.load import DEFAULT_MAX_BYTES
    from llm_policy.output._report import SEVERITY_RANK
    from llm_policy.output.writer import OutputError, _atomic_write
    from llm_policy.review.git import GitError
    from llm_policy.review.render import RENDERERS
    from llm_policy.review.run import diff
    from llm_policy.review.sides import SideError
    from llm_policy.run.runner import Checker, CheckOptions

    outputs = _outputs(args.output)
    config = resolve_config(args)
    settings = policy_settings(args, config)
    engine, engine_options = _engine_settings(args, config, settings)
    max_bytes = args.max_file_size or config.get("max_file_size", DEFAULT_MAX_BYTES)
    if max_bytes < 1:
        raise UsageError(f"--max-file-size must be 1 or more, got {max_bytes}")
    date = args.date or today()
    options = CheckOptions(root=Path.cwd(), evaluation_date=date, max_bytes=max_bytes, timeout=args.timeout,
                           engine=engine, engine_options=engine_options, **settings)
    checker = Checker(options)
    try:
        report = diff(args.base, args.head, checker, date, max_bytes)
    except (GitError, SideError) as exc:
        raise UsageError(str(exc)) from None
    for name, path in outputs:
        try:
            _atomic_write(path, RENDERERS[name](report))
        except OSError as exc:
            raise OutputError(f"cannot write the {name} output to {path}: {exc.strerror or exc}") from exc
    sys.stdout.write(RENDERERS[args.format](report))
    if report["faults"]:
        return 2
    if args.fail_on != "never" and any(
        SEVERITY_RANK[f["severity"]] >= SEVERITY_RANK[args.fail_on] for f in report["findings"]["new"]
    ):
        return 1
    return 0
