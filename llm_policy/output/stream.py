"""Formats written as results arrive (`check --format text|json|sarif|junit`, and `--output` files).

A platform team checks 50,000 manifests in one run; a report held whole until the end costs memory
in proportion to the repository (issue 17: 218 MiB for 10,000 in JSON). So each format is a sink
that takes one manifest's entry of the report's `files` at a time, in report order
(`llm_policy.run.batch.stream_report`), and keeps nothing of it:

- text needs no totals before the end: its lines go straight to their destination;
- JSON, SARIF and JUnit put totals first (the JSON `summary`, the SARIF rules and invocation, the
  JUnit `<testsuites>` counts), so the per-manifest part, serialised exactly as the whole-report
  renderer serialises it, goes to a temporary file as results arrive, and `finish` writes the
  document once the totals are known: header, the spooled part, trailer. Memory holds one result at
  a time; the disk holds the document once.

The bytes are the ones the format's `render` gives for the complete report, by construction (the
same functions build every piece) and by test (tests/test_stream.py). Nothing reaches a destination
before `finish`, so a run that cannot finish its document writes none (fail closed), and a fault
met mid-run is a run-level fault of the document it finishes.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, TextIO

from llm_policy.output import RenderOptions

STREAMABLE = frozenset({"text", "json", "sarif", "junit"})

# Indentation of one item of each streamed list in the documents `render` writes (json.dumps with
# indent=2): the report's `files`, and SARIF's `runs[0].results` and `invocations[0].toolExecutionNotifications`.
FILES_PAD = " " * 4
RESULTS_PAD = " " * 8
NOTIFICATIONS_PAD = " " * 12


class Spool:
    """A temporary file the streamed part of a document is written to until its header is known."""

    def __init__(self) -> None:
        import tempfile  # imported on use: text to stdout (the pre-commit case) never spools

        self._file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")
        self.count = 0

    def item(self, text: str, separator: str = ",\n") -> None:
        if self.count:
            self._file.write(separator)
        self._file.write(text)
        self.count += 1

    def copy_to(self, out: TextIO) -> None:
        self._file.flush()
        self._file.seek(0)
        import shutil

        shutil.copyfileobj(self._file, out, 1 << 16)
        self._file.seek(0, 2)

    def close(self) -> None:
        self._file.close()


def _dumps(value: Any) -> str:
    import json  # imported on use: text to stdout (the pre-commit case) never needs it

    return json.dumps(value, indent=2, ensure_ascii=False)


def _indented(value: Any, pad: str) -> str:
    """`value` as json.dumps(indent=2) writes it as an item of a list whose items sit at `pad`."""
    return pad + _dumps(value).replace("\n", "\n" + pad)


def _json_list(out: TextIO, pad: str, parts: list[Spool], first: Optional[list[str]] = None) -> None:
    """A JSON list as json.dumps(indent=2) writes it: `first` items, then each spool's, at `pad`."""
    first = first or []
    if not first and not any(p.count for p in parts):
        out.write("[]")
        return
    out.write("[\n" + ",\n".join(first))
    written = bool(first)
    for part in parts:
        if part.count:
            if written:
                out.write(",\n")
            part.copy_to(out)
            written = True
    out.write("\n" + pad[:-2] + "]")


def _splice(document: str, fillers: dict[str, Callable[[TextIO], None]], out: TextIO) -> None:
    """Write `document`, replacing each placeholder string (quoted, once each) by what its filler writes."""
    position = 0
    for token, fill in sorted(fillers.items(), key=lambda kv: document.index(f'"{kv[0]}"')):
        quoted = f'"{token}"'  # a token is plain ASCII: JSON writes it as is
        at = document.index(quoted, position)
        if document.count(quoted) != 1:
            raise RuntimeError("a streamed report placeholder occurs more than once")  # cannot happen: random token
        out.write(document[position:at])
        fill(out)
        position = at + len(quoted)
    out.write(document[position:])


def _token(name: str) -> str:
    """A placeholder no report text can contain by chance."""
    import secrets

    return f"@llm-policy-stream:{name}:{secrets.token_hex(8)}"


class Sink:
    """One format being streamed. `begin` gets the report without files (rules, run faults so far);
    `add` each entry of `files` in order; `fault` a run-level fault met mid-run; `finish` the complete
    report head (summary, every run fault, `files` left empty) and the destination."""

    def begin(self, head: dict[str, Any]) -> None:
        pass

    def add(self, entry: dict[str, Any]) -> None:
        raise NotImplementedError

    def fault(self, fault: dict[str, Any]) -> None:
        pass

    def finish(self, head: dict[str, Any], out: TextIO) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass


class TextSink(Sink):
    """`output.text` line by line, written at once to `direct` (stdout alone) or spooled."""

    def __init__(self, options: RenderOptions, direct: Optional[TextIO] = None) -> None:
        from llm_policy.output import text

        self.text, self.options = text, options
        self.direct = direct
        self.spool = None if direct is not None else Spool()

    def _write(self, lines: list[str]) -> None:
        if not lines:
            return
        chunk = "\n".join(lines) + "\n"
        if self.direct is not None:
            self.direct.write(chunk)
        else:
            assert self.spool is not None
            self.spool.item(chunk, "")

    def begin(self, head: dict[str, Any]) -> None:
        self._write(self.text.fault_lines(head["faults"], self.options))

    def add(self, entry: dict[str, Any]) -> None:
        self._write(self.text.file_lines(entry, self.options))

    def fault(self, fault: dict[str, Any]) -> None:
        self._write(self.text.fault_lines([fault], self.options))

    def finish(self, head: dict[str, Any], out: TextIO) -> None:
        if self.spool is not None:
            self.spool.copy_to(out)
        out.write(self.text.summary_line(head["summary"], self.options) + "\n")

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()


class JsonSink(Sink):
    """`output.json_report`: the report with its `files` spooled."""

    def __init__(self, options: RenderOptions) -> None:
        self.files = Spool()

    def add(self, entry: dict[str, Any]) -> None:
        self.files.item(_indented(entry, FILES_PAD))

    def finish(self, head: dict[str, Any], out: TextIO) -> None:
        token = _token("files")
        document = _dumps({**head, "files": token}) + "\n"
        _splice(document, {token: lambda o: _json_list(o, FILES_PAD, [self.files])}, out)

    def close(self) -> None:
        self.files.close()


class SarifSink(Sink):
    """`output.sarif`: results and manifest faults spooled; rules and the invocation written last-known."""

    def __init__(self, options: RenderOptions) -> None:
        from llm_policy.output import sarif

        self.sarif = sarif
        self.builder: Any = None
        self.results, self.notifications = Spool(), Spool()

    def begin(self, head: dict[str, Any]) -> None:
        self.builder = self.sarif.LogBuilder(head.get("rules", []))

    def add(self, entry: dict[str, Any]) -> None:
        for result in self.builder.results(entry):
            self.results.item(_indented(result, RESULTS_PAD))
        for note in self.sarif.file_notifications(entry):
            self.notifications.item(_indented(note, NOTIFICATIONS_PAD))

    def finish(self, head: dict[str, Any], out: TextIO) -> None:
        for result in self.builder.absent_results(head):
            self.results.item(_indented(result, RESULTS_PAD))
        run_notes = [_indented(self.sarif._notification(f, None), NOTIFICATIONS_PAD) for f in head.get("faults", [])]
        results, notes = _token("results"), _token("notifications")
        failed = bool(run_notes) or self.notifications.count > 0
        log = self.builder.log(head, results, notes, failed)
        document = _dumps(log) + "\n"
        fillers = {results: lambda o: _json_list(o, RESULTS_PAD, [self.results])}
        if failed:
            fillers[notes] = lambda o: _json_list(o, NOTIFICATIONS_PAD, [self.notifications], run_notes)
        _splice(document, fillers, out)

    def close(self) -> None:
        self.results.close()
        self.notifications.close()


class JunitSink(Sink):
    """`output.junit`: each manifest's `<testsuite>` spooled, the counted `<testsuites>` around them."""

    def __init__(self, options: RenderOptions) -> None:
        from llm_policy.output import junit
        from llm_policy.output._report import rules_by_id

        self.junit, self.rules_by_id, self.fail_on = junit, rules_by_id, options.fail_on
        self.rules: dict[str, dict[str, Any]] = {}
        self.suites = Spool()
        self.totals = {"tests": 0, "failures": 0, "errors": 0}

    def _count(self, suite: Any) -> None:
        for attr in self.totals:
            self.totals[attr] += int(suite.get(attr, "0"))

    def begin(self, head: dict[str, Any]) -> None:
        self.rules = self.rules_by_id(head)

    def add(self, entry: dict[str, Any]) -> None:
        suite = self.junit.file_suite(entry, self.rules, self.fail_on)
        self._count(suite)
        self.suites.item(self.junit.suite_text(suite), "")

    def finish(self, head: dict[str, Any], out: TextIO) -> None:
        run_suite = self.junit.run_fault_suite(head["faults"]) if head.get("faults") else None
        if run_suite is not None:
            self._count(run_suite)
        opening, closing = self.junit.root_tags(self.totals, empty=run_suite is None and not self.suites.count)
        out.write(opening)
        if run_suite is not None:
            out.write(self.junit.suite_text(run_suite))
        self.suites.copy_to(out)
        out.write(closing)

    def close(self) -> None:
        self.suites.close()


SINKS: dict[str, Callable[[RenderOptions], Sink]] = {"json": JsonSink, "sarif": SarifSink, "junit": JunitSink}


def make_sink(name: str, options: RenderOptions, direct: Optional[TextIO] = None) -> Sink:
    """The sink of format `name` (one of STREAMABLE); `direct` lets text write straight to stdout."""
    if name == "text":
        return TextSink(options, direct)
    return SINKS[name](options)
