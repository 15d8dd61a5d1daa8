"""Drive the interactive prompts of `init` and `recommend` through a real pseudo-terminal.

The child process gets a pty as stdin, stdout and stderr, so it sees a terminal exactly as a
person's shell would give it; every wait is bounded, so a prompt that never comes fails the test
instead of hanging the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import FIXED_DATE, REPO

pty = pytest.importorskip("pty")
select = pytest.importorskip("select")

TIMEOUT = 20.0


class Terminal:
    """A child process on the slave side of a pty; `expect` reads the master side until text appears."""

    def __init__(self, args: list[str], cwd: Path):
        self.master, slave = pty.openpty()
        env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "llm_policy", *args],
            stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, close_fds=True,
        )
        os.close(slave)
        self.output = ""
        self._seen = 0

    def _read(self, deadline: float) -> bool:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        ready, _, _ = select.select([self.master], [], [], remaining)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 4096)
        except OSError:  # EIO: the child closed the terminal
            return False
        if not chunk:
            return False
        self.output += chunk.decode("utf-8", "replace")
        return True

    def expect(self, text: str, timeout: float = TIMEOUT) -> str:
        """Wait until `text` appears after what was already matched; return the output up to it."""
        deadline = time.monotonic() + timeout
        while text not in self.output[self._seen:]:
            if not self._read(deadline):
                self.close()
                raise AssertionError(f"timed out waiting for {text!r}; terminal shows:\n{self.output}")
        end = self.output.index(text, self._seen) + len(text)
        chunk, self._seen = self.output[self._seen:end], end
        return chunk

    def send(self, line: str) -> None:
        os.write(self.master, line.encode() + b"\n")

    def answer(self, question: str, line: str) -> None:
        self.expect(question)
        self.expect("> ")
        self.send(line)

    def finish(self, timeout: float = TIMEOUT) -> int:
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self._read(min(deadline, time.monotonic() + 0.2))
        while self._read(time.monotonic() + 0.2):  # drain what is left
            pass
        code = self.proc.poll()
        self.close()
        assert code is not None, f"process did not exit; terminal shows:\n{self.output}"
        return code

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)
        try:
            os.close(self.master)
        except OSError:
            pass


@pytest.fixture
def terminal(tmp_path):
    opened: list[Terminal] = []

    def start(*args: str) -> Terminal:
        term = Terminal(list(args), tmp_path)
        opened.append(term)
        return term

    yield start
    for term in opened:
        term.close()


def test_init_asks_every_question_on_a_terminal_and_writes_the_manifest(terminal, tmp_path):
    target = tmp_path / "llm-sourcing.yaml"
    term = terminal("init", str(target), "--date", FIXED_DATE)
    term.expect("press Enter to accept the default")
    term.answer("Project name", "support-bot")
    term.answer("Owner", "")  # empty: the owner becomes a TODO marker
    term.answer("Is the use commercial?", "")  # default: yes
    term.answer("Which data will the models see?", "personal, internal")
    term.answer("Where are the data subjects", "ru")
    term.expect("What expertise and budget does the team have?")
    term.expect("> ")
    term.send("wizards")  # a wrong answer is explained and the question asked again
    term.expect("unknown value 'wizards'")
    term.expect("> ")
    term.send("2")  # choices can be picked by number: 2) mlops
    term.answer("How critical is top answer quality?", "critical")
    term.answer("Do end customers see the models' output?", "y")
    term.answer("Sustained traffic, in requests per hour", "4,000")
    # Issue 16: a Russian project with personal data is asked for its 152-FZ, CII and GIS declarations.
    term.expect("== Regulatory declarations ==")
    term.answer("Roskomnadzor registry number", "RKN-2019-0412")
    term.answer("critical information infrastructure", "2")  # a category, not the second line of the menu
    term.answer("state information system", "")  # empty: declared later, a commented template
    term.expect(f"Wrote {target}")
    assert term.finish() == 0, term.output

    doc = YAML(typ="safe", pure=True).load(target.read_text(encoding="utf-8"))
    assert doc["project"]["name"] == "support-bot"
    assert doc["project"]["owner"].startswith("TODO")
    assert doc["project"]["jurisdictions"] == ["RU"]
    assert doc["project"]["requests_per_hour"] == 4000
    assert doc["project"]["mlops_team"] is True and doc["project"]["commercial"] is True
    assert doc["routing"]["strategy"] == "layered"
    assert {s["region"] for s in doc["sources"]} == {"RU"}
    assert doc["project"]["ru_152fz"] == {"rkn_notification": "RKN-2019-0412"}
    assert doc["project"]["ru_cii"] == {"category": 2}
    assert "ru_gis" not in doc["project"] and "  # ru_gis: {protection_class" in target.read_text(encoding="utf-8")


def test_recommend_accepts_every_default_with_enter(terminal):
    term = terminal("recommend")
    for question in ("Which data", "Where are the data subjects", "expertise and budget", "How critical",
                     "Do end customers", "Sustained traffic",
                     # the default jurisdiction (EU) implies the EU AI Act: asked, and may be left for later
                     "EU AI Act: your role", "EU AI Act: risk class"):
        term.answer(question, "")
    term.expect("Recommended sector(s): cloud_api")
    assert term.finish() == 0, term.output
    assert "Options for this project" in term.output


def test_end_of_input_aborts_without_writing(terminal, tmp_path):
    target = tmp_path / "llm-sourcing.yaml"
    term = terminal("init", str(target))
    term.expect("Project name")
    term.expect("> ")
    os.write(term.master, b"\x04")  # Ctrl-D on an empty line: end of input
    term.expect("input ended before every question was answered")
    assert term.finish() == 2
    assert not target.exists()
