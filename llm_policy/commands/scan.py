"""`llm-policy scan [PATH...]`: the inventory of LLM usage in code, and which manifest governs each.

Also home of `plan_check`, the part of `check --scan` that scans before the manifests are checked.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from llm_policy.commands.common import resolve_config
from llm_policy.commands.scan_options import add_scan_options, check_paths_exist, load_scan_settings, report_skipped


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "scan",
        help="list the LLM usage found in code, dependencies and config, and the manifest governing each",
        description="Scan source (Python, JavaScript/TypeScript, Go, Java), dependency and configuration files for "
        "LLM usage: provider, model, evidence kind, file:line and the governing llm-sourcing.yaml. "
        "Exit codes: 0 every file scanned; 2 usage or configuration error, or a file that could not be read or parsed "
        "(listed on stderr; exclude it with --exclude if it is not your code).",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="directories (scanned in full) or files (default: current directory)")
    parser.add_argument("-f", "--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--root", type=Path, help="paths are shown relative to this (default: the git repository root)")
    parser.add_argument("-j", "--jobs", type=int, default=None, metavar="N", help="worker processes (default: all cores)")
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="configuration file (default: nearest .llm-policy.yaml or [tool.llm-policy] in pyproject.toml)")
    add_scan_options(parser, with_switch=False)
    parser.set_defaults(run=run)


def _jobs(args: argparse.Namespace, config: Any) -> int:
    from llm_policy.cli import UsageError

    jobs = args.jobs or config.get("jobs")
    if jobs is None:
        from llm_policy.run.batch import default_jobs

        return default_jobs()
    if jobs < 1:
        raise UsageError(f"--jobs must be 1 or more, got {jobs}")
    return int(jobs)


def _root(args: argparse.Namespace, config: Any) -> Path:
    from llm_policy.run.discovery import find_root

    return (args.root or (Path(config.get("root")) if config.get("root") else None) or find_root(Path.cwd())).resolve()


def plan_check(args: argparse.Namespace, config: Any, paths: list[Path], root: Path) -> tuple[list[Path], Any]:
    """`check --scan`: scan `paths`, and return the files to check and the plan the runner follows."""
    from llm_policy.scan.drift import plan

    # As in a plain check, a path that does not exist is a fault of its own (the checker reports
    # it, exit 2) and everything else is still scanned and checked.
    missing = [path for path in paths if not (path.exists() or path.is_symlink())]
    present = [path for path in paths if path not in missing]
    signatures, excludes = load_scan_settings(args, config)
    files, drift, _ = plan(present, root, signatures, excludes, _jobs(args, config)) if present else ([], None, None)
    return [*files, *missing], drift  # files the scan could not read are run faults in the report (drift.faults)


def _text(inventory: Any) -> str:
    lines = []
    for item in inventory.evidence:
        what = item.provider or "open weights"
        model = f" (model {item.model})" if item.model and item.kind != "model" else ""
        governed = item.manifest or "no manifest"
        lines.append(f"{item.file}:{item.line}:{item.column}: {what} {item.kind} {item.match}{model} [{governed}]")
    files = {item.file for item in inventory.evidence}
    uses = sorted({item.provider or "open weights" for item in inventory.evidence})
    ungoverned = {item.file for item in inventory.evidence if item.manifest is None}
    summary = (f"{len(inventory.evidence)} uses in {len(files)} of {inventory.files_scanned} files scanned"
               + (f" ({', '.join(uses)})" if uses else "")
               + (f"; {len(ungoverned)} file{'s' if len(ungoverned) != 1 else ''} governed by no manifest" if ungoverned else ""))
    return "\n".join([*lines, summary]) + "\n"


def run(args: argparse.Namespace) -> int:
    from llm_policy.scan.inventory import build_inventory

    config = resolve_config(args)
    paths = args.paths or [Path(".")]
    check_paths_exist(paths)
    signatures, excludes = load_scan_settings(args, config)
    inventory = build_inventory(paths, _root(args, config), signatures, excludes, _jobs(args, config))
    if args.format == "json":
        sys.stdout.write(json.dumps(inventory.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(_text(inventory))
    report_skipped(inventory)
    return 2 if inventory.skipped else 0  # an inventory with holes is not a clean answer
