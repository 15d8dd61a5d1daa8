"""`llm-policy waivers`: list every waiver with its status: active, expiring, expired, unused, unknown.

Whether a waiver is used can only be known by evaluating: the command checks the manifests the
waivers name (or the PATHS given) exactly as `check` would, with the same policies and options,
and reports what each waiver matched. Exit codes: 0 all waivers active (or expiring soon);
1 some are expired, unused or could not be verified; 2 the waivers file or the check failed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from llm_policy.util import numbers
from llm_policy.commands.common import add_policy_options, parse_date, policy_settings, resolve_config, today

STATUSES = ("active", "expiring", "expired", "unused", "unknown")


def register(subparsers: Any) -> None:
    from llm_policy.commands.opa_options import add_opa_options

    parser = subparsers.add_parser(
        "waivers",
        help="list waivers with their status (active, expiring, expired, unused)",
        description="List every waiver in the waivers file with its status. The manifests the waivers name (or PATHS) "
        "are checked as `check` would, to find waivers that match nothing. Exit codes: 0 all active; "
        "1 some expired, unused or unverifiable; 2 the waivers file or the check failed.",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="check these manifests or directories instead of the ones the waivers name")
    parser.add_argument("--waivers", type=Path, metavar="FILE",
                        help="waivers file (default: llm-policy-waivers.yaml next to the config file or at the root)")
    parser.add_argument("-f", "--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--expiring-days", type=numbers.flag("expiring_days"), default=30, metavar="DAYS",
                        help="a waiver that expires within this many days is 'expiring' (default: 30)")
    parser.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="evaluation date (default: today)")
    parser.add_argument("--root", type=Path, help="paths in reports are relative to this (default: the git repository root)")
    parser.add_argument("--timeout", type=numbers.flag("timeout"), default=None, metavar="SECONDS",
                        help="per-manifest evaluation time limit (default: 10; 0: no limit)")
    parser.add_argument("--engine", default=None, help="Rego engine: regorus (default) or opa")
    add_policy_options(parser)
    add_opa_options(parser)
    parser.set_defaults(run=run)


def _row(use: Any, status: str, note: str, today_: str) -> dict[str, Any]:
    entry = use.entry
    return {
        "index": entry.index,
        "line": entry.line,
        "column": entry.column,
        "rule": entry.rule,
        "manifest": entry.manifest,
        "source_id": entry.source_id,
        "pointer": entry.pointer,
        "justification": entry.justification,
        "approved_by": entry.approved_by,
        "expires": entry.expires,
        "days_left": entry.days_left(today_),
        "status": status,
        "findings": use.matched,
        "note": note,
    }


def _note(use: Any, status: str, missing: bool) -> str:
    if missing:
        return "the manifest it names does not exist"
    if status != "unknown":
        return ""
    if use.result is None:
        return "its manifest was not among the paths checked"
    if use.result.faults:
        return "its manifest could not be checked: " + use.result.faults[0].message
    return "its manifest has errors (LP000-LP002), so policies were not evaluated"


def _text(document: dict[str, Any]) -> str:
    lines = []
    for fault in document["faults"]:
        where = fault.get("file") or "llm-policy"
        if fault.get("line"):
            where += f":{fault['line']}:{fault.get('column') or 1}"
        lines.append(f"{where}: error [{fault['kind']}] {fault['message']}")
    for row in document["waivers"]:
        days = row["days_left"]
        when = f"expired {-days} day{'s' if days != -1 else ''} ago" if days < 0 else f"{days} day{'s' if days != 1 else ''} left"
        scope = row["manifest"]
        if row["source_id"] is not None:
            scope += f" source={row['source_id']}"
        if row["pointer"] is not None:
            scope += f" pointer={row['pointer']}"
        text = (f"{document['waivers_file']}:{row['line']}:{row['column']}: {row['status']} {row['rule']} {scope} "
                f"until {row['expires']} ({when}), {row['findings']} finding{'s' if row['findings'] != 1 else ''}; "
                f"approved by {row['approved_by']}: {row['justification']}")
        if row["note"]:
            text += f" [{row['note']}]"
        lines.append(text)
    summary = document["summary"]
    if document["waivers_file"] is None:
        lines.append("no waivers file found")
    else:
        lines.append(f"{summary['total']} waiver{'s' if summary['total'] != 1 else ''}: "
                     + ", ".join(f"{summary[s]} {s}" for s in STATUSES))
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from llm_policy.cli import UsageError
    from llm_policy.commands.check import _engine_settings
    from llm_policy.run.discovery import MissingPath, find_manifests, find_root
    from llm_policy.load import DEFAULT_MAX_BYTES
    from llm_policy.run.batch import check_files
    from llm_policy.run.runner import CheckOptions
    from llm_policy.waivers.apply import apply_waivers
    from llm_policy.waivers.run import load, locate

    config = resolve_config(args)
    root = (args.root or (Path(config.get("root")) if config.get("root") else None) or find_root(Path.cwd())).resolve()
    date = args.date or today()
    waivers, faults = load(locate(args.waivers, config, root), root)
    document: dict[str, Any] = {
        "waivers_file": waivers.display if waivers else (faults[0].file if faults else None),
        "evaluation_date": date,
        "expiring_days": args.expiring_days,
        "summary": {"total": 0, **{s: 0 for s in STATUSES}},
        "waivers": [],
        "faults": [asdict(f) for f in faults],
    }
    if waivers is not None:
        if args.paths:
            try:
                files = find_manifests(args.paths)
            except MissingPath as exc:
                raise UsageError(str(exc)) from None
        else:
            named = dict.fromkeys(Path(e.manifest_path) for e in waivers.entries)
            files = [p for p in named if p.exists() or p.is_symlink()]
        settings = policy_settings(args, config)
        engine, engine_options = _engine_settings(args, config, settings)
        options = CheckOptions(
            root=root, evaluation_date=date, timeout=args.timeout, engine=engine, engine_options=engine_options,
            max_bytes=config.get("max_file_size", DEFAULT_MAX_BYTES), **settings,
        )
        report = check_files(files, options) if files else None
        if report is not None:
            uses = apply_waivers(report, waivers, files, root, date)
            run_faults = report.faults + [f for r in report.files for f in r.faults]
            document["faults"] += [asdict(f) for f in run_faults]
        else:
            from llm_policy.waivers.apply import WaiverUse

            uses = [WaiverUse(entry) for entry in waivers.entries]
        for use in uses:
            missing = not os.path.lexists(use.entry.manifest_path)
            status = "unused" if missing and not use.entry.expired(date) else use.status(
                date, args.expiring_days, run_evaluated=report is not None and not report.faults)
            document["waivers"].append(_row(use, status, _note(use, status, missing), date))
            document["summary"][status] += 1
        document["summary"]["total"] = len(uses)
    sys.stdout.write(json.dumps(document, indent=2) + "\n" if args.format == "json" else _text(document))
    if document["faults"]:
        return 2
    summary = document["summary"]
    return 1 if summary["expired"] or summary["unused"] or summary["unknown"] else 0
