"""Shared helpers: run the real CLI in-process and read its JSON report."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from llm_policy.cli import main

REPO = Path(__file__).resolve().parents[1]

# The scan corpus is code for the drift scanner to read, not tests: its `test_mocks_openai.py`
# would be imported as a test module, and (with bytecode writing on, as on a fresh machine)
# leave a __pycache__ file in the corpus that test_every_corpus_file_is_labelled then refuses.
collect_ignore = ["scan_corpus"]
EXAMPLES = REPO / "examples"
FIXED_DATE = "2026-11-27"

# The smallest manifest that passes every built-in rule; tests derive variants with str.replace.
MINIMAL = """\
apiVersion: llm-policy/v1
project:
  name: p
  owner: o@example.com
data:
  classes: [public]
sources:
  - id: s
    sector: open_source
    model: mistralai/Mistral-7B-Instruct-v0.2
    license: Apache-2.0
    hosting: on_prem
    region: DE
"""


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def report(self) -> dict[str, Any]:
        return json.loads(self.out)

    def findings(self) -> list[dict[str, Any]]:
        return [f for result in self.report["files"] for f in result["findings"]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run `llm-policy ARGS` in-process from the repository root; returns code, stdout, stderr."""

    def run(*args: str, cwd: Path = REPO) -> CliResult:
        monkeypatch.chdir(cwd)
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
