"""`llm-policy check [PATHS...]`: validate manifests and evaluate the policies against them."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Sequence

from llm_policy.commands.precommit import FLAG as PRE_COMMIT  # already imported by cli.main's separator check

if TYPE_CHECKING:  # pragma: no cover
    import argparse

FAIL_ON = ("error", "warning", "info", "never")

# The namespace argparse gives `check` without options, less `paths`: `simple_args` builds it for
# the commonest call without argparse. tests/test_cold_start.py compares the two for every option
# `register` adds, so a new option without its default here fails there.
DEFAULTS: dict[str, Any] = {
    "all_namespaces": None, "allow_empty": False, "baseline": None, "color": "auto", "command": "check",
    "config": None, "data": [], "date": None, "docs_url": None, "engine": None, "exclude": [], "fail_on": None,
    "format": "text", "frameworks": None, "jobs": None, "max_file_size": None, "namespace": [], "no_builtin": None,
    "opa_ca_cert": None, "opa_client_cert": None, "opa_client_key": None, "opa_insecure": False, "opa_push": False,
    "opa_retries": None, "opa_timeout": None, "opa_token": None, "opa_url": None, "output": [], "policy": [],
    "pre_commit": False, "rego_version": None, "root": None, "scan": None, "signatures": [], "strict": False,
    "timeout": None, "verbose": False, "waivers": None,
}


def simple_args(argv: list[str]) -> Optional[Any]:
    """The parsed arguments of `check [--pre-commit] [--] PATHS...` (no other option), else None.

    Exactly what argparse makes of such a call (positional paths as `Path`s, every option at its
    default), built without importing argparse or the option modules: ~10 ms of a cold start.
    `--pre-commit --` is the hook's own command line (.pre-commit-hooks.yaml), run on every commit,
    so it takes this path too, spelt exactly so and followed by `--` (`cli.main` has refused it
    without one); anything else (another option, a second `--`) returns None and goes through argparse.
    """
    pre_commit = argv[:2] == [PRE_COMMIT, "--"]
    if pre_commit:
        argv = argv[1:]  # any other use of the flag is an option like the rest: argparse's
    rest = argv[1:] if argv[:1] == ["--"] else argv
    if argv[:1] == ["--"]:
        if "--" in rest:
            return None
    elif any(word.startswith("-") for word in rest):
        return None
    from types import SimpleNamespace

    values = {key: list(value) if isinstance(value, list) else value for key, value in DEFAULTS.items()}
    values["pre_commit"] = pre_commit
    return SimpleNamespace(**values, paths=[Path(word) for word in rest], run=run)


def register(subparsers: Any) -> None:
    from llm_policy.commands.common import add_docs_url_option, add_policy_options, parse_date
    from llm_policy.commands.opa_options import add_opa_options
    from llm_policy.util import numbers

    parser = subparsers.add_parser(
        "check",
        help="check llm-sourcing.yaml manifests (default command)",
        description="Validate llm-sourcing.yaml manifests against the schema and the policies. "
        "Exit codes: 0 no finding at or above --fail-on; 1 such findings; 2 usage, configuration or internal error, or nothing checked.",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="manifest files or directories to search (default: current directory)")
    parser.add_argument("-f", "--format", default="text", metavar="FORMAT",
                        help="output format on stdout: text (default), json, sarif, junit, github, markdown, compliance-md, compliance-html")
    parser.add_argument("-o", "--output", action="append", default=[], metavar="FORMAT=FILE",
                        help="also write a report in FORMAT to FILE; repeatable (e.g. -o sarif=results.sarif)")
    parser.add_argument("--fail-on", choices=FAIL_ON, default=None,
                        help="lowest severity that fails the run (default: error)")
    parser.add_argument("--allow-empty", action="store_true", help="exit 0 when no manifest is found")
    parser.add_argument("--pre-commit", action="store_true",
                        help="PATHS are the files a commit changed (the pre-commit hook): check the changed manifests, "
                        "or every manifest of the repository when the configuration, waivers or a policy file changed; "
                        "needs `--` before the file names")
    parser.add_argument("--waivers", type=Path, metavar="FILE",
                        help="waivers file (default: llm-policy-waivers.yaml next to the config file or at the root)")
    parser.add_argument("--baseline", metavar="REF|FILE",
                        help="only findings not in this baseline fail the run: a JSON report saved with --output json=FILE, or a git revision")
    from llm_policy.compliance.frameworks import framework_flag, framework_ids

    parser.add_argument("--framework", action="append", type=framework_flag, metavar="ID", dest="frameworks",
                        help="run the rules of this regulatory framework (repeatable; replaces project.frameworks and the "
                        "default from the jurisdictions): " + ", ".join(framework_ids()) + ". Framework-neutral rules always run")
    parser.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD",
                        help="evaluation date for expiry rules (default: today)")
    parser.add_argument("--root", type=Path, help="paths in reports are relative to this (default: the git repository root)")
    parser.add_argument("--max-file-size", type=numbers.flag("max_file_size"), default=None, metavar="BYTES",
                        help="reject manifests larger than this (default: 1 MiB; at most 1 GiB)")
    parser.add_argument("--timeout", type=numbers.flag("timeout"), default=None, metavar="SECONDS",
                        help="stop evaluating a manifest's policies after this long, as a tool error (default: 10; 0: no limit)")
    parser.add_argument("--engine", default=None, help="Rego engine: regorus (default, in-process) or opa (an OPA server, see --opa-url)")
    color = parser.add_mutually_exclusive_group()
    color.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour text output: always, never, or auto (default): only on a terminal, and not when NO_COLOR "
                       "is set to a non-empty value; always/never win over NO_COLOR")
    color.add_argument("--no-color", dest="color", action="store_const", const="never", help="same as --color never")
    parser.add_argument("-v", "--verbose", action="store_true", help="also list manifests that passed")
    parser.add_argument("-j", "--jobs", type=numbers.flag("jobs"), default=None, metavar="N",
                        help="worker processes for many manifests (default: all cores; `jobs` in the config); the report is the same for any N")
    parser.add_argument("--strict", action="store_true",
                        help="unused imports, function arguments and local assignments in custom policies are errors (exit 2), "
                        "as conftest/opa --strict")
    add_docs_url_option(parser)
    add_policy_options(parser)
    add_opa_options(parser)
    from llm_policy.commands.scan_options import add_scan_options

    add_scan_options(parser, with_switch=True)
    parser.set_defaults(run=run)


def _default_jobs() -> int:
    from llm_policy.run.batch import default_jobs

    return default_jobs()


def _use_color(choice: str) -> bool:
    """`--color always|never` wins over the environment; `auto` colours a terminal unless NO_COLOR
    is set to a non-empty value (no-color.org: an empty NO_COLOR does not count) or TERM is dumb."""
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def _engine_settings(args: argparse.Namespace, config: Any, settings: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The engine name and its options; a mistake here is a usage error, not an internal one."""
    from llm_policy.cli import UsageError
    from llm_policy.commands.opa_options import opa_engine_options
    from llm_policy.engines.factory import ENGINES

    engine = args.engine or config.get("engine", "regorus")
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r} (choose from regorus, opa)")
    try:
        return engine, opa_engine_options(engine, args, config, settings["data_files"])
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _apply_baseline(report: dict[str, Any], spec: str, root: Path, paths: list[Path], options: Any, jobs: int) -> None:
    from llm_policy.cli import UsageError
    from llm_policy.review.baseline import BaselineError, apply_to_check

    try:
        apply_to_check(report, spec, root, paths, options, jobs)
    except BaselineError as exc:
        raise UsageError(str(exc)) from None


def _load_baseline(spec: str, root: Path, paths: list[Path], options: Any, jobs: int) -> Any:
    """The `--baseline` matcher, read before any manifest is checked (a bad baseline writes no report)."""
    from llm_policy.cli import UsageError
    from llm_policy.review.baseline import BaselineError, load

    try:
        return load(spec, root, paths, options, jobs)
    except BaselineError as exc:
        raise UsageError(str(exc)) from None


def _exclude_globs(config: Any) -> list[str]:
    """The config's `exclude`: globs a directory search skips. Anything but a list of non-empty
    strings is a usage error: a malformed exclude must not quietly skip (or keep) manifests."""
    from llm_policy.cli import UsageError

    globs = config.get("exclude", [])
    if not isinstance(globs, list) or not all(isinstance(g, str) and g.strip() for g in globs):
        raise UsageError(f"exclude in {getattr(config, 'path', 'the configuration')} must be a list of non-empty globs")
    return globs


def _run_streamed(args: argparse.Namespace, config: Any, files: Sequence[Path], paths: list[Path], root: Path, options: Any,
                  jobs: int, outputs: list[tuple[str, Path]], render_options: Any, base: Any, allow_empty: bool,
                  checker: Any = None) -> int:
    """`check` with every requested format streamed (`llm_policy.output.stream`): same bytes and exit
    code as rendering the whole report, with only one manifest's result in memory at a time.
    `checker` is one already compiling the policies, if the caller started it early."""
    import dataclasses

    from llm_policy.findings import exit_status
    from llm_policy.output.stream import make_sink
    from llm_policy.output.writer import finish_streams
    from llm_policy.run.batch import stream_report
    from llm_policy.run.runner import Checker
    from llm_policy.waivers.run import load as load_waivers, locate as locate_waivers

    baseline = _load_baseline(args.baseline, root, paths, options, jobs) if args.baseline is not None else None
    checker = checker or Checker(options)
    waivers, waiver_faults = load_waivers(locate_waivers(args.waivers, config, root), root)
    file_options = dataclasses.replace(render_options, color=False)
    file_sinks = [(name, path, make_sink(name, file_options)) for name, path in outputs]
    # Text alone goes straight to stdout; beside --output files it is written after them, as they are.
    stdout_sink = make_sink(args.format, render_options, sys.stdout if args.format == "text" and not outputs else None)

    def prepare(head: dict[str, Any]) -> None:
        if options.frameworks:  # the compliance formats show what --framework selected
            head["frameworks"] = list(options.frameworks)
        if base:
            from llm_policy.policy.rule_docs import rebase_help_uris

            rebase_help_uris(head["rules"], base)  # SARIF helpUri follows

    sinks = [sink for _, _, sink in file_sinks] + [stdout_sink]
    try:
        head, worst = stream_report(checker, files, jobs, waivers, waiver_faults, sinks, prepare, baseline)
        finish_streams(head, file_sinks, stdout_sink, sys.stdout)
    finally:
        for sink in sinks:
            sink.close()
    if not files and not allow_empty:
        print(f"llm-policy: no llm-sourcing.yaml found under {', '.join(str(p) for p in paths)} (use --allow-empty to accept)", file=sys.stderr)
    return exit_status(head["summary"], worst, render_options.fail_on, allow_empty)


def run(args: argparse.Namespace) -> int:
    from llm_policy.cli import UsageError
    from llm_policy.commands.common import docs_base, policy_settings, resolve_config, today
    from llm_policy.run.discovery import PathList, find_manifests, find_root
    from llm_policy.findings import exit_code
    from llm_policy.load import DEFAULT_MAX_BYTES
    from llm_policy.output import FORMATS, RenderOptions, get_renderer
    from llm_policy.run.runner import Checker, CheckOptions

    if args.format not in FORMATS:
        raise UsageError(f"unknown format {args.format!r} (choose from {', '.join(FORMATS)})")
    from llm_policy.output.writer import parse_output_specs, write_outputs

    try:
        outputs = parse_output_specs(args.output)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    config = resolve_config(args)
    fail_on = args.fail_on or config.get("fail_on", "error")
    base = docs_base(args, config)  # a bad URL is a usage error before any work
    root = (args.root or (Path(config.get("root")) if config.get("root") else None) or find_root(Path.cwd())).resolve()
    settings = policy_settings(args, config)
    allow_empty = args.allow_empty
    if args.pre_commit:
        from llm_policy.commands.precommit import hook_paths
        from llm_policy.waivers.run import locate as locate_waivers

        waivers_file = locate_waivers(args.waivers, config, root)
        paths = hook_paths(args.paths, config, waivers_file, settings["policy_dirs"], settings["data_files"], find_root(Path.cwd()))
        allow_empty = True  # a commit that changes nothing the check reads has nothing to check
        if not paths and args.format == "text" and not outputs:
            return 0  # no manifest, configuration, waivers or policy changed: skip compiling the policies
    else:
        paths = args.paths or [Path(".")]
    from llm_policy.commands.scan_options import scan_enabled

    drift = None
    if scan_enabled(args, config):
        from llm_policy.commands.scan import plan_check

        files, drift = plan_check(args, config, paths, root)  # manifests, then ungoverned code files
    else:
        # A missing path is a fault of its own (exit 2) and every other manifest is still checked.
        files = find_manifests(paths, keep_missing=True, root=root, patterns=_exclude_globs(config))
    files = PathList(files)  # held for the whole run: strings, not Path objects (large batches)
    engine, engine_options = _engine_settings(args, config, settings)
    options = CheckOptions(
        root=root,
        evaluation_date=args.date or today(),
        max_bytes=args.max_file_size if args.max_file_size is not None else config.get("max_file_size", DEFAULT_MAX_BYTES),
        timeout=args.timeout,
        engine=engine,
        engine_options=engine_options,
        drift=drift,
        strict=args.strict,
        frameworks=tuple(dict.fromkeys(args.frameworks or ())),
        **settings,
    )
    from llm_policy.output.stream import STREAMABLE

    # Streamed formats (text, json, sarif, junit) are written as results arrive. Their checker is
    # made first: it starts compiling the policies in a worker process, which the imports and work
    # below then overlap (a cold one-file check is mostly that compilation).
    streamed = args.format in STREAMABLE and all(name in STREAMABLE for name, _ in outputs)
    checker = Checker(options) if streamed and args.baseline is None else None
    jobs = args.jobs if args.jobs is not None else config.get("jobs") or _default_jobs()
    render_options = RenderOptions(color=_use_color(args.color), verbose=args.verbose, fail_on=fail_on)
    if streamed:
        # Written as results arrive: memory stays flat for any number of manifests (issue 17).
        return _run_streamed(args, config, files, paths, root, options, jobs, outputs, render_options, base, allow_empty, checker)
    from llm_policy.run.batch import check_files
    from llm_policy.waivers.run import waive_report

    result = check_files(files, options, jobs=jobs)
    waive_report(result, args.waivers, config, files, root, options.evaluation_date)
    report = result.to_dict()
    if options.frameworks:  # the compliance formats show what --framework selected
        report["frameworks"] = list(options.frameworks)
    del result  # the dict is the report from here on: free the dataclasses before rendering (large batches)
    if args.baseline is not None:  # an empty value is an error below, not "no baseline"
        _apply_baseline(report, args.baseline, root, paths, options, jobs)
    if base:
        from llm_policy.policy.rule_docs import rebase_help_uris

        rebase_help_uris(report["rules"], base)  # SARIF helpUri and Markdown links follow
    write_outputs(report, outputs, render_options)  # files first: a closed stdout must not lose them
    if "github" in (args.format, *(name for name, _ in outputs)):
        from llm_policy.output.github import write_step_summary

        write_step_summary(report, render_options)  # only when $GITHUB_STEP_SUMMARY is set
    sys.stdout.write(get_renderer(args.format)(report, render_options))
    if not files and not allow_empty:
        print(f"llm-policy: no llm-sourcing.yaml found under {', '.join(str(p) for p in paths)} (use --allow-empty to accept)", file=sys.stderr)
    return exit_code(report, fail_on, allow_empty)

