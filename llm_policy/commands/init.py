"""`llm-policy init`: ask the decision-tree questions and write a commented llm-sourcing.yaml.

The manifest implements the recommended pattern with concrete, catalog-backed sources and carries
the schema modeline for editor completion. It asserts nothing it was not told: an owner not given
is a TODO marker and each cloud source's DPA is a commented template (no invented dates, no
contractual terms), so `llm-policy check` fails until a person supplies those facts. An existing
file is never overwritten without `--force`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

COMMAND = "init"
DEFAULT_NAME = "llm-sourcing.yaml"


def register(subparsers: argparse._SubParsersAction) -> None:
    from llm_policy.advisor.cli import add_question_arguments

    parser = subparsers.add_parser(
        COMMAND,
        help="write a commented llm-sourcing.yaml for the recommended pattern",
        description=__doc__,
    )
    parser.add_argument(
        "path",
        nargs="?",
        default=DEFAULT_NAME,
        help=f"file to write, or a directory to write {DEFAULT_NAME} in; '-' prints it (default: ./{DEFAULT_NAME})",
    )
    parser.add_argument("--force", action="store_true", help="overwrite the file if it already exists")
    parser.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="date written in the header (default: today)",
    )
    add_question_arguments(parser, COMMAND)
    parser.set_defaults(run=run)


def _target(raw: str) -> Path | None:
    """The file to write (None for stdout); a directory means the default file name inside it."""
    if raw == "-":
        return None
    path = Path(raw)
    return path / DEFAULT_NAME if path.is_dir() else path


def _write(path: Path, text: str, force: bool) -> None:
    """Create the file exclusively, or replace it atomically with --force: never a half-written manifest."""
    if not force:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
        return
    fd, tmp = tempfile.mkstemp(prefix=".llm-sourcing-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def run(args: argparse.Namespace) -> int:
    from llm_policy.advisor.cli import gather_answers
    from llm_policy.advisor.decide import recommend
    from llm_policy.advisor.manifest import render_manifest, todo_items
    from llm_policy.cli import UsageError

    try:
        today = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    except ValueError:
        raise UsageError(f"--date: not an ISO date (YYYY-MM-DD): {args.date!r}") from None
    target = _target(args.path)
    if target is not None:
        # Refuse before asking anything: answering ten questions for nothing is rude.
        if target.exists() and not args.force:
            raise UsageError(f"{target} already exists; use --force to overwrite it")
        if target.exists() and not target.is_file():
            raise UsageError(f"{target} exists and is not a regular file")
        if not target.parent.is_dir():
            raise UsageError(f"directory {target.parent} does not exist")
    project_dir = (target.parent if target is not None else Path.cwd()).resolve()
    answers = gather_answers(args, COMMAND, {"cwd_name": project_dir.name or "project"})
    rec = recommend(answers)
    filename = target.name if target is not None else DEFAULT_NAME
    text = render_manifest(rec, today=today, filename=str(target) if target is not None else filename)
    if target is None:
        sys.stdout.write(text)
        return 0
    try:
        _write(target, text, args.force)
    except FileExistsError:
        raise UsageError(f"{target} already exists; use --force to overwrite it") from None
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    todos = ["the owner"] if not answers.get("owner") else []
    todos += [f"the DPA of {s['id']}" for s in rec.sources if s["sector"] == "cloud_api"]
    todos += [what for _, what in todo_items(rec)]
    print(f"Wrote {target}: {rec.pattern['title']} ({', '.join(s['id'] for s in rec.sources)}).")
    if todos:
        print(f"Only a person can supply {'; '.join(todos)}: until then `llm-policy check {target}` fails. "
              "Replace each TODO and fill in each commented dpa (and processing_instruction) block, then run the check.")
    else:
        print(f"Next: llm-policy check {target}")
    return 0
