"""The repository stands on its own (issue 14.7): nothing outside it is read by tests or scripts.

Why: CI and every contributor work from a clone. Reference material is vendored with its source
noted, and these tests keep it that way: the vendored schemas are byte-exact copies of the
originals (their sha256 is recorded in tests/schemas/SOURCES.md), and no test, script or benchmark
names a path beside the repository.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "tests" / "schemas"


@pytest.mark.parametrize("name", ["sarif-schema-2.1.0.json", "junit.xsd"])
def test_vendored_schemas_are_the_recorded_originals(name: str) -> None:
    sources = (SCHEMAS / "SOURCES.md").read_text(encoding="utf-8")
    section = sources.split(f"## {name}", 1)[1].split("\n## ", 1)[0]
    recorded = re.search(r"sha256: `([0-9a-f]{64})`", section).group(1)
    assert hashlib.sha256((SCHEMAS / name).read_bytes()).hexdigest() == recorded


def test_nothing_reads_beside_the_repository() -> None:
    pattern = re.compile(r"\.\./shared|/work/shared|parents\[2\]|REPO_ROOT\.parent|parent\.parent\.parent")
    offenders = []
    for folder in ("tests", "scripts", "benchmarks", "llm_policy"):
        for path in (REPO / folder).rglob("*.py"):
            if path.name == Path(__file__).name:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if pattern.search(line):
                    offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_catalog_source_of_truth_says_where_it_came_from() -> None:
    header = (REPO / "catalog" / "llm-catalog.yaml").read_text(encoding="utf-8").splitlines()[:8]
    assert any("Copied on 2026-12-01" in line for line in header)
    assert any("sha256" in line for line in header)
