"""Options shared by `scan` and `check --scan`: signatures, excludes, and turning them into a scan."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from llm_policy.run.config import Config

if TYPE_CHECKING:  # pragma: no cover - argparse is imported only where a parser is built
    import argparse


def add_scan_options(parser: argparse.ArgumentParser, with_switch: bool) -> None:
    group = parser.add_argument_group("drift (scanning code for LLM usage)")
    if with_switch:
        group.add_argument("--scan", action="store_true", default=None,
                           help="also scan code, dependency and config files and report drift from the manifests "
                           "(LP601-LP604; `scan: true` in the config)")
        group.add_argument("--no-scan", dest="scan", action="store_false", help="do not scan, whatever the config says")
    group.add_argument("--signatures", action="append", type=Path, default=[], metavar="DIR",
                       help="directory of extra signature files (*.yaml/*.json, one per provider); repeatable")
    group.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                       help="do not scan paths matching GLOB (relative to the root, e.g. 'examples/*'); repeatable")


def scan_enabled(args: argparse.Namespace, config: Config) -> bool:
    return bool(args.scan if args.scan is not None else config.get("scan", False))


def load_scan_settings(args: argparse.Namespace, config: Config) -> tuple[Any, Any]:
    """(SignatureSet, Excludes) from flags and config; a bad signature file is a usage error (exit 2)."""
    from llm_policy.cli import UsageError
    from llm_policy.scan.inventory import Excludes
    from llm_policy.scan.signatures import SignatureError, load_signatures

    patterns = [*config.get("scan_exclude", []), *args.exclude]
    for pattern in patterns:
        if not isinstance(pattern, str) or not pattern.strip("/ "):
            raise UsageError(f"invalid exclude pattern {pattern!r}: expected a non-empty glob")
    try:
        signatures = load_signatures([*config.paths("signatures"), *args.signatures])
    except SignatureError as exc:
        raise UsageError(f"signatures: {exc}") from None
    return signatures, Excludes(patterns)


def check_paths_exist(paths: list[Path]) -> None:
    from llm_policy.cli import UsageError

    for path in paths:
        if not (path.exists() or path.is_symlink()):
            raise UsageError(f"{path}: no such file or directory")


def report_skipped(inventory: Any) -> None:
    """Files the scan could not read or parse, on stderr: the scan says what it did not look at."""
    for skipped in inventory.skipped:
        print(f"llm-policy: error: {skipped.file}: not scanned: {skipped.reason} (exclude it with --exclude)", file=sys.stderr)
