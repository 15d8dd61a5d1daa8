"""`llm-policy bundle build`: pack the active policy set as an OPA bundle for OPA servers.

The bundle holds what `check` would evaluate (built-in pack, --policy directories, --data tables,
as configured), so a fleet of OPA servers loading it answers exactly like the embedded engine.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from llm_policy.util import numbers
from llm_policy.commands.common import add_policy_options, located, policy_settings, resolve_config

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
    extract = actions.add_parser(
        "extract",
        help="unpack a bundle into a directory that check can use with --policy and --data",
        description="Unpack an OPA bundle (from bundle build or opa build) so the embedded engine can check "
        "against exactly what an OPA fleet runs: `llm-policy check --no-builtin --policy DIR --data DIR/data.json`. "
        "Pin the bundle with --sha256; signatures (.signatures.json) are not verified. Members are streamed within "
        "size limits; links, devices, duplicate names and paths outside DIR are refused (exit 2), never skipped.",
    )
    extract.add_argument("bundle", type=Path, metavar="FILE", help="the bundle (.tar.gz)")
    extract.add_argument("-C", "--directory", type=Path, metavar="DIR",
                         help="where to write it (as tar -C); must not exist or be empty")
    # `-d` means --data everywhere else; kept for scripts written before -C, with a warning.
    extract.add_argument("-d", dest="directory_deprecated", type=Path, metavar="DIR", help=argparse.SUPPRESS)
    extract.add_argument("--sha256", type=_sha256, metavar="HEX", help="refuse the bundle unless its SHA-256 digest is this")
    extract.add_argument("--max-member-size", type=numbers.flag("bundle_member_size"), default=None, metavar="BYTES",
                         help="refuse a member larger than this (default: 32 MiB)")
    extract.add_argument("--max-total-size", type=numbers.flag("bundle_total_size"), default=None, metavar="BYTES",
                         help="refuse a bundle whose members add up to more than this, uncompressed (default: 128 MiB)")
    extract.set_defaults(run=run_extract)


def run(args: argparse.Namespace) -> int:
    from llm_policy.cli import UsageError
    from llm_policy.policy import PolicyError, load_policy_set
    from llm_policy.policy.bundle import bundle_files, write_bundle

    settings = policy_settings(args, resolve_config(args))
    try:
        policy_set = load_policy_set(**settings, require_rules=False)
    except PolicyError as exc:
        raise UsageError(located(exc)) from None
    from llm_policy.policy.scope import NOTHING_EVALUATED, nothing_evaluated

    if not any(not m.is_test for m in policy_set.modules):
        raise UsageError("no policies to bundle (with --no-builtin, give --policy DIR)")
    if nothing_evaluated(policy_set):  # a server loading it would answer "no findings" to everything
        raise UsageError(NOTHING_EVALUATED)
    from llm_policy.engines.conftest_builtins import refuse_elsewhere
    from llm_policy.engines.base import EngineError

    try:  # an OPA server would fail to compile the bundle, or a test of it: refuse it here, located
        refuse_elsewhere([m for m in policy_set.modules if not m.is_test], "OPA (bundle)")
    except EngineError as exc:
        raise UsageError(f"{exc.file}:{exc.line}: {exc.message}") from None
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


def _sha256(value: str) -> str:
    """A pinned digest is 64 hex digits: an empty `--sha256="$UNSET"` must not silently skip the pin."""
    import re

    digest = value.strip().lower()
    if digest.startswith("sha256:"):
        digest = digest[len("sha256:"):]
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise argparse.ArgumentTypeError(f"not a SHA-256 digest (64 hexadecimal digits): {value!r}")
    return digest


def _target(args: argparse.Namespace) -> Path:
    from llm_policy.cli import UsageError

    if args.directory is not None and args.directory_deprecated is not None:
        raise UsageError("give the target directory once: -C/--directory DIR (-d is its deprecated alias)")
    if args.directory_deprecated is not None:
        print("llm-policy: warning: `bundle extract -d DIR` is deprecated (-d is --data elsewhere); use -C DIR or --directory DIR",
              file=sys.stderr)
        return args.directory_deprecated  # type: ignore[no-any-return]
    if args.directory is None:
        raise UsageError("bundle extract needs a target directory: -C DIR or --directory DIR")
    return args.directory  # type: ignore[no-any-return]


def run_extract(args: argparse.Namespace) -> int:
    import hashlib
    import json

    from llm_policy.cli import UsageError
    from llm_policy.policy.bundle import Limits, hashed_stream, unpack_bundle

    target = _target(args)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target} exists and is not an empty directory (stale policies would be loaded with the new ones)")
    defaults = Limits()
    limits = Limits(
        member_bytes=args.max_member_size or defaults.member_bytes,
        total_bytes=args.max_total_size or defaults.total_bytes,
    )
    digest = hashlib.sha256()
    try:
        # One pass over the file: what is hashed is exactly what is unpacked (no second read that
        # could see other bytes), members are streamed within the limits, nothing is written
        # before the digest is known to match.
        with open(args.bundle, "rb") as handle:
            stream = hashed_stream(handle, digest)
            try:
                modules, merged, manifest = unpack_bundle(stream, limits)
            except ValueError as exc:
                raise UsageError(f"{args.bundle}: {exc}") from None
            while stream.read(1024 * 1024):  # the rest of the file (gzip trailer, padding) counts too
                pass
    except OSError as exc:
        raise UsageError(f"cannot read {args.bundle}: {exc.strerror or exc}") from None
    hexdigest = digest.hexdigest()
    if args.sha256 is not None and args.sha256 != hexdigest:
        raise UsageError(f"{args.bundle}: SHA-256 is {hexdigest}, not the pinned {args.sha256}")
    try:
        for name, text in modules.items():
            path = target / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        target.mkdir(parents=True, exist_ok=True)
        (target / "data.json").write_text(json.dumps(merged, sort_keys=True, indent=1) + "\n", encoding="utf-8")
        (target / ".manifest").write_text(json.dumps(manifest, sort_keys=True, indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write to {target}: {exc.strerror or exc}") from None
    print(f"llm-policy: extracted {len(modules)} policy files of revision {manifest.get('revision', '(none)')} "
          f"(sha256 {hexdigest}) to {target}", file=sys.stderr)
    versions = manifest.get("file_rego_versions")
    legacy = sorted(str(name).lstrip("/") for name, v in versions.items() if v == 0) if isinstance(versions, dict) else []
    if legacy:
        mapping = ", ".join(f"{target / name}: v0" for name in legacy)
        print(f"llm-policy: {len(legacy)} of them are Rego v0; check with `rego_versions: {{{mapping}}}` in .llm-policy.yaml",
              file=sys.stderr)
    return 0
