"""`llm-policy bom [PATHS...]`: a CycloneDX ML-BOM (1.6, or 1.5 on request) of the manifests.

The BOM states the sourcing decision for supply-chain tools (Dependency-Track, SBOM pipelines):
models as `machine-learning-model` components, cloud APIs and vendor deployments as services,
routes and fallbacks as dependencies. A manifest that does not load or validate (LP000-LP002) has
no trustworthy content to export: the command prints those findings and exits 2 without a BOM.
Policy findings do not block the export (that is `check`'s job). Needs the `bom` extra.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

INSTALL_HINT = "the bom command needs cyclonedx-python-lib: pip install 'llm-policy[bom]'"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "bom",
        help="export manifests as a CycloneDX ML-BOM (machine-learning models, services, dependencies)",
        description="Write a CycloneDX JSON BOM of the manifests: open-weight models as machine-learning-model "
        "components, cloud APIs and vendor deployments as services, routes and fallbacks as dependencies. "
        "Exit codes: 0 written; 2 a manifest does not load or validate, no manifest found, or the output failed.",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="manifest files or directories to search (default: current directory)")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the BOM to FILE (default: stdout)")
    parser.add_argument("--spec-version", choices=("1.6", "1.5"), default="1.6", help="CycloneDX version (default: 1.6)")
    parser.add_argument("--root", type=Path, help="manifest paths in the BOM are relative to this (default: the git repository root)")
    parser.add_argument("--max-file-size", type=int, default=None, metavar="BYTES",
                        help="reject manifests larger than this (default: 1 MiB)")
    parser.set_defaults(run=run)


def _timestamp() -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now; a malformed value is an error."""
    from llm_policy.cli import UsageError

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise UsageError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, got {epoch!r}") from None


def run(args: argparse.Namespace) -> int:
    from llm_policy.cli import UsageError
    from llm_policy.run.discovery import MissingPath, display_path, find_manifests, find_root
    from llm_policy.load import DEFAULT_MAX_BYTES, LoadError

    try:
        import cyclonedx  # noqa: F401 - the optional dependency, checked before any work
    except ImportError:
        raise UsageError(INSTALL_HINT) from None
    from llm_policy.bom.build import Manifest, build
    from llm_policy.output.writer import OutputError, _atomic_write
    from llm_policy.validate import validate_file

    max_bytes = args.max_file_size or DEFAULT_MAX_BYTES
    if max_bytes < 1:
        raise UsageError(f"--max-file-size must be 1 or more, got {max_bytes}")
    root = (args.root or find_root(Path.cwd())).resolve()
    paths = args.paths or [Path(".")]
    try:
        files = find_manifests(paths)
    except MissingPath as exc:
        raise UsageError(str(exc)) from None
    if not files:
        raise UsageError(f"no llm-sourcing.yaml found under {', '.join(str(p) for p in paths)}")
    manifests, problems = [], []
    for path in files:
        shown = display_path(path, root)
        try:
            document, findings = validate_file(path, shown, max_bytes)
        except LoadError as exc:
            problems.append(f"{shown}: error [io] {exc.message}")
            continue
        errors = [f for f in findings if f.severity == "error"]
        problems += [f"{f.file}:{f.line}:{f.column}: {f.severity} {f.rule_id} {f.message}" for f in errors]
        if document is not None and not errors:
            manifests.append(Manifest(shown, document.data))
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        print(f"llm-policy: error: no BOM written: {len(problems)} problem(s) in the manifests (run llm-policy check)", file=sys.stderr)
        return 2
    text = json.dumps(build(manifests, args.spec_version, _timestamp()), indent=2, ensure_ascii=False) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        _atomic_write(args.output, text)
    except OSError as exc:
        raise OutputError(f"cannot write the BOM to {args.output}: {exc.strerror or exc}") from exc
    print(f"wrote {args.output}: CycloneDX {args.spec_version}, {len(manifests)} manifest(s)", file=sys.stderr)
    return 0
