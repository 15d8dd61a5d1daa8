"""Find the manifests to check from the paths a user (or pre-commit) gave.

Files named explicitly are always checked, whatever their name; directories are searched for
`llm-sourcing.yaml`/`.yml`, skipping folders that never hold a project's own manifest.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

MANIFEST_NAMES = ("llm-sourcing.yaml", "llm-sourcing.yml")
DEFAULT_EXCLUDES = (
    ".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".nox",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages", ".eggs",
)


class MissingPath(Exception):
    def __init__(self, path: Path):
        super().__init__(f"{path}: no such file or directory")
        self.path = path


def find_manifests(
    paths: Iterable[Path], excludes: Iterable[str] = DEFAULT_EXCLUDES, keep_missing: bool = False
) -> list[Path]:
    """Manifest files under `paths`, in a stable order, each once.

    A path that does not exist raises `MissingPath`, or with `keep_missing` stays in the list in
    its place: `check` then reports it as a located fault (exit 2) and still checks every other
    manifest, instead of one typo losing the whole report.
    """
    skip = set(excludes)
    found: list[Path] = []
    seen: set[str] = set()

    def add(path: Path) -> None:
        key = os.path.normcase(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            found.append(path)

    for path in paths:
        if path.is_dir() and path.name not in MANIFEST_NAMES:
            for directory, subdirs, files in os.walk(path):
                subdirs[:] = sorted(d for d in subdirs if d not in skip)
                for name in sorted(files):
                    if name in MANIFEST_NAMES:
                        add(Path(directory) / name)
        elif path.exists() or path.is_symlink() or keep_missing:
            add(path)  # broken symlinks, unreadable and missing files become located faults later
        else:
            raise MissingPath(path)
    return found


def find_root(start: Path) -> Path:
    """The repository root (nearest ancestor with .git), else `start`: report paths are relative to it."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    return start


def display_path(path: Path, root: Path) -> str:
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()
