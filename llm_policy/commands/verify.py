"""`llm-policy verify [DIRS...]`: run the Rego unit tests of the built-in and custom policies."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from llm_policy.util import numbers
from llm_policy.commands.common import add_policy_options, located, policy_settings, resolve_config


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "verify",
        help="run Rego unit tests (test_* rules in *_test.rego)",
        description="Run test_* rules in *_test.rego files. With DIRS (or --policy DIR, as conftest verify), run the "
        "tests found there (the built-in policies stay loaded so tests can use them); without, run the built-in pack's "
        "tests and those of configured policy directories. Exit 0 when every test passes, 1 on a failing test "
        "(as conftest), 2 on errors (a test that raises, a broken policy, --strict problems).",
    )
    parser.add_argument("dirs", nargs="*", type=Path, metavar="DIR")
    parser.add_argument("--fail-on-empty", action="store_true", help="exit 2 when no test was found")
    parser.add_argument("--coverage", action="store_true",
                        help="report line coverage of every non-test policy file under test (untested files count as 0%%)")
    parser.add_argument("--threshold", type=numbers.flag("threshold"), default=None, metavar="PERCENT",
                        help="exit 1 when coverage is below PERCENT (0-100); implies --coverage")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every test, and the coverage of each file")
    parser.add_argument("-f", "--format", "--output", dest="format", choices=("text", "json", "junit", "tap"), default="text",
                        help="report format on stdout (as conftest verify --output): text (default), json, junit, tap")
    parser.add_argument("--report", choices=("fails", "notes", "full"), default=None,
                        help="text detail as conftest's --report: fails (failing tests with their print() output), "
                        "notes (also what passing tests printed), full (every test)")
    parser.add_argument("--strict", action="store_true",
                        help="unused imports, function arguments and local assignments in custom policies and their tests are errors "
                        "(exit 2; the checks of `opa check --strict` that Rego v1 does not already enforce, see docs/conftest.md)")
    add_policy_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from llm_policy.cli import UsageError
    from llm_policy.engines import EngineError
    from llm_policy.policy import PolicyError, load_policy_set
    from llm_policy.policy.verify import run_tests

    settings = policy_settings(args, resolve_config(args))
    settings["strict"] = args.strict
    if args.report and args.format != "text":
        raise UsageError("--report applies to text output only (as in conftest)")
    if args.dirs:
        settings["policy_dirs"] = list(args.dirs)
    # conftest verify -p DIR tests DIR: with --policy on the command line and no DIRS, those are under test.
    under_test = [p.resolve() for p in (args.dirs or args.policy)]
    try:
        policy_set = load_policy_set(include_tests=True, require_rules=False, **settings)
    except PolicyError as exc:
        raise UsageError(located(exc)) from None

    def tested(module: Any) -> bool:
        if not under_test:
            return True
        return module.source is not None and any(module.source == p or p in module.source.parents for p in under_test)

    selected = [m for m in policy_set.modules if m.is_test and tested(m)]
    coverage = args.coverage or args.threshold is not None
    # With DIRS, the built-in pack is loaded for the tests to use but is not what is under test.
    counted = [m for m in policy_set.modules if not m.is_test and tested(m)]

    try:
        result = run_tests(policy_set, selected, coverage=coverage, counted=counted)
    except EngineError as exc:
        where = ":".join(str(x) for x in (exc.file, exc.line, exc.column) if x)
        print(f"{where}: error: {exc.message}", file=sys.stderr)
        return 2
    from llm_policy.commands import verify_output

    failed = sum(t.outcome == "fail" for t in result.tests)
    errors = sum(t.outcome == "error" for t in result.tests)
    if args.format == "json":
        sys.stdout.write(verify_output.as_json(result))
    elif args.format == "junit":
        sys.stdout.write(verify_output.junit(result))
    elif args.format == "tap":
        sys.stdout.write(verify_output.tap(result))
    else:
        sys.stdout.write(verify_output.text(result, args.verbose, args.report))
    if result.coverage is not None and args.format == "text":
        untouched = [f.path for f in result.files if not f.touched]
        print(f"coverage: {result.coverage:.1f}% of policy lines in {len(result.files)} files"
              + (f" ({len(untouched)} not touched by any test: {', '.join(untouched)})" if untouched else ""))
        if args.verbose:
            for file in result.files:
                line = f"  {file.percent:5.1f}%  {file.path} ({file.covered}/{file.total} lines)"
                if file.missing:
                    line += f"  not covered: {', '.join(map(str, file.missing))}"
                print(line)
    if errors or (not result.tests and args.fail_on_empty):
        if not result.tests:
            print("llm-policy: no tests found", file=sys.stderr)
        return 2
    if failed:
        return 1
    if result.coverage is not None and args.threshold is not None and result.coverage < args.threshold:
        print(f"llm-policy: coverage {result.coverage:.1f}% is below the threshold {args.threshold:.1f}%", file=sys.stderr)
        return 1
    return 0
