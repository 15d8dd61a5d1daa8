"""The scanner's precision and recall on the labelled corpus, and the lexical traps behind them.

benchmarks/scan.py reports the same numbers with timings; this test keeps them from regressing
(issue 13: precision >= 0.98, recall >= 0.95) and pins the cases each detector must get right.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, write
from llm_policy.scan.inventory import Excludes, build_inventory
from llm_policy.scan.signatures import SignatureError, load_signatures, parse_signature
from llm_policy.scan.tokens import STRING, tokenize

CORPUS = REPO / "tests" / "scan_corpus"
SIGNATURES = load_signatures()


def test_corpus_precision_and_recall_meet_the_targets():
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from scan import corpus_score
    finally:
        sys.path.pop(0)
    score = corpus_score()
    assert score["precision"] >= 0.98, score["false_positives"]
    assert score["recall"] >= 0.95, score["false_negatives"]
    assert score["negatives"] >= 20 and set(score["languages"]) >= {"python", "javascript", "go", "java", "deps", "config"}


def test_every_corpus_file_is_labelled():
    labels = yaml.safe_load((CORPUS / "labels.yaml").read_text(encoding="utf-8"))
    files = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file() and p.name != "labels.yaml"}
    assert files == set(labels)


def scan(tmp_path: Path, name: str, text: str) -> list[tuple[str | None, str, int, int]]:
    write(tmp_path / name, text)
    inventory = build_inventory([tmp_path], tmp_path, SIGNATURES, Excludes())
    return [(e.provider, e.kind, e.line, e.column) for e in inventory.evidence]


@pytest.mark.parametrize("name, text", [
    ("a.py", '"""import openai"""\n# import anthropic\nx = "openai"\n'),
    ("a.py", "from .anthropic import client\nfrom . import openai\n"),
    ("a.ts", 'const s = "// not a comment"; // import OpenAI from "openai"\n'),
    ("a.js", 'const r = /require\\("openai"\\)/; const d = a / b / c;\n'),
    ("a.ts", 'import type { X } from "openai";\n'),
    ("a.go", 'package x\n\nvar s = `import "github.com/sashabaranov/go-openai"`\n'),
    ("A.java", 'class A { String s = "import com.openai.client.OpenAIClient;"; }\n'),
    ("A.java", '/* import com.anthropic.client.AnthropicClient; */ class A {}\n'),
    ("requirements.txt", "# openai\nopenai-whisper-tools==1\n"),
    ("settings.yaml", "# ANTHROPIC_API_KEY: xxx\nkey: value\n"),
])
def test_lexical_traps_raise_nothing(tmp_path, name, text):
    assert scan(tmp_path, name, text) == []


def test_excluded_directories_and_patterns(tmp_path):
    write(tmp_path / "tests/fixtures/a.py", "import anthropic\n")
    write(tmp_path / "node_modules/openai/index.js", 'import x from "openai";\n')
    write(tmp_path / "examples/demo.py", "import anthropic\n")
    write(tmp_path / "src/app.py", "import anthropic\n")
    found = build_inventory([tmp_path], tmp_path, SIGNATURES, Excludes(["examples"]))
    assert [e.file for e in found.evidence] == ["src/app.py"]
    named = build_inventory([tmp_path / "tests/fixtures/a.py"], tmp_path, SIGNATURES, Excludes())
    assert named.evidence == []  # a fixture passed by name (pre-commit) is still excluded


def test_unparsable_code_is_noted_not_guessed(tmp_path):
    write(tmp_path / "py2.py", "import anthropic\nprint 'hello'\n")
    inventory = build_inventory([tmp_path], tmp_path, SIGNATURES, Excludes())
    assert inventory.evidence == []
    assert [(s.file, s.reason.split(":")[0]) for s in inventory.skipped] == [("py2.py", "cannot be parsed as python")]


def test_columns_count_characters_not_bytes(tmp_path):
    assert scan(tmp_path, "u.py", 'x = "привет"; import anthropic\n') == [("anthropic", "import", 1, 15)]


def test_tokeniser_keeps_strings_and_drops_comments():
    tokens = tokenize('a = "x\\"y" // c\n/* d */ b = `t${1}`; c = /re"g/ / 2', "javascript")
    assert [t.value for t in tokens if t.kind == STRING] == ['x"y', "t${1}"]
    assert not any("c" == t.value for t in tokens if t.kind == STRING)
    assert [t.value for t in tokenize('s := `a\\nb` // "no"\nr := \'x\'', "go") if t.kind == STRING] == ["a\\nb", "x"]


@pytest.mark.parametrize("document, problem", [
    ({"python": {"modules": ["x"]}}, "exactly one of"),
    ({"provider": "x", "unknown": 1}, "unknown key"),
    ({"provider": "x", "python": {"modules": "x"}}, "list of non-empty strings"),
    ({"provider": "x", "hosts": ["not a host"]}, "not a valid entry"),
    ({"provider": "x", "env": ["lowercase"]}, "not a valid entry"),
    ({"provider": "x", "sector": "cloud"}, "sector"),
    ({"runtime": "r", "requires_model": True}, "needs `models`"),
    ({"provider": "x", "go": {"modules": [], "calls": [{"module": ["m"], "method": "c", "argument": ["a"]}]}}, "only python"),
    ("provider: x", "mapping"),
])
def test_malformed_signatures_are_errors(document, problem):
    with pytest.raises(SignatureError, match=problem):
        parse_signature(document, "sig.yaml")


def test_a_user_signature_replaces_a_builtin_one(tmp_path):
    write(tmp_path / "openai.json", '{"provider": "openai", "python": {"modules": ["my_openai_wrapper"]}}')
    signatures = load_signatures([tmp_path])
    assert signatures.module("python", "openai") is None
    assert signatures.module("python", "my_openai_wrapper")[1].file.endswith("openai.json")
    write(tmp_path / "dup.yaml", "provider: openai\n")
    with pytest.raises(SignatureError, match="already defined"):
        load_signatures([tmp_path])


def test_benchmark_repository_is_what_it_claims(tmp_path):
    """benchmarks/scan.py's generated repository: the LLM files are found, and only they."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from scan import generate_repo
    finally:
        sys.path.pop(0)
    shape = generate_repo(tmp_path, 300, services=5)
    inventory = build_inventory([tmp_path], tmp_path, SIGNATURES, Excludes())
    assert len({e.file for e in inventory.evidence}) == shape["llm_files"] == 3
    assert {e.manifest for e in inventory.evidence} <= {f"services/svc{s}/llm-sourcing.yaml" for s in range(5)}


def test_the_builtin_signature_bundle_is_up_to_date():
    """Runs read llm_policy/scan/_builtin_signatures.json; the YAML files are its source."""
    from llm_policy.scan.signatures import BUNDLE, build_bundle

    assert BUNDLE.read_text(encoding="utf-8") == build_bundle(), "run: python -m llm_policy.scan.signatures"


def test_parallel_scan_gives_the_same_inventory(tmp_path):
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from scan import generate_repo
    finally:
        sys.path.pop(0)
    generate_repo(tmp_path, 450, llm_share=0.05, services=3)
    write(tmp_path / "services/svc0/broken.py", "import openai\nprint 'x'\n")
    one = build_inventory([tmp_path], tmp_path, SIGNATURES, Excludes(), jobs=1)
    two = build_inventory([tmp_path], tmp_path, SIGNATURES, Excludes(), jobs=2)  # forked workers (>= 400 files)
    assert [e.to_dict() for e in two.evidence] == [e.to_dict() for e in one.evidence] and len(one.evidence) > 20
    assert [(s.file, s.reason) for s in two.skipped] == [(s.file, s.reason) for s in one.skipped] != []
