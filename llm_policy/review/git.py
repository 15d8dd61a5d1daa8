"""Read revisions through the `git` command line, failing closed.

Every question that git cannot answer is a `GitError` (exit 2 with git's reason), never an empty
answer: an unknown revision, a directory that is not a repository, or a shallow clone that lacks
the base commit must not become "nothing changed, so the check passes".
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path, PurePosixPath
from typing import Optional

from llm_policy.run.discovery import DEFAULT_EXCLUDES, MANIFEST_NAMES

TIMEOUT = 60.0  # seconds for one git command: a hung credential prompt must not hang CI


class GitError(Exception):
    """git could not answer; the message says why and what to do."""


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=TIMEOUT, env=env)
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {' '.join(args)} did not finish within {TIMEOUT:.0f} s") from None
    if check and done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {' '.join(args)} failed: {reason[-1] if reason else f'exit {done.returncode}'}")
    return done


def repo_root(start: Path) -> Path:
    """The top of the work tree containing `start`, or GitError when there is none."""
    done = _git(start, "rev-parse", "--show-toplevel", check=False)
    if done.returncode != 0:
        raise GitError(f"{start}: not inside a git repository (a revision needs one; pass paths to compare files instead)")
    return Path(done.stdout.decode("utf-8").strip())


def is_shallow(root: Path) -> bool:
    done = _git(root, "rev-parse", "--is-shallow-repository", check=False)
    return done.stdout.strip() == b"true"


def resolve(root: Path, revision: str) -> Optional[str]:
    """The commit id `revision` names, or None when it names none (the caller decides how to fail)."""
    if not revision or revision.startswith("-") or "\x00" in revision:
        return None  # never let a revision become an option of git
    done = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}", check=False)
    return done.stdout.decode("ascii").strip() if done.returncode == 0 else None


def require_commit(root: Path, revision: str) -> str:
    """The commit id of `revision`, or a GitError that says why it is missing."""
    commit = resolve(root, revision)
    if commit is not None:
        return commit
    if is_shallow(root):
        raise GitError(
            f"unknown revision {revision!r} in a shallow clone: the base commit was probably not fetched; "
            "fetch full history (actions/checkout with fetch-depth: 0, or git fetch --unshallow)"
        )
    raise GitError(f"unknown revision {revision!r} (not a commit in {root})")


def manifest_paths(root: Path, commit: str) -> dict[str, tuple[str, str]]:
    """Repo-relative path -> (git file mode, object id) of the manifests in `commit` (sorted), skipping
    the folders discovery skips. Mode 120000 is a symbolic link, whose blob is the link's target."""
    out = _git(root, "ls-tree", "-r", "-z", "--full-tree", commit).stdout
    skip = set(DEFAULT_EXCLUDES)
    paths: dict[str, tuple[str, str]] = {}
    for entry in out.split(b"\x00"):
        if not entry:
            continue
        meta, _, raw = entry.partition(b"\t")
        path = raw.decode("utf-8", "surrogateescape")
        parts = PurePosixPath(path).parts
        if parts[-1] not in MANIFEST_NAMES or any(p in skip for p in parts[:-1]):
            continue
        if meta.split()[1] != b"blob":
            continue  # a submodule (commit) named like a manifest holds no manifest of this repository
        mode, _, oid = meta.decode("ascii").split()
        paths[path] = (mode, oid)
    return dict(sorted(paths.items()))


def read_blobs(root: Path, oids: list[str]) -> dict[str, bytes]:
    """Object id -> bytes for many blobs in one `git cat-file --batch` (not one process per file)."""
    if not oids:
        return {}
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"], input="\n".join(oids).encode("ascii") + b"\n",
                              capture_output=True, timeout=TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        raise GitError(f"git cat-file did not finish within {TIMEOUT:.0f} s") from None
    if done.returncode != 0:
        raise GitError(f"git cat-file --batch failed: {done.stderr.decode('utf-8', 'replace').strip()}")
    out, blobs, at = done.stdout, {}, 0
    for oid in oids:
        end = out.index(b"\n", at)
        header = out[at:end].decode("ascii", "replace").split()
        if len(header) != 3 or header[1] != "blob":
            raise GitError(f"git cannot read object {oid}: {' '.join(header)}")
        size = int(header[2])
        blobs[oid] = out[end + 1:end + 1 + size]
        at = end + 1 + size + 1  # the data, then a newline
    return blobs


def renames(root: Path, base: str, head: Optional[str]) -> dict[str, str]:
    """Old path -> new path for files git sees as renamed from `base` to `head` (None: the work tree)."""
    args = ["diff", "--name-status", "-z", "-M", "--no-ext-diff", "--no-color", base]
    if head is not None:
        args.append(head)
    out = _git(root, *args).stdout.split(b"\x00")
    moved: dict[str, str] = {}
    i = 0
    while i < len(out):
        status = out[i].decode("ascii", "replace")
        if not status:
            i += 1
            continue
        if status.startswith(("R", "C")):
            old, new = (out[i + 1].decode("utf-8", "surrogateescape"), out[i + 2].decode("utf-8", "surrogateescape"))
            if status.startswith("R"):
                moved[old] = new
            i += 3
        else:
            i += 2
    return moved
