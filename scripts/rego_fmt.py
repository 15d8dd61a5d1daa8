#!/usr/bin/env python3
"""The parts of `opa fmt` (OPA 1.9, Rego v1) that hand-written Rego most often misses, without OPA.

CI machines and pre-commit hooks here have no `opa` binary, so `tests/test_rego_hygiene.py` uses
this to hold every shipped .rego file to what `opa fmt` would leave, and `--write` applies it:

    python scripts/rego_fmt.py policies/            # list problems, exit 1 if any
    python scripts/rego_fmt.py --write policies/    # fix what can be fixed, list the rest

The rules, as OPA's `v1/format/format.go` applies them:

- **Imports** are sorted within each group of consecutive import lines (a blank or comment line
  starts a new group), by path and then alias (`writeImports`, `ast.Import.Compare`). Fixed.
- **Multi-line collections** (array, object, set literals and the arguments of a call): a
  collection is multi-line when its elements start on more than one line, or (literals only) when
  a line break comes before its first element (`writeIterable`). Then `opa fmt` puts the first
  element on a new line, a comma after the last element, and the closing bracket on a line of
  its own. The missing trailing comma is fixed; the other two are reported.
- **Rules are separated by one blank line** (`writeRules`), except adjacent one-line rules, which
  stay grouped (`groupableOneLiner`). A comment block above a rule belongs to that rule, so the
  blank line goes above the comments. Fixed.
- A single-line collection has no trailing comma (`[a, b,]` becomes `[a, b]`). Reported.
- A call whose only argument group starts on the line after `(` is joined onto one line by
  `opa fmt` (`f(\n\tx,\n)` becomes `f(x)`). Reported.
- Whitespace: tabs for indentation, no trailing whitespace, no CRLF, one final newline, no runs of
  blank lines. Reported.

Comprehensions (`[x | ...]`), rule bodies (`if {`, `else {`, `every ... {`) and ref brackets
(`input.sources[i]`) are not collections. Rego v0 files are not checked (`opa fmt` would rewrite
them wholesale). This is not a full formatter: a file it accepts may still differ from `opa fmt`
in ways not listed here, which is why tests run the real `opa fmt --list` when a binary exists.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

_TOKEN = re.compile(
    r'(?P<str>"(?:[^"\\\n]|\\.)*")'
    r"|(?P<raw>`[^`]*`)"
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<ident>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<num>[0-9][0-9.eE+-]*)"
    r"|(?P<nl>\n)"
    r"|(?P<space>[ \t\r]+)"
    r"|(?P<punct>:=|==|!=|<=|>=|.)"
)
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
# `{` after these is an object or set; after anything else (if, else, `every x in xs`) a body.
_VALUE_BEFORE_BRACE = {"=", ":=", "==", "!=", "(", "[", "{", ",", ":", "|", "&", "+", "-", "*", "/", "<", ">", "<=", ">="}
_VALUE_KEYWORDS = {"as", "in", "contains", "with", "not", "some", "return"}
_IMPORT = re.compile(r"^import\s+(?P<path>[^\s#]+)(?:\s+as\s+(?P<alias>[A-Za-z_][A-Za-z0-9_]*))?\s*(?P<comment>#.*)?$")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int
    row: int  # 1-based
    col: int  # 1-based


@dataclass(frozen=True)
class Problem:
    row: int
    message: str
    fixable: bool = False

    def __str__(self) -> str:
        return f"{self.row}: {self.message}" + (" (fixable with --write)" if self.fixable else "")


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    row, line_start = 1, 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        start = match.start()
        if kind not in ("space", "nl"):
            tokens.append(Token("str" if kind == "raw" else kind, match.group(), start, match.end(), row, start - line_start + 1))
        newlines = match.group().count("\n")
        if newlines:
            row += newlines
            line_start = start + match.group().rindex("\n") + 1
    return tokens


_V0_HEAD = re.compile(
    r"^(?:default\s+)?[A-Za-z_][A-Za-z0-9_.]*(?:\[[^\]\n]*\])?(?:\([^)\n]*\))?"  # name, v0 key, args
    r"\s*(?:(?::=|=)(?P<value>[^\n]*?))?\s*\{\s*(?:#.*)?$",  # optional value, then a body brace
    re.MULTILINE,
)


def is_v0(text: str) -> bool:
    """Rego v0 (a rule body without `if`): not checked, `opa fmt` would rewrite it wholesale.

    `deny[msg] {`, `allow {` and `x = "a" {` are v0 rule heads; `x := {` opens an object (v1).
    """
    if re.search(r"^import\s+rego\.v1\b", text, re.MULTILINE):
        return False
    for match in _V0_HEAD.finditer(text):
        value = (match.group("value") or "").strip()
        if match.group("value") is None or (value and value[-1] not in "([{,:" and not value.endswith(" if")):
            if not re.search(r"\b(if|contains|else)\b", match.group()):
                return True
    return False


# --- imports ------------------------------------------------------------------------------------


def _import_key(path: str, alias: Optional[str]) -> tuple[tuple[str, ...], str]:
    # ast.Import.Compare: the path ref element by element (a prefix first), then the alias.
    return tuple(path.split(".")), alias or ""


def import_groups(lines: list[str]) -> Iterator[tuple[int, int]]:
    """(first, last+1) indexes of each run of consecutive top-level import lines."""
    i = 0
    while i < len(lines):
        if _IMPORT.match(lines[i]):
            j = i
            while j < len(lines) and _IMPORT.match(lines[j]):
                j += 1
            yield i, j
            i = j
        else:
            i += 1


def sorted_imports(group: list[str]) -> list[str]:
    def key(line: str) -> tuple[tuple[str, ...], str]:
        match = _IMPORT.match(line)
        assert match
        return _import_key(match.group("path"), match.group("alias"))

    return sorted(group, key=key)


# --- collections ----------------------------------------------------------------------------------


@dataclass
class Collection:
    kind: str  # array, object, set, call
    open: Token
    close: Token
    elements: list[tuple[Token, Token]]  # (first token, last token) of each element
    trailing_comma: Optional[Token]


def _previous(tokens: list[Token], index: int) -> Optional[Token]:
    for j in range(index - 1, -1, -1):
        if tokens[j].kind != "comment":
            return tokens[j]
    return None


def _line_starts_with_every(tokens: list[Token], index: int) -> bool:
    row = tokens[index].row
    j = index
    while j > 0 and tokens[j - 1].row == row:
        j -= 1
    return tokens[j].text == "every"


def _kind(tokens: list[Token], index: int) -> Optional[str]:
    """What the opening bracket at `index` starts: a collection kind, or None (body, group, ref)."""
    token = tokens[index]
    before = _previous(tokens, index)
    adjacent = before is not None and before.end == token.start
    if token.text == "(":
        return "call" if adjacent and before is not None and before.kind == "ident" else None
    if token.text == "[":
        if adjacent and before is not None and (before.kind in ("ident", "str") or before.text in (")", "]", "}")):
            return None  # a ref: input.sources[i], f(x)[0]
        return "array"
    if before is None:
        return None
    if before.text in _VALUE_BEFORE_BRACE or (before.kind == "ident" and before.text in _VALUE_KEYWORDS):
        if before.text == "in" and _line_starts_with_every(tokens, index):
            return None
        return "brace"
    return None  # a rule or `every` body


def collections(tokens: list[Token]) -> list[Collection]:
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, token in enumerate(tokens):
        if token.kind != "punct":
            continue
        if token.text in _OPENERS:
            stack.append(i)
        elif token.text in _CLOSERS:
            if not stack or tokens[stack[-1]].text != _CLOSERS[token.text]:
                raise ValueError(f"line {token.row}: unbalanced {token.text!r}")
            pairs[stack.pop()] = i
    if stack:
        raise ValueError(f"line {tokens[stack[-1]].row}: {tokens[stack[-1]].text!r} is never closed")
    found: list[Collection] = []
    for open_index, close_index in sorted(pairs.items()):
        kind = _kind(tokens, open_index)
        if kind is None:
            continue
        elements: list[tuple[Token, Token]] = []
        start: Optional[int] = None
        last: Optional[int] = None
        comprehension = colon = False
        trailing: Optional[Token] = None
        j = open_index + 1
        while j < close_index:
            token = tokens[j]
            if token.kind == "comment":
                j += 1
                continue
            if j in pairs:  # a nested bracket is part of the current element
                if start is None:
                    start = j
                last = pairs[j]
                j = pairs[j] + 1
                trailing = None
                continue
            if token.text == "|":
                comprehension = True
            if token.text == ":":
                colon = True
            if token.text == ",":
                if start is not None and last is not None:
                    elements.append((tokens[start], tokens[last]))
                start = last = None
                trailing = token
            else:
                if start is None:
                    start = j
                last = j
                trailing = None
            j += 1
        if comprehension:
            continue
        if start is not None and last is not None:
            elements.append((tokens[start], tokens[last]))
        if kind == "brace":
            kind = "object" if colon else "set"
        found.append(Collection(kind, tokens[open_index], tokens[close_index], elements, trailing))
    return found


def _multiline(c: Collection) -> bool:
    rows = {first.row for first, _ in c.elements}
    if len(rows) > 1:
        return True
    return c.kind != "call" and bool(c.elements) and c.elements[0][0].row > c.open.row


def collection_problems(c: Collection) -> list[Problem]:
    if not c.elements:
        return []
    what = {"call": "call arguments", "array": "array", "object": "object", "set": "set"}[c.kind]
    if not _multiline(c):
        if c.kind == "call" and c.elements[0][0].row > c.open.row:
            return [Problem(c.open.row, f"opa fmt joins these {what} onto the line of `(` (one argument line)")]
        if c.trailing_comma is not None:
            return [Problem(c.trailing_comma.row, f"single-line {what}: opa fmt removes the trailing comma")]
        return []
    problems = []
    if c.elements[0][0].row == c.open.row:
        problems.append(Problem(c.open.row, f"multi-line {what}: opa fmt starts the first element on a new line"))
    if c.trailing_comma is None:
        problems.append(Problem(c.elements[-1][1].row, f"multi-line {what}: opa fmt adds a comma after the last element", fixable=True))
    if c.close.row == c.elements[-1][1].row:
        problems.append(Problem(c.close.row, f"multi-line {what}: opa fmt puts the closing {c.close.text!r} on its own line"))
    return problems


# --- blank lines between rules -------------------------------------------------------------------


@dataclass
class Rule:
    start: int  # row of the head
    end: int  # last row with a token of the rule (comments inside included)
    default: bool
    comments_from: int  # first row of the comment block directly above the head (== start if none)


def rules(tokens: list[Token]) -> list[Rule]:
    """Top-level rules: a token in column 1 at bracket depth 0 that is not package/import/else."""
    found: list[Rule] = []
    depth = 0
    for index, token in enumerate(tokens):
        top = depth == 0 and token.col == 1 and token.kind == "ident" and token.text not in ("package", "import", "else")
        if top:
            comments_from = token.row
            j = index - 1
            while j >= 0 and tokens[j].kind == "comment" and tokens[j].col == 1 and tokens[j].row == comments_from - 1:
                comments_from = tokens[j].row
                j -= 1
            found.append(Rule(token.row, token.row, token.text == "default", comments_from))
        elif found and (token.kind != "comment" or depth > 0):
            found[-1].end = token.row  # tokens come in order: the last one seen ends the rule
        if token.kind == "punct" and token.text in _OPENERS:
            depth += 1
        elif token.kind == "punct" and token.text in _CLOSERS:
            depth -= 1
    return found


def spacing_problems(tokens: list[Token], text: str) -> list[tuple[int, Problem]]:
    """(row before which a blank line is missing, problem) for rules opa fmt would separate."""
    lines = text.split("\n")
    found = []
    listed = rules(tokens)
    for before, rule in zip(listed, listed[1:]):
        if rule.comments_from > before.end + 1:
            continue  # something (a blank line) separates them already
        if any(not lines[r - 1].strip() for r in range(before.end + 1, rule.comments_from)):
            continue
        one_liners = before.start == before.end and rule.start == rule.end and not (before.default or rule.default)
        if one_liners and rule.start == before.end + 1:
            continue  # adjacent one-line rules stay grouped
        found.append((rule.comments_from, Problem(rule.comments_from, "opa fmt separates rules with a blank line", fixable=True)))
    return found


# --- whitespace -----------------------------------------------------------------------------------


def whitespace_problems(text: str) -> list[Problem]:
    problems = []
    if "\r" in text:
        problems.append(Problem(1, "CRLF line endings"))
    if not text.endswith("\n") or text.endswith("\n\n"):
        problems.append(Problem(text.count("\n") + 1, "the file must end with exactly one newline"))
    in_raw = False
    for number, line in enumerate(text.split("\n"), start=1):
        if line != line.rstrip() and not in_raw:
            problems.append(Problem(number, "trailing whitespace"))
        if re.match(r"^\t* +\S", line) and not line.lstrip().startswith("#") and not in_raw:
            problems.append(Problem(number, "indented with spaces (opa fmt uses tabs)"))
        if line.count("`") % 2:
            in_raw = not in_raw
    if "\n\n\n" in text:
        problems.append(Problem(text.count("\n", 0, text.index("\n\n\n")) + 2, "more than one blank line"))
    return problems


# --- the whole file -------------------------------------------------------------------------------


def problems(text: str) -> list[Problem]:
    """Everything `opa fmt` would change that this knows about, in line order."""
    found = whitespace_problems(text)
    if is_v0(text):
        return sorted(found, key=lambda p: p.row)
    lines = text.split("\n")
    for first, last in import_groups(lines):
        group = lines[first:last]
        if group != sorted_imports(group):
            found.append(Problem(first + 1, "imports are not sorted (opa fmt sorts each group by path, then alias)", fixable=True))
    try:
        tokens = tokenize(text)
        for collection in collections(tokens):
            found.extend(collection_problems(collection))
        found.extend(problem for _, problem in spacing_problems(tokens, text))
    except ValueError as exc:
        found.append(Problem(1, f"cannot read the file: {exc}"))
    return sorted(found, key=lambda p: p.row)


def fix(text: str) -> str:
    """Apply the fixable rules: sort import groups, add trailing commas to multi-line collections."""
    if is_v0(text):
        return text
    lines = text.split("\n")
    for first, last in import_groups(lines):
        lines[first:last] = sorted_imports(lines[first:last])
    text = "\n".join(lines)
    inserts = []
    for collection in collections(tokenize(text)):
        if collection.elements and _multiline(collection) and collection.trailing_comma is None:
            inserts.append(collection.elements[-1][1].end)
    for offset in sorted(inserts, reverse=True):
        text = text[:offset] + "," + text[offset:]
    lines = text.split("\n")
    for row, _ in sorted(spacing_problems(tokenize(text), text), key=lambda item: -item[0]):
        lines.insert(row - 1, "")
    return "\n".join(lines)


def rego_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.rego") if p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or directory")
    return files


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="rego_fmt.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help=".rego files or directories")
    parser.add_argument("-w", "--write", action="store_true", help="fix the fixable problems in place")
    args = parser.parse_args(argv)
    try:
        files = rego_files(args.paths)
    except FileNotFoundError as exc:
        print(f"rego_fmt: {exc}", file=sys.stderr)
        return 2
    remaining = 0
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{path}: cannot read: {exc}", file=sys.stderr)
            return 2
        if args.write:
            fixed = fix(text)
            if fixed != text:
                path.write_text(fixed, encoding="utf-8")
                print(f"{path}: reformatted")
                text = fixed
        for problem in problems(text):
            print(f"{path}:{problem}")
            remaining += 1
    return 1 if remaining else 0


if __name__ == "__main__":
    sys.exit(main())
