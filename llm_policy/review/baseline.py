"""`check --baseline REF|FILE`: only findings that are not in the baseline fail the run.

The baseline is a JSON report saved earlier (`--output json=FILE`) or a git revision, whose
manifests (under the same paths) are checked with the same policies and options. Findings are
matched by the SARIF fingerprint (`llm_policy.output.fingerprint`): each finding of the run gets
`baseline_state` `new` or `unchanged`, and baseline findings that are gone are listed under the
report's `baseline.absent` (SARIF `baselineState: absent`). An unchanged finding is reported in every
format but, like a waived one, never fails the run; `--fail-on` applies to the new ones.

Fail closed: a baseline that cannot be read, is not an llm-policy JSON report, names an unknown
revision, or whose manifests cannot be checked is an error (exit 2), never "empty baseline".
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Optional

from llm_policy.output.fingerprint import fingerprint_key
from llm_policy.findings import SEVERITY_RANK, plain

SUMMARY_KEYS = {"error": "errors", "warning": "warnings", "info": "infos"}


class BaselineError(Exception):
    """The baseline cannot be used: exit 2 with this message."""


def from_file(path: Path) -> list[dict[str, Any]]:
    """The findings of a saved JSON report, checked for the fields matching needs."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"cannot read the baseline {path}: {getattr(exc, 'strerror', None) or exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}:{exc.lineno}:{exc.colno}: the baseline is not JSON: {exc.msg}") from None
    if not isinstance(document, dict) or document.get("report_version") != "1" or not isinstance(document.get("files"), list):
        raise BaselineError(f"{path} is not an llm-policy JSON report (report_version 1); write one with --output json=FILE")
    findings = []
    for result in document["files"]:
        items = result.get("findings") if isinstance(result, dict) else None
        if not isinstance(items, list):
            raise BaselineError(f"{path}: every entry of files needs a findings list")
        for finding in items:
            if not (isinstance(finding, dict) and isinstance(finding.get("rule_id"), str) and isinstance(finding.get("file"), str)
                    and finding.get("severity") in SEVERITY_RANK):
                raise BaselineError(f"{path}: a finding without rule_id, file or a valid severity")
            findings.append(finding)
    return findings


def from_revision(revision: str, root: Path, paths: list[Path], options: Any, jobs: int = 1) -> tuple[list[dict[str, Any]], dict[str, str], str]:
    """Check the manifests of `revision` under `paths`; (findings, renames old->new, commit)."""
    from llm_policy.review import git
    from llm_policy.run.batch import check_files

    try:
        repo = git.repo_root(root)
        commit = git.require_commit(repo, revision)
        scopes = [_scope(p, repo) for p in paths]
        # A symbolic link in the revision is not followed: its findings count as new (the strict side).
        entries = {n: oid for n, (mode, oid) in git.manifest_paths(repo, commit).items()
                   if mode != "120000" and any(s == "" or n == s or n.startswith(s + "/") for s in scopes)}
        moved = git.renames(repo, commit, None)
        data = git.read_blobs(repo, sorted(set(entries.values())))
        blobs = {name: data[oid] for name, oid in entries.items()}
    except git.GitError as exc:
        raise BaselineError(f"--baseline {revision}: {exc}") from None
    findings: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="llm-policy-baseline-") as tmp:
        files, copy_root = [], Path(tmp).resolve()
        for name, data in blobs.items():
            target = copy_root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            files.append(target)
        # Same pipeline and worker count as the run itself; paths come out relative to the copy's root.
        report = check_files(files, dataclasses.replace(options, root=copy_root), jobs=jobs)
    if report.faults:
        raise BaselineError(f"--baseline {revision}: the policies could not be loaded: {report.faults[0].message}")
    for result in report.files:
        if result.faults:
            raise BaselineError(f"--baseline {revision}: {result.path} could not be checked: {result.faults[0].message}")
        for finding in result.findings:
            finding.file = _display(result.path, repo, root)
            findings.append(plain(finding))
    renamed = {_display(old, repo, root): _display(new, repo, root) for old, new in moved.items()}
    return findings, renamed, commit


def _scope(path: Path, repo: Path) -> str:
    relative = Path(os.path.abspath(path)).relative_to(repo) if Path(os.path.abspath(path)).is_relative_to(repo) else None
    if relative is None:
        raise BaselineError(f"--baseline needs the checked paths inside the repository; {path} is outside {repo}")
    text = relative.as_posix()
    return "" if text == "." else text


def _display(name: str, repo: Path, root: Path) -> str:
    """A repo-relative name as the run shows paths (relative to --root, which may differ from the repository)."""
    from llm_policy.run.discovery import display_path

    return display_path(repo / name, root)


class Matcher:
    """Baseline matching one report entry at a time (a streamed run never holds the whole report).

    `mark` sets each finding's `baseline_state` and the entry's status; `finish` recounts the
    summary and lists the absent findings. Findings are matched within the same file (the
    fingerprint includes it), so marking entry by entry in report order is the whole-report match.
    """

    def __init__(self, baseline: list[dict[str, Any]], source: str, renamed: Optional[dict[str, str]] = None) -> None:
        renamed = renamed or {}
        self.source = source
        self.pool: dict[str, list[dict[str, Any]]] = {}
        for finding in baseline:
            self.pool.setdefault(fingerprint_key(finding, renamed.get(finding["file"], finding["file"])), []).append(finding)
        self.unchanged = {key: 0 for key in SUMMARY_KEYS.values()}
        self.now_passing = 0

    def mark(self, result: dict[str, Any]) -> None:
        failing = False
        for finding in result["findings"]:
            matches = self.pool.get(fingerprint_key(finding))
            if matches:
                matches.pop(0)
                finding["baseline_state"] = "unchanged"
                if finding.get("waiver") is None:
                    self.unchanged[SUMMARY_KEYS[finding["severity"]]] += 1
            else:
                finding["baseline_state"] = "new"
                failing = failing or (finding.get("waiver") is None and finding["severity"] != "info")
        if result["status"] == "failed" and not failing:
            result["status"] = "passed"
            self.now_passing += 1

    def finish(self, report: dict[str, Any]) -> None:
        summary = report["summary"]
        summary["baseline"] = sum(self.unchanged.values())
        for key, count in self.unchanged.items():
            summary[key] -= count
        summary["failed"] -= self.now_passing
        summary["passed"] += self.now_passing
        absent = [dict(f, baseline_state="absent") for matches in self.pool.values() for f in matches]
        report["baseline"] = {"source": self.source, "absent": absent}


def apply(report: dict[str, Any], baseline: list[dict[str, Any]], source: str,
          renamed: Optional[dict[str, str]] = None) -> None:
    """Mark each finding of `report` new or unchanged, list the absent ones, and recount the summary."""
    matcher = Matcher(baseline, source, renamed)
    for result in report["files"]:
        matcher.mark(result)
    matcher.finish(report)


def load(spec: str, root: Path, paths: list[Path], options: Any, jobs: int = 1) -> Matcher:
    """`--baseline spec`: a file when one exists at that path, else a git revision; ready to match."""
    if not spec.strip():
        raise BaselineError("--baseline needs a git revision or a JSON report file, got an empty value")
    if Path(spec).is_file():
        return Matcher(from_file(Path(spec)), spec)
    if os.path.lexists(spec):
        raise BaselineError(f"--baseline {spec}: not a regular file")
    findings, renamed, commit = from_revision(spec, root, paths, options, jobs)
    return Matcher(findings, f"{spec} ({commit[:12]})", renamed)


def apply_to_check(report: dict[str, Any], spec: str, root: Path, paths: list[Path], options: Any, jobs: int = 1) -> None:
    """`--baseline spec` applied to a whole report."""
    matcher = load(spec, root, paths, options, jobs)
    for result in report["files"]:
        matcher.mark(result)
    matcher.finish(report)
