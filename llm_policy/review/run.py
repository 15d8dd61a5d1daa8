"""`llm-policy diff`: check both sides of a change and compare them.

Only manifests whose bytes differ are checked (an identical file cannot change its findings when
both sides are evaluated on the same date), so a pull request touching one manifest in a monorepo
costs two checks, not the whole repository twice. Anything unreadable on either side is a fault:
the diff exits 2 instead of reporting "no change".
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Optional

from llm_policy import __version__
from llm_policy.findings import Fault, FileResult, plain
from llm_policy.review import git
from llm_policy.review.delta import findings_delta
from llm_policy.review.model import (
    DIFF_VERSION,
    DiffReport,
    DiffSummary,
    DiffTool,
    FileChange,
    FindingsDelta,
    SideInfo,
)
from llm_policy.review.sides import Side, SideError, classify, open_path, open_revision, open_worktree
from llm_policy.review.sourcing import Change, change, compare, sort_changes


def _repo(cwd: Path) -> Optional[Path]:
    try:
        return git.repo_root(cwd)
    except git.GitError:
        return None


def _scope(spec: str, repo: Optional[Path]) -> Optional[str]:
    """A path side inside the repository limits the revision side to the same files."""
    if repo is None:
        return None
    try:
        return Path(os.path.abspath(spec)).relative_to(repo).as_posix()
    except ValueError:
        return None


def open_sides(base_spec: str, head_spec: Optional[str], repo: Optional[Path], workdir: Path,
               max_bytes: int) -> tuple[Side, Side]:
    base_kind = classify(base_spec, repo)
    head_kind = classify(head_spec, repo) if head_spec is not None else "worktree"
    if head_kind == "worktree" and repo is None:
        raise SideError("no HEAD given and not inside a git repository: pass two paths, or run inside a repository")
    scope = None
    for spec, kind in ((base_spec, base_kind), (head_spec, head_kind)):
        if kind == "path" and spec is not None:
            scope = _scope(spec, repo)

    def open_one(spec: Optional[str], kind: str, name: str) -> Side:
        if kind == "path":
            assert spec is not None
            return open_path(spec, repo, max_bytes)
        assert repo is not None
        if kind == "worktree":
            return open_worktree(repo, max_bytes, scope)
        assert spec is not None
        return open_revision(spec, repo, workdir / name, max_bytes, scope)

    base = open_one(base_spec, base_kind, "base")
    head = open_one(head_spec, head_kind, "head")
    if base.kind == head.kind == "path" and len(base.files) == len(head.files) == 1 and \
            Path(base.spec).is_file() and Path(head.spec).is_file():
        # Two files compared directly are one manifest in two versions, whatever their names.
        (name, _), = head.files.items()
        (old, path), = base.files.items()
        base.files = {name: path}
        base.ids = {name: base.ids.get(old, frozenset())}
    return base, head


def _pairs(base: Side, head: Side, moved: dict[str, str]) -> list[tuple[Optional[str], Optional[str]]]:
    """(base name, head name) per manifest on either side, renames paired."""
    pairs: list[tuple[Optional[str], Optional[str]]] = []
    used_head: set[str] = set()
    for name in base.files:
        target = moved.get(name)
        if name not in head.files and target in head.files and target not in base.files:
            pairs.append((name, target))
            used_head.add(target)
        else:
            pairs.append((name, name if name in head.files else None))
            if name in head.files:
                used_head.add(name)
    pairs += [(None, name) for name in head.files if name not in used_head]
    return sorted(pairs, key=lambda p: p[1] or p[0] or "")


def _relabel(result: FileResult, name: str) -> FileResult:
    result.path = name
    for finding in result.findings:
        finding.file = name
    for fault in result.faults:
        fault.file = name
    return result


def _document(path: Path, max_bytes: int) -> Optional[dict[str, Any]]:
    from llm_policy.load import LoadError, load_document

    try:
        data = load_document(path, max_bytes=max_bytes).data
    except (LoadError, OSError):
        return None  # the check of the same file reports why (LP000 or an io fault)
    return data if isinstance(data, dict) else None


def diff(base_spec: str, head_spec: Optional[str], checker: Any, today: str, max_bytes: int,
         cwd: Optional[Path] = None) -> dict[str, Any]:
    """The diff report (as `DiffReport` dict); raises SideError or git.GitError when a side is unreadable."""
    repo = _repo(cwd or Path.cwd())
    with tempfile.TemporaryDirectory(prefix="llm-policy-diff-") as tmp:
        base, head = open_sides(base_spec, head_spec, repo, Path(tmp), max_bytes)
        moved: dict[str, str] = {}
        if base.kind == "revision" and head.kind in ("revision", "worktree") and repo is not None and base.commit:
            moved = git.renames(repo, base.commit, head.commit)
        faults: list[Fault] = list(checker.faults)
        files: list[FileChange] = []
        changes: list[Change] = []
        base_findings: list[dict[str, Any]] = []
        head_findings: list[dict[str, Any]] = []
        renamed: dict[str, str] = {}
        pairs = _pairs(base, head, moved)
        changed = [(old, new) for old, new in pairs
                   if not (old is not None and new is not None and base.same(old, head, new))]
        base.fetch([old for old, _ in changed if old is not None])
        head.fetch([new for _, new in changed if new is not None])
        for old, new in pairs:
            name = new or old
            assert name is not None
            same = old is not None and new is not None and base.same(old, head, new)
            if same and old == new:
                continue
            status = "added" if old is None else "removed" if new is None else "renamed" if old != new else "modified"
            files.append(FileChange(name, status, old if status == "renamed" else None))
            if old is not None and new is not None and old != new:
                renamed[old] = new
            if same:
                continue  # a pure rename: nothing else can differ
            docs: list[Optional[dict[str, Any]]] = []
            for side, side_name, sink in ((base, old, base_findings), (head, new, head_findings)):
                if side_name is None:
                    docs.append(None)
                    continue
                if side_name in side.problems:
                    faults.append(Fault("io", side.problems[side_name], side_name))
                    docs.append(None)
                    continue
                path = side.files[side_name]
                result = _relabel(checker.check_file(path), side_name)
                faults += result.faults
                sink += [plain(f) for f in result.findings]
                docs.append(_document(path, max_bytes))
            changes += compare(name, docs[0], docs[1], today, old if status == "renamed" else None)
        delta = findings_delta(base_findings, head_findings, renamed)
        changes += _availability(delta)
    changes = sort_changes(changes)
    summary = DiffSummary(
        files=len(files),
        added=sum(f.status == "added" for f in files),
        removed=sum(f.status == "removed" for f in files),
        modified=sum(f.status == "modified" for f in files),
        renamed=sum(f.status == "renamed" for f in files),
        changes=len(changes),
        high_risk=sum(c.risk == "high" for c in changes),
        new_findings=len(delta["new"]),
        fixed_findings=len(delta["fixed"]),
        unchanged_findings=len(delta["unchanged"]),
        faults=len(faults),
    )
    report = DiffReport(
        diff_version=DIFF_VERSION,
        tool=DiffTool("llm-policy", __version__),
        evaluation_date=today,
        base=SideInfo(**base.describe()),  # type: ignore[arg-type]
        head=SideInfo(**head.describe()),  # type: ignore[arg-type]
        summary=summary,
        files=files,
        changes=changes,
        findings=FindingsDelta(),
        faults=faults,
    )
    out: dict[str, Any] = plain(report)
    out["findings"] = delta
    return out


def _availability(delta: dict[str, list[dict[str, Any]]]) -> list[Change]:
    """LP301 (no fallback for a cloud API) turning on or off is an availability change reviewers want to see."""
    out = []
    for state, template in (("new", "LP301 now fails for {}: no fallback to another provider."),
                            ("fixed", "LP301 fixed for {}: it has a fallback now.")):
        for finding in delta[state]:
            if finding["rule_id"] == "LP301":
                # An outage risk is high where the rule is an error (customer-facing), medium otherwise.
                risk = "low" if state == "fixed" else "high" if finding["severity"] == "error" else "medium"
                out.append(change(f"availability_{state}", risk, finding["file"], template,  # type: ignore[arg-type]
                                  (finding.get("source_id") or "?",), finding.get("pointer") or "", finding.get("source_id")))
    return out
