"""`check --pre-commit`: what to check when the paths are the files a commit changed.

pre-commit runs a hook as `entry + args + changed files`. Two things follow:

- The file names come from the repository, so from whoever wrote the pull request. A committed
  `--fail-on=never/llm-sourcing.yaml` would be read as an option. The hook's entry therefore
  carries `--pre-commit`, its default `args` are `["--"]`, and `--pre-commit` without a `--`
  on the command line is a usage error (exit 2): a user who overrides `args:` and forgets the
  `--` is told so on the first commit instead of running a hook that file names can steer.
- A commit that changes what the check *means* (the configuration, the waivers file, a policy or
  data file) changes the verdict of manifests that did not change. Such a file is never itself
  checked as a manifest (a `pyproject.toml` is not an `llm-sourcing.yaml`); it makes the hook
  check every manifest of the repository instead, so a broken waivers file is a failure, not
  "Skipped".
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable, Optional

# `require_separator` runs before every `check`: the rest of the package is imported where needed.

FLAG = "--pre-commit"


def require_separator(argv: Iterable[str]) -> Optional[str]:
    """The usage error for a `--pre-commit` run whose options are not ended by `--`, else None.

    Only the part before the first `--` holds options, so a `--pre-commit` after it is a path.
    """
    argv = list(argv)
    options = argv[: argv.index("--")] if "--" in argv else argv
    if FLAG in options and "--" not in argv:
        return (f"{FLAG} needs `--` before the file names, so that no file name is read as an option; "
                "in .pre-commit-config.yaml end the hook's args with it, e.g. args: [--fail-on, warning, --]")
    return None


def _key(path: Path) -> str:
    return os.path.normcase(os.path.abspath(path))


def _under(path: Path, directories: list[Path]) -> bool:
    target = _key(path)
    return any(target == _key(d) or target.startswith(_key(d).rstrip(os.sep) + os.sep) for d in directories)


def is_trigger(path: Path, config: Any, waivers: Optional[Path], policy_dirs: list[Path], data_files: list[Path]) -> bool:
    """Whether a changed file changes the verdict of manifests that did not change."""
    from llm_policy.run.config import CONFIG_NAMES
    from llm_policy.waivers.loader import WAIVER_NAMES

    name = path.name
    if name in CONFIG_NAMES or name in WAIVER_NAMES or name.endswith(".rego"):
        return True
    if config.path is not None and _key(path) == _key(config.path):
        return True
    if name == "pyproject.toml":
        try:
            return "llm-policy" in path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return True  # cannot tell: re-checking costs time, skipping could cost the gate
    if waivers is not None and _key(path) == _key(waivers):
        return True
    return any(_key(path) == _key(f) for f in data_files) or _under(path, policy_dirs)


def hook_paths(
    changed: list[Path], config: Any, waivers: Optional[Path], policy_dirs: list[Path], data_files: list[Path], root: Path
) -> list[Path]:
    """The paths to search for manifests: the changed manifests, or the whole repository when a
    changed file is configuration, waivers or policy. Other changed files are not manifests.

    No file at all (`pass_filenames: false`, or `always_run: true` with nothing matching) says
    nothing about what changed: the whole repository is checked rather than nothing."""
    from llm_policy.run.discovery import MANIFEST_NAMES

    if not changed:
        return [root]
    manifests = [p for p in changed if p.name in MANIFEST_NAMES or p.is_dir()]
    if any(is_trigger(p, config, waivers, policy_dirs, data_files) for p in changed if p not in manifests):
        return [*manifests, root]
    return manifests
