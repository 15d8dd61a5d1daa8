"""The loader: plain data out, every node located, hostile YAML stopped with a position."""

from __future__ import annotations

from pathlib import Path

import pytest

from llm_policy.load import LoadError, load_document, parse_document

DOC = """\
apiVersion: llm-policy/v1
sources:
  - id: a
    dpa:
      signed: 2025-01-10
      flags: [true, 0x10, 1.5, ~]
  - id: b
"""


def test_dates_stay_strings_and_scalars_follow_yaml_1_2():
    data = parse_document(DOC, Path("m.yaml")).data
    dpa = data["sources"][0]["dpa"]
    assert dpa["signed"] == "2025-01-10"
    assert dpa["flags"] == [True, 16, 1.5, None]
    assert parse_document("a: yes\nb: on\n", Path("m.yaml")).data == {"a": "yes", "b": "on"}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (["sources", 0, "dpa", "signed"], (5, 15)),  # scalar: the value itself
        (["sources", 0, "dpa"], (4, 5)),  # mapping: the key that introduces it
        (["sources", 1], (7, 5)),  # sequence item: its first key
        (["sources", 0, "dpa", "expires"], (4, 5)),  # missing: nearest existing ancestor
        (["sources", "1", "id"], (7, 9)),  # JSON-pointer style string index
        ([], (1, 1)),
    ],
)
def test_position_map(path, expected):
    document = parse_document(DOC, Path("m.yaml"))
    span, _ = document.positions.locate(path)
    assert (span.line, span.column) == expected


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ("a: 1\na: 2\n", "duplicate key 'a' (first defined at line 1)", 2, 1),
        ("a: [1\nb: 2\n", "YAML syntax error", 2, 2),
        ("a:\n\tb: 1\n", "tab character", 2, 1),
        ("a: !!python/object:os.system x\n", "YAML tag '!!python/object:os.system' is not allowed", 1, 4),
        ("a: !custom x\n", "YAML tag '!custom' is not allowed", 1, 4),
        ("- 1\n", "must be a YAML mapping, got a sequence", 1, 1),
        ("just text\n", "must be a YAML mapping, got str", 1, 1),
        ("", "file is empty", 1, 1),
        ("# only a comment\n", "file is empty", 1, 1),
        ("a: 1\n---\nb: 2\n", "several YAML documents", 2, 1),
        ("1: x\n", "mapping keys must be strings, got int '1'", 1, 1),
        ("? [a]\n: x\n", "mapping keys must be strings", 1, 3),
        ("a: .nan\n", "non-finite numbers", 1, 4),
        ("base: &b {x: 1}\nother:\n  <<: *b\n", "merge keys", 3, 3),
    ],
)
def test_bad_yaml_is_a_located_error(text, message, line, column):
    with pytest.raises(LoadError) as info:
        parse_document(text, Path("m.yaml"))
    assert message in info.value.message
    assert (info.value.line, info.value.column) == (line, column)


def test_alias_bomb_is_bounded():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdefgh"):
        prev = "abcdefgh"[i]
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 10)}]")
    with pytest.raises(LoadError, match="alias/anchor bomb"):
        parse_document("\n".join(lines) + "\n", Path("m.yaml"))


def test_deep_nesting_is_bounded():
    with pytest.raises(LoadError, match="nested more than"):
        parse_document("a: " + "[" * 3000 + "]" * 3000 + "\n", Path("m.yaml"))


def test_file_level_problems(tmp_path: Path):
    (tmp_path / "bom.yaml").write_bytes(b"\xef\xbb\xbfa: 1\n")
    (tmp_path / "latin1.yaml").write_bytes(b"a: 1\nb: caf\xe9\n")
    (tmp_path / "bin.yaml").write_bytes(b"a: \x00\x01")
    (tmp_path / "big.yaml").write_text("a: " + "x" * 200 + "\n")
    (tmp_path / "dir.yaml").mkdir()
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "nowhere")
    cases = {
        "bom.yaml": ("byte order mark", False),
        "latin1.yaml": ("not valid UTF-8", False),
        "bin.yaml": ("binary", False),
        "dir.yaml": ("is a directory", True),
        "dangling.yaml": ("broken symbolic link", True),
    }
    for name, (message, io) in cases.items():
        with pytest.raises(LoadError) as info:
            load_document(tmp_path / name)
        assert message in info.value.message, name
        assert info.value.io is io, name
    with pytest.raises(LoadError, match="larger than the 100-byte limit"):
        load_document(tmp_path / "big.yaml", max_bytes=100)
    err = pytest.raises(LoadError, load_document, tmp_path / "latin1.yaml").value
    assert (err.line, err.column) == (2, 7)
