"""Options shared by the commands that load policies (check, verify, rules, explain)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from llm_policy.run.config import Config, ConfigError, load_config

if TYPE_CHECKING:  # pragma: no cover - argparse is imported only where a parser is built
    import argparse


_PACKAGE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
# A conftest glob (Go path.Match: * ? [...]) over package-name characters, e.g. 'ma*', 'org.*.llm'.
_PATTERN = re.compile(r"[A-Za-z0-9_.*?\[\]^-]+")


def add_policy_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("policies")
    group.add_argument("-p", "--policy", action="append", type=Path, default=[], metavar="DIR",
                       help="add a directory (or .rego file) of custom policies; repeatable")
    group.add_argument("-d", "--data", action="append", type=Path, default=[], metavar="FILE",
                       help="JSON or YAML data file, or a directory of them (recursively, as conftest), merged over the "
                       "built-in tables; repeatable")
    group.add_argument("--no-builtin", action="store_true", default=None, help="run only the policies given with --policy")
    group.add_argument("-n", "--namespace", action="append", default=[], metavar="PACKAGE",
                       help="package evaluated besides llm_policy.rules.* (deny/violation/warn/findings; default: main), "
                       "or a glob of packages as in conftest ('ma*', 'org.*': * ? [...]); repeatable")
    group.add_argument("--all-namespaces", action="store_true", default=None,
                       help="evaluate every package that defines findings/deny/violation/warn (as conftest --all-namespaces)")
    group.add_argument("--rego-version", choices=("v0", "v1"), default=None,
                       help="Rego syntax of the --policy directories (as conftest; default v1; the built-in pack is v1); "
                       "per directory: `rego_versions: {DIR: v0}` in the configuration")
    group.add_argument("--config", type=Path, metavar="FILE",
                       help="configuration file (default: nearest .llm-policy.yaml or [tool.llm-policy] in pyproject.toml)")


def add_docs_url_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--docs-url", metavar="BASE",
                        help="link built-in rules to pages under BASE, e.g. your own mirror of docs/rules/ "
                        "(BASE/<ID>.md, or BASE with {id} replaced); default: the project's docs on GitHub")


def docs_base(args: argparse.Namespace, config: Config) -> Optional[str]:
    """`--docs-url`, else `docs_url` from the configuration, else None (keep the built-in links)."""
    from llm_policy.cli import UsageError

    value = getattr(args, "docs_url", None) or config.get("docs_url")
    if value is None:
        return None
    from llm_policy.policy.rule_docs import check_docs_base

    try:
        return check_docs_base(value)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def resolve_config(args: argparse.Namespace) -> Config:
    from llm_policy.cli import UsageError

    try:
        return load_config(args.config, Path.cwd())
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def _rego_versions(args: argparse.Namespace, config: Config) -> tuple[str, dict[Path, str]]:
    """The default Rego version of custom policy directories and the per-directory overrides."""
    from llm_policy.cli import UsageError

    default = getattr(args, "rego_version", None) or config.get("rego_version", "v1")
    where = f"{config.path}: " if config.path else ""
    if default not in ("v0", "v1"):
        raise UsageError(f"{where}rego_version must be v0 or v1, not {default!r}")
    mapping = config.get("rego_versions", {}) or {}
    base = config.path.parent if config.path else Path.cwd()
    per_dir: dict[Path, str] = {}
    for directory, version in mapping.items():
        if version not in ("v0", "v1") or not str(directory).strip():
            raise UsageError(f"{where}rego_versions maps policy directories to v0 or v1; got {directory!r}: {version!r}")
        per_dir[base / str(directory)] = version
    return default, per_dir


def policy_settings(args: argparse.Namespace, config: Config) -> dict[str, Any]:
    """Merge flags over the configuration file: lists extend, scalars override."""
    rego_version, rego_versions = _rego_versions(args, config)
    from llm_policy.cli import UsageError

    builtin = not (args.no_builtin if args.no_builtin is not None else config.get("no_builtin", False))
    namespaces = [*config.get("namespace", []), *args.namespace] or ["main"]
    from llm_policy.policy.scope import glob_regex, is_glob

    for namespace in namespaces:  # a typo here would evaluate nothing of that package
        if isinstance(namespace, str) and is_glob(namespace) and _PATTERN.fullmatch(namespace):
            try:
                glob_regex(namespace)
            except ValueError as exc:
                raise UsageError(f"--namespace/namespace: {exc}") from None
            continue
        if not isinstance(namespace, str) or not _PACKAGE.fullmatch(namespace):
            raise UsageError(f"--namespace/namespace: {namespace!r} is not a Rego package name (e.g. main or org.llm) "
                             "nor a glob of one (e.g. 'ma*', 'org.*')")
    return {
        "policy_dirs": [*config.paths("policy"), *args.policy],
        "data_files": [*config.paths("data"), *args.data],
        "builtin": builtin,
        "namespaces": list(dict.fromkeys(namespaces)),
        "all_namespaces": bool(args.all_namespaces if args.all_namespaces is not None else config.get("all_namespaces", False)),
        "rego_version": rego_version,
        "rego_versions": rego_versions,
    }


def located(exc: Any) -> str:
    """`file:line:col: message` of a PolicyError, or the message alone when it has no location."""
    where = ":".join(str(x) for x in (exc.file, exc.line, exc.column) if x)
    return f"{where}: {exc.message}" if where else exc.message


def parse_date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        import argparse

        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {value!r}") from None


def today() -> str:
    return dt.date.today().isoformat()
