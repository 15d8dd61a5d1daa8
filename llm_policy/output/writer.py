"""`--output FORMAT=FILE` (repeatable): several formats from one run, each written to its own file.

`--format` decides what goes to stdout; every `--output` adds a file, so one evaluation can feed the
log (text), code scanning (sarif) and the test-report view (junit) without running twice:

    llm-policy check --format text --output sarif=results.sarif --output junit=report.xml

All outputs are rendered before any is written (a renderer bug cannot leave half of them behind),
and each file is written to a temporary file beside it and moved into place with `os.replace`, so a
reader (an upload step, a concurrent pre-commit process) never sees a truncated report.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from pathlib import Path
from typing import Any, Iterable, Iterator, TextIO, Union

from llm_policy.cli import UsageError
from llm_policy.output import FORMATS, RenderOptions, get_renderer

OutputSpec = tuple[str, Path]


class OutputError(UsageError):
    """An output could not be written: exit 2 with the message, like any usage or configuration error."""


def parse_output_spec(spec: str) -> OutputSpec:
    """`"sarif=out/results.sarif"` -> `("sarif", Path("out/results.sarif"))`; ValueError when malformed."""
    known = ", ".join(sorted(FORMATS))
    if "=" not in spec:
        raise ValueError(f"--output expects FORMAT=FILE (for example sarif=results.sarif), got {spec!r}; formats: {known}")
    name, _, target = spec.partition("=")
    name = name.strip().lower()
    if not name:
        raise ValueError(f"--output {spec!r} names no format before '='; formats: {known}")
    if name not in FORMATS:
        raise ValueError(f"--output {spec!r}: unknown format {name!r}; formats: {known}")
    if not target.strip():
        raise ValueError(f"--output {spec!r} names no file after '='")
    return name, Path(target)


def parse_output_specs(specs: Iterable[Union[str, OutputSpec]]) -> list[OutputSpec]:
    """Parse every `--output` value and reject two outputs aimed at the same file (ValueError)."""
    parsed = [parse_output_spec(s) if isinstance(s, str) else (s[0], Path(s[1])) for s in specs]
    seen: dict[str, str] = {}
    for name, path in parsed:
        key = os.path.normcase(os.path.abspath(path))
        if key in seen:
            raise ValueError(f"--output {name}={path}: the same file is already the {seen[key]} output")
        seen[key] = name
    return parsed


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[TextIO]:
    """A text handle on a temporary file beside `path`, moved into place when the block ends
    without an exception (and removed otherwise): readers never see a half-written report."""
    import tempfile  # only runs with --output; keeps the plain pre-commit path's imports small

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual permissions
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _atomic_write(path: Path, text: str) -> None:
    with atomic_file(path) as handle:
        handle.write(text)


def write_outputs(report: dict[str, Any], specs: Iterable[Union[str, OutputSpec]],
                  options: RenderOptions) -> list[Path]:
    """Render every requested format from `report`, then write each file atomically; return the paths.

    Raises ValueError for a malformed or duplicate spec and OutputError when a file cannot be written.
    Colour never goes into files.
    """
    parsed = parse_output_specs(specs)
    file_options = dataclasses.replace(options, color=False)
    rendered = [(name, path, get_renderer(name)(report, file_options)) for name, path in parsed]
    written = []
    for name, path, text in rendered:
        try:
            _atomic_write(path, text)
        except OSError as exc:
            raise OutputError(f"cannot write the {name} output to {path}: {exc.strerror or exc}") from exc
        written.append(path)
    return written


def finish_streams(head: dict[str, Any], files: list[tuple[str, Path, Any]], stdout: Any, out: TextIO) -> None:
    """Write the streamed outputs (`llm_policy.output.stream` sinks): every `--output` file first,
    each atomically, then stdout, so a closed stdout cannot lose the files. OutputError when a file
    cannot be written."""
    for name, path, sink in files:
        try:
            with atomic_file(path) as handle:
                sink.finish(head, handle)
        except OSError as exc:
            raise OutputError(f"cannot write the {name} output to {path}: {exc.strerror or exc}") from exc
    if stdout is not None:
        stdout.finish(head, out)
