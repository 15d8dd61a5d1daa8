"""The inventory: every piece of LLM evidence under some paths, and the manifest that governs each.

A file is governed by the nearest `llm-sourcing.yaml`/`.yml` in its own directory or a parent, up
to the repository root (monorepos with one manifest per service work). Walking skips what is not
the project's own code: VCS and tool folders, dependencies (`node_modules`, `vendor`), build
output, test fixtures (`fixtures`, `testdata`, ...) and whatever `--exclude`/`scan_exclude` adds.

Speed: every candidate file is read as bytes and matched against one prefilter built from all
signatures; only files that contain some needle are decoded and parsed. Many files are scanned in
forked worker processes (`jobs`), in input order, so the inventory is the same for any number.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from llm_policy.run.discovery import DEFAULT_EXCLUDES, MANIFEST_NAMES, display_path
from llm_policy.scan.evidence import Evidence, Hit, resolve
from llm_policy.scan.signatures import SignatureSet

INVENTORY_VERSION = "1"
SCAN_EXCLUDES = (*DEFAULT_EXCLUDES, "vendor", "third_party", "dist", "build", ".next", "coverage",
                 "fixtures", "__fixtures__", "testdata", "__snapshots__", "cassettes")
MAX_FILE_BYTES = 2 * 1024 * 1024  # larger files are generated (bundles, data), not code anyone writes
PARALLEL_MIN_FILES = 400
_CODE = {".py": "python", ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
         ".ts": "javascript", ".tsx": "javascript", ".mts": "javascript", ".cts": "javascript",
         ".go": "go", ".java": "java"}
_DEPENDENCIES = {"pyproject.toml": "pyproject", "package.json": "package_json", "go.mod": "go_mod",
                 "pom.xml": "pom", "build.gradle": "gradle", "build.gradle.kts": "gradle"}
_CONFIG = {".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf", ".properties", ".env", ".json"}
_NOT_CONFIG = {*MANIFEST_NAMES, "llm-policy-waivers.yaml", "llm-policy-waivers.yml", ".llm-policy.yaml", ".llm-policy.yml",
               "package-lock.json", "composer.lock", "tsconfig.json", ".pre-commit-config.yaml", ".pre-commit-hooks.yaml"}


def classify(path: str) -> Optional[tuple[str, str]]:
    """(language, reader) for a file the scan reads, or None. Readers: code, a dependency format, config."""
    name = os.path.basename(path)
    if name in _DEPENDENCIES:
        return "dependencies", _DEPENDENCIES[name]
    if name.startswith("requirements") and name.endswith((".txt", ".in")) or name.endswith("-requirements.txt"):
        return "dependencies", "requirements"
    if name.endswith(".d.ts"):
        return None
    ext = os.path.splitext(name)[1]
    if ext in _CODE:
        return _CODE[ext], "code"
    if name in _NOT_CONFIG or name.endswith(".lock"):
        return None
    if ext in _CONFIG or name == ".env" or name.startswith(".env."):
        return "config", "json" if ext == ".json" else "config"
    return None


class Skipped:
    """A file the scan could not read or parse, and why."""

    __slots__ = ("file", "reason")

    def __init__(self, file: str, reason: str):
        self.file, self.reason = file, reason


class FileScan:
    """One file's evidence, or why it was skipped."""

    __slots__ = ("evidence", "skipped")

    def __init__(self) -> None:
        self.evidence: list[Evidence] = []
        self.skipped: list[Skipped] = []


def scan_text(signatures: SignatureSet, text: str, shown: str, language: str, reader: str) -> list[Evidence]:
    """The evidence in one file's text; raises SyntaxError/ValueError when it cannot be parsed."""
    identifiers: set[str] = set()
    hits: list[Hit]
    if reader == "code" and language == "python":
        from llm_policy.scan.python_detector import detect

        hits, identifiers = detect(signatures, text)
    elif reader == "code":
        from llm_policy.scan.clike_detector import detect as detect_clike

        hits, identifiers = detect_clike(signatures, text, language)
    else:
        from llm_policy.scan import dependency_detector as deps

        hits = _dependency_hits(deps, signatures, text, reader)
    return resolve(hits, shown, language, identifiers)


def _dependency_hits(deps: Any, signatures: SignatureSet, text: str, reader: str) -> list[Hit]:
    if reader == "requirements":
        hits = deps.requirements(signatures, text)
    elif reader == "pyproject":
        hits = deps.pyproject(signatures, text) + deps.config(signatures, text, comments=True)
    elif reader == "package_json":
        hits = deps.package_json(signatures, text)
    elif reader == "go_mod":
        hits = deps.go_mod(signatures, text)
    elif reader == "pom":
        hits = deps.pom(signatures, text)
    elif reader == "gradle":
        hits = deps.gradle(signatures, text)
    else:
        hits = deps.config(signatures, text, comments=reader != "json")
    return hits


def scan_file(signatures: SignatureSet, path: str, shown: str) -> FileScan:
    """One file: prefilter on bytes, then parse. Unreadable or unparsable files are noted, not guessed."""
    result = FileScan()
    kind = classify(path)
    if kind is None:
        return result
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        result.skipped.append(Skipped(shown, f"cannot read: {exc.strerror or exc}"))
        return result
    if len(data) > MAX_FILE_BYTES:
        result.skipped.append(Skipped(shown, f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB, not scanned"))
        return result
    if not signatures.worth_parsing(data, kind[1]):
        return result
    if b"\0" in data[:8192]:
        return result  # binary
    text = data.decode("utf-8", "replace").lstrip("\ufeff")
    try:
        result.evidence = scan_text(signatures, text, shown, *kind)
    except (SyntaxError, ValueError, RecursionError) as exc:
        reason = exc.msg if isinstance(exc, SyntaxError) and exc.msg else type(exc).__name__
        where = f" (line {exc.lineno})" if isinstance(exc, SyntaxError) and exc.lineno else ""
        result.skipped.append(Skipped(shown, f"cannot be parsed as {kind[0]}: {reason}{where}"))
    return result


class Excludes:
    """Directory names never entered, plus glob patterns on root-relative paths (`--exclude`)."""

    def __init__(self, patterns: Iterable[str] = (), names: Iterable[str] = SCAN_EXCLUDES):
        self.names = set(names)
        self.patterns = [p.strip("/") for p in patterns if p.strip("/")]

    def excluded(self, relative: str) -> bool:
        parts = relative.split("/")
        if any(part in self.names for part in parts[:-1]):
            return True
        for pattern in self.patterns:
            if "/" not in pattern:
                if any(fnmatch.fnmatchcase(part, pattern) for part in parts):
                    return True
            else:
                for end in range(1, len(parts) + 1):
                    if fnmatch.fnmatchcase("/".join(parts[:end]), pattern):
                        return True
        return False


def walk(paths: Iterable[Path], root: Path, excludes: Excludes) -> Iterator[tuple[str, bool]]:
    """(path, from a directory walk?) for each candidate file under `paths`, each once, sorted."""
    seen: set[str] = set()
    for path in paths:
        if path.is_dir():
            for directory, subdirs, files in os.walk(path):
                subdirs[:] = sorted(d for d in subdirs if d not in excludes.names)
                for name in sorted(files):
                    full = os.path.join(directory, name)
                    key = os.path.abspath(full)
                    if classify(name) is None or key in seen:
                        continue
                    seen.add(key)
                    if not excludes.patterns or not excludes.excluded(shown_path(full, str(root))):
                        yield full, True
        else:
            full = str(path)
            if os.path.abspath(full) not in seen:
                seen.add(os.path.abspath(full))
                if not excludes.excluded(display_path(path, root)):
                    yield full, False


class Governance:
    """The nearest manifest for a directory, looked up once per directory (stat calls, cached)."""

    def __init__(self, root: Path):
        self.root = Path(os.path.abspath(root))
        self.cache: dict[str, Optional[str]] = {}

    def manifest_for(self, file: str) -> Optional[str]:
        return self._directory(os.path.dirname(os.path.abspath(file)))

    def _directory(self, directory: str) -> Optional[str]:
        if directory in self.cache:
            return self.cache[directory]
        found: Optional[str] = None
        for name in MANIFEST_NAMES:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate):
                found = candidate
                break
        if found is None:
            parent = os.path.dirname(directory)
            inside = directory != str(self.root) and (directory + os.sep).startswith(str(self.root) + os.sep)
            found = self._directory(parent) if inside and parent != directory else None
        self.cache[directory] = found
        return found


class Inventory:
    """What a scan found; `complete_dirs` are the directories scanned in full (LP603 needs one)."""

    __slots__ = ("evidence", "skipped", "files_scanned", "complete_dirs", "manifests")

    def __init__(self) -> None:
        self.evidence: list[Evidence] = []
        self.skipped: list[Skipped] = []
        self.files_scanned = 0
        self.complete_dirs: list[str] = []  # absolute
        self.manifests: dict[str, str] = {}  # display path -> absolute path

    def to_dict(self) -> dict[str, Any]:
        return {
            "inventory_version": INVENTORY_VERSION,
            "files_scanned": self.files_scanned,
            "evidence": [item.to_dict() for item in self.evidence],
            "skipped": [{"file": s.file, "reason": s.reason} for s in self.skipped],
        }

    def complete_for(self, manifest: str) -> bool:
        """Whether the whole directory of `manifest` (absolute) was scanned."""
        directory = os.path.dirname(os.path.abspath(manifest))
        return any(directory == d or directory.startswith(d.rstrip(os.sep) + os.sep) for d in self.complete_dirs)


_worker_signatures: Optional[SignatureSet] = None
_worker_root: str = ""


def shown_path(path: str, root: str) -> str:
    """`discovery.display_path` on strings: pathlib costs ~0.3 ms a file, too much for 10,000 files."""
    absolute = os.path.abspath(path)
    prefix = root.rstrip(os.sep) + os.sep
    if absolute.startswith(prefix):
        absolute = absolute[len(prefix):]
    elif absolute == root:
        return "."
    return absolute.replace(os.sep, "/")


def _scan_chunk(chunk: list[str]) -> list[FileScan]:
    assert _worker_signatures is not None
    return [scan_file(_worker_signatures, path, shown_path(path, _worker_root)) for path in chunk]


def _scan_all(signatures: SignatureSet, files: list[str], root: Path, jobs: int) -> Iterator[FileScan]:
    if jobs <= 1 or len(files) < PARALLEL_MIN_FILES:
        for path in files:
            yield scan_file(signatures, path, shown_path(path, str(root)))
        return
    import multiprocessing

    global _worker_signatures, _worker_root
    from llm_policy.run.batch import pool_start_method

    if pool_start_method() != "fork":  # signatures are compiled regexes: share them by fork, else scan here
        for path in files:
            yield scan_file(signatures, path, shown_path(path, str(root)))
        return
    _worker_signatures, _worker_root = signatures, str(root)
    size = max(16, min(256, len(files) // (jobs * 4)))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    pool = multiprocessing.get_context("fork").Pool(processes=jobs)
    try:
        for results in pool.imap(_scan_chunk, chunks):
            yield from results
    finally:
        pool.terminate()
        pool.join()
        _worker_signatures = None


def build_inventory(
    paths: list[Path], root: Path, signatures: SignatureSet, excludes: Optional[Excludes] = None, jobs: int = 1
) -> Inventory:
    """Scan `paths` (directories in full, files as given) and attribute each item to its manifest."""
    excludes = excludes or Excludes()
    root = Path(os.path.abspath(root))
    inventory = Inventory()
    governance = Governance(root)
    inventory.complete_dirs = [os.path.abspath(p) for p in paths if p.is_dir()]
    files = [path for path, _ in walk(paths, root, excludes)]
    inventory.files_scanned = len(files)
    for path, scan in zip(files, _scan_all(signatures, files, root, jobs)):
        inventory.skipped += scan.skipped
        if not scan.evidence:
            continue
        manifest = governance.manifest_for(path)
        shown = display_path(Path(manifest), root) if manifest else None
        if manifest:
            inventory.manifests[shown] = manifest  # type: ignore[index]
        for item in scan.evidence:
            item.manifest = shown
            inventory.evidence.append(item)
    inventory.evidence.sort(key=Evidence.sort_key)
    return inventory
