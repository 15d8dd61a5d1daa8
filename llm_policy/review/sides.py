"""One side of a comparison: a git revision, the working tree or a path, as named manifest files.

Files are named by their repo-relative path (a path outside any repository: relative to the
directory given), so the same manifest on both sides has the same name and its findings the same
fingerprint. A revision's manifests are written to a private temporary directory and checked there;
the working tree and paths are checked in place.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal, Optional

from llm_policy.run.discovery import MissingPath, find_manifests
from llm_policy.review import git

Kind = Literal["revision", "worktree", "path"]


class SideError(Exception):
    """A side that cannot be read: exit 2 with this message."""


@dataclass
class Side:
    spec: str
    kind: Kind
    commit: Optional[str] = None
    files: dict[str, Path] = field(default_factory=dict)  # name -> the file to check (revisions: once fetched)
    ids: dict[str, frozenset[str]] = field(default_factory=dict)  # name -> git object ids of its content
    problems: dict[str, str] = field(default_factory=dict)  # name -> why it cannot be read (a fault)
    repo: Optional[Path] = None
    _pending: dict[str, str] = field(default_factory=dict)  # revision: name -> object id not yet written

    def same(self, name: str, other: "Side", other_name: str) -> bool:
        """True when both files certainly have the same bytes (unknown: False, so they get checked)."""
        return bool(self.ids.get(name, frozenset()) & other.ids.get(other_name, frozenset()))

    def fetch(self, names: list[str]) -> None:
        """Write the pending revision files among `names` (one git process for all of them)."""
        wanted = {n: self._pending.pop(n) for n in names if n in self._pending}
        if not wanted:
            return
        assert self.repo is not None
        blobs = git.read_blobs(self.repo, sorted(set(wanted.values())))
        for name, oid in wanted.items():
            self.files[name].parent.mkdir(parents=True, exist_ok=True)
            self.files[name].write_bytes(blobs[oid])

    def describe(self) -> dict[str, Optional[str]]:
        return {"spec": self.spec, "kind": self.kind, "commit": self.commit}


def _relative(path: Path, root: Optional[Path]) -> Optional[str]:
    if root is None:
        return None
    try:
        return Path(os.path.abspath(path)).relative_to(root).as_posix()
    except ValueError:
        return None


def _ids(path: Path, max_bytes: int) -> frozenset[str]:
    """The git blob ids (SHA-1 and SHA-256 repositories) of a file's bytes; empty when unreadable."""
    try:
        if path.stat().st_size > max_bytes:
            return frozenset()  # the checker reports the size; unknown content is always checked
        data = path.read_bytes()
    except OSError:
        return frozenset()
    header = b"blob %d\x00" % len(data)
    return frozenset({hashlib.sha1(header + data).hexdigest(), hashlib.sha256(header + data).hexdigest()})


def _under(name: str, scope: Optional[str]) -> bool:
    if not scope or scope == ".":
        return True
    return name == scope or PurePosixPath(name).is_relative_to(scope)


def classify(spec: str, repo: Optional[Path]) -> Kind:
    """`spec` is a path when it exists on disk, a revision when git knows it; both is ambiguous."""
    exists = os.path.lexists(spec)
    commit = git.resolve(repo, spec) if repo is not None else None
    if exists and commit is not None:
        raise SideError(f"{spec!r} is both a path and a git revision; write ./{spec} for the path or {spec}^{{commit}} for the revision")
    if exists:
        return "path"
    if repo is None:
        raise SideError(f"{spec!r}: no such file or directory, and not inside a git repository to read it as a revision")
    return "revision"


def open_path(spec: str, repo: Optional[Path], max_bytes: int) -> Side:
    path = Path(spec)
    try:
        found = find_manifests([path])
    except MissingPath as exc:
        raise SideError(str(exc)) from None
    side = Side(spec=spec, kind="path")
    base = Path(os.path.abspath(path if path.is_dir() else path.parent))
    for file in found:
        name = _relative(file, repo) or Path(os.path.abspath(file)).relative_to(base).as_posix()
        side.files[name] = file
        side.ids[name] = _ids(file, max_bytes)
    return side


def open_worktree(repo: Path, max_bytes: int, scope: Optional[str] = None) -> Side:
    side = Side(spec="working tree", kind="worktree")
    for file in find_manifests([repo]):
        name = _relative(file, repo)
        if name is None or not _under(name, scope):
            continue
        side.files[name] = file
        side.ids[name] = _ids(file, max_bytes)
    return side


def open_revision(spec: str, repo: Path, workdir: Path, max_bytes: int, scope: Optional[str] = None) -> Side:
    """Name the manifests of `spec`; `fetch` writes those that need checking under `workdir`."""
    commit = git.require_commit(repo, spec)
    side = Side(spec=spec, kind="revision", commit=commit, repo=repo)
    for name, (mode, oid) in git.manifest_paths(repo, commit).items():
        if not _under(name, scope):
            continue
        side.files[name] = workdir / name
        if mode == "120000":
            side.problems[name] = f"{name} is a symbolic link in {spec}; llm-policy does not follow links inside a revision"
            continue
        side.ids[name] = frozenset({oid})
        side._pending[name] = oid
    return side
