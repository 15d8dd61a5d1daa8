"""`llm-policy bundle build`: pack the active policy set as an OPA bundle for OPA servers.

The bundle holds what `check` would evaluate (built-in pack, --policy directories, --data tables,
as configured), so a fleet of OPA servers loading it answers exactly like the embedded engine.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from llm_policy.commands.common import add_policy_options, policy_settings, resolve_config

DEFAULT_OUTPUT = "llm-policy-bundle.tar.gz"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "bundle",
        help="build an OPA bundle of the policies for OPA servers",
        description="Work with OPA bundles (the format OPA servers load policies from).",
    )
    actions = parser.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)
    build = actions.add_parser(
        "build",
        help="write the active policies and data as an OPA bundle (.tar.gz)",
        description="Write the built-in policies, --policy directories and --data tables as a standard OPA "
        "bundle: .manifest (revision, roots), the .rego modules (tests left out) and one data.json. "
        "Load it with `opa run --server --bundle FILE` or serve it to OPA's bundle plugin. "
        "The archive is reproducible: the same inputs give the same bytes.",
    )
    build.add_argument("-o", "--output", type=Path, default=Path(DEFAULT_OUTPUT), metavar="FILE",
                       help=f"bundle file to write (default: {DEFAULT_OUTPUT}; - for stdout)")
    build.add_argument("--revision", metavar="REV",
                       help="revision recorded in .manifest and in every decision log entry (default: llm-policy version + content digest)")
    add_policy_options(build)
    build.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from llm_policy.cli import UsageError
    from llm_policy.evaluate import PolicyError, load_policy_set
    from llm_policy.evaluate.bundle import bundle_files, write_bundle

    settings = policy_settings(args, resolve_config(args))
    try:
        policy_set = load_policy_set(**settings)
    except PolicyError as exc:
        raise UsageError(":".join(str(x) for x in (exc.file, exc.line, exc.column) if x) + f": {exc.message}") from None
    if not any(not m.is_test for m in policy_set.modules):
        raise UsageError("no policies to bundle (with --no-builtin, give --policy DIR)")
    if args.revision is not None and not args.revision.strip():
        raise UsageError("--revision must not be empty")
    try:
        files = bundle_files(policy_set, args.revision)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    archive = write_bundle(files)
    if str(args.output) == "-":
        sys.stdout.buffer.write(archive)
        sys.stdout.flush()
    else:
        try:
            args.output.write_bytes(archive)
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    import json

    manifest = json.loads(files[".manifest"])
    modules = sum(1 for name in files if name.endswith(".rego"))
    where = "stdout" if str(args.output) == "-" else str(args.output)
    print(f"llm-policy: wrote {where}: {modules} policy files, roots {', '.join(manifest['roots'])}, "
          f"revision {manifest['revision']}", file=sys.stderr)
    return 0
