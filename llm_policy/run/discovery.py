"""Find the manifests to check from the paths a user (or pre-commit) gave.

Files named explicitly are always checked, whatever their name; directories are searched for
`llm-sourcing.yaml`/`.yml`, skipping folders that never hold a project's own manifest.

Symbolic links never carry the check out of the checked root (the repository, or `--root`): a
manifest path that resolves outside it is refused with a fault naming the link, before anything
is read (`leaves_root`), so a committed `llm-sourcing.yaml -> ~/.config/gh/hosts.yml` cannot put
a token into a report. A search does not follow symlinked directories; one that leads out of the
root is listed (and so refused) rather than silently skipped.
"""

from __future__ import annotations

import os
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence, Union, overload

MANIFEST_NAMES = ("llm-sourcing.yaml", "llm-sourcing.yml")
DEFAULT_EXCLUDES = (
    ".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".nox",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages", ".eggs",
)


class PathList(Sequence[Path]):
    """The manifests of a run, kept as strings and handed out as Paths.

    A batch keeps every manifest's path for the whole run, and a Path object costs about four
    times its string: 50,000 manifests held ~20 MiB as Paths against ~5 MiB as strings, in a run
    whose memory is a target (issue 17).
    """

    __slots__ = ("_items",)

    def __init__(self, paths: Iterable[Union[str, Path]] = ()):
        self._items = [os.fspath(path) for path in paths]

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> Path: ...

    @overload
    def __getitem__(self, index: slice) -> "PathList": ...

    def __getitem__(self, index: Union[int, slice]) -> Union[Path, "PathList"]:
        if isinstance(index, slice):
            return PathList(self._items[index])
        return Path(self._items[index])

    def append(self, path: Union[str, Path]) -> None:
        self._items.append(os.fspath(path))

    def __iter__(self) -> Iterator[Path]:
        return map(Path, self._items)

    def __repr__(self) -> str:
        return f"PathList({self._items!r})"


class MissingPath(Exception):
    def __init__(self, path: Path):
        super().__init__(f"{path}: no such file or directory")
        self.path = path


def find_manifests(
    paths: Iterable[Path],
    excludes: Iterable[str] = DEFAULT_EXCLUDES,
    keep_missing: bool = False,
    root: Optional[Path] = None,
    patterns: Iterable[str] = (),
) -> PathList:
    """Manifest files under `paths`, in a stable order, each once (as a PathList: a monorepo's
    manifests never exist as Path objects all at once).

    `patterns` (the config's `exclude`) are globs a directory search skips, matched against the
    path relative to the searched directory and against the file or folder name
    (`examples/*`, `legacy`); a file named explicitly is always checked.

    A path that does not exist raises `MissingPath`, or with `keep_missing` stays in the list in
    its place: `check` then reports it as a located fault (exit 2) and still checks every other
    manifest, instead of one typo losing the whole report. Given `root`, each symlinked directory
    met on the way that leads out of it is listed too, for the checker to refuse.
    """
    skip = set(excludes)
    globs = list(patterns)
    found = PathList()
    seen: set[str] = set()

    def add(path: Path) -> None:
        key = os.path.normcase(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            found.append(path)

    for path in paths:
        if path.is_dir() and path.name not in MANIFEST_NAMES:
            for directory, subdirs, files in os.walk(path):
                subdirs[:] = sorted(d for d in subdirs if d not in skip and not _excluded(path, Path(directory) / d, globs))
                if root is not None:
                    for name in subdirs:  # os.walk does not descend into these links
                        link = Path(directory) / name
                        if link.is_symlink() and leaves_root(link, root):
                            add(link)
                for name in sorted(files):
                    if name in MANIFEST_NAMES and not _excluded(path, Path(directory) / name, globs):
                        add(Path(directory) / name)
        elif path.exists() or path.is_symlink() or keep_missing:
            add(path)  # broken symlinks, unreadable and missing files become located faults later
        else:
            raise MissingPath(path)
    return found


def _excluded(base: Path, path: Path, globs: list[str]) -> bool:
    if not globs:
        return False
    relative = path.relative_to(base).as_posix()
    return any(fnmatchcase(relative, g) or fnmatchcase(path.name, g) for g in globs)


def find_root(start: Path) -> Path:
    """The repository root (nearest ancestor with .git), else `start`: report paths are relative to it."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    return start


def display_path(path: Path, root: Path) -> str:
    """How reports name `path`: relative to the root, and always valid UTF-8.

    A file name that is not UTF-8 (bytes such as 0xff, which Python keeps as lone surrogates)
    would make every report format fail to encode; its undecodable bytes are shown escaped
    (`bad\\xffname`), and the file itself is still read and checked.
    """
    absolute = Path(os.path.abspath(path))
    try:
        shown = absolute.relative_to(root).as_posix()
    except ValueError:
        shown = absolute.as_posix()
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def leaves_root(path: Path, root: Path) -> bool:
    """True when `path` lies in `root` as written but resolves (through symlinks) outside it.

    A path named outside the root is not contained by it: there is nothing to leave.
    """
    absolute = os.path.abspath(path)
    real_root = os.path.realpath(root)
    if not (_within(absolute, os.path.abspath(root)) or _within(absolute, real_root) or _under_alias(absolute, real_root)):
        return False
    return not _within(os.path.realpath(path), real_root)


def _under_alias(absolute: str, real_root: str) -> bool:
    """Whether an ancestor of `absolute` is the root reached through another name (a symlinked
    working directory): rare, so only paths the cheap checks place outside the root pay for it."""
    return any(os.path.realpath(parent) == real_root for parent in Path(absolute).parents)
