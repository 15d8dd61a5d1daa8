"""A tokeniser for JavaScript/TypeScript, Go and Java: comments out, strings and names in.

Why not a parser (docs/drift.md has the measurements): the detectors only need three things from
these languages — import statements, string literals and identifiers — and all three are lexical. What makes a naive regex wrong is
lexical too: a module name inside a comment, a quote inside a string, `//` inside a URL, a regular
expression literal full of quotes. This tokeniser handles exactly those (block and line comments,
each language's string forms: JS template literals and regex literals, Go raw strings and runes,
Java text blocks and chars), with no native dependency. tree-sitter parses a file somewhat faster
(1.1-3x in the benchmark), but only files that pass the byte prefilter get here, and its 45 MB
package would cost every cold pre-commit run more import time than it saves. A template literal's `${...}` parts are kept as string text,
which can only add literals, never turn a comment into code.
"""

from __future__ import annotations

import bisect
import re
STRING, NAME, PUNCT = "s", "n", "p"


class Token:
    __slots__ = ("kind", "value", "offset")

    def __init__(self, kind: str, value: str, offset: int):
        self.kind = kind
        self.value = value  # a string's decoded-enough value (quotes removed, simple escapes resolved)
        self.offset = offset


_COMMON = r"""
  (?P<ws>\s+)
| (?P<line>//[^\n]*)
| (?P<block>/\*.*?(?:\*/|\Z))
"""
_PATTERNS = {
    "javascript": _COMMON + r"""
| (?P<str>"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)
| (?P<tpl>`(?:[^`\\]|\\.)*`?)
| (?P<name>[A-Za-z_$][\w$]*)
| (?P<num>\d[\w.]*)
| (?P<slash>/)
| (?P<punct>.)
""",
    "go": _COMMON + r"""
| (?P<str>"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)
| (?P<tpl>`[^`]*`?)
| (?P<name>[A-Za-z_][\w]*)
| (?P<num>\d[\w.]*)
| (?P<punct>.)
""",
    "java": _COMMON + r"""
| (?P<tpl>\"\"\".*?(?:\"\"\"|\Z))
| (?P<str>"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)
| (?P<name>[A-Za-z_$][\w$]*)
| (?P<num>\d[\w.]*)
| (?P<punct>.)
""",
}
_COMPILED: dict[str, re.Pattern[str]] = {}  # compiled on first use: a run may need one language
# After these, a `/` starts a regular expression literal in JavaScript; after a name, a number,
# `)` or `]` it is a division.
_REGEX_AFTER_KEYWORDS = {"return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await"}
_REGEX_LITERAL = re.compile(r"/(?:[^/\\\n\[]|\\.|\[(?:[^\]\\\n]|\\.)*\])+/[A-Za-z]*")
_ESCAPES = re.compile(r"\\(.)", re.DOTALL)


def _unquote(text: str, kind: str) -> str:
    if kind == "tpl" and text.startswith('"""'):
        body = text[3:-3] if text.endswith('"""') and len(text) >= 6 else text[3:]
    else:
        quote = text[0]
        body = text[1:-1] if len(text) >= 2 and text.endswith(quote) else text[1:]
    if "\\" in body and not text.startswith("`"):  # Go raw strings keep backslashes; JS templates rarely matter
        body = _ESCAPES.sub(lambda m: m.group(1), body)
    return body


def tokenize(text: str, language: str) -> list[Token]:
    """Strings, names and punctuation of `text`, in order, without comments and whitespace."""
    pattern = _COMPILED.get(language)
    if pattern is None:
        pattern = _COMPILED[language] = re.compile(_PATTERNS[language], re.VERBOSE | re.DOTALL)
    tokens: list[Token] = []
    position, end = 0, len(text)
    previous: Token | None = None
    while position < end:
        match = pattern.match(text, position)
        if match is None:  # cannot happen (`.` matches any character); guard against an endless loop
            position += 1
            continue
        kind = match.lastgroup
        if kind == "slash":
            regex_allowed = previous is None or (previous.kind == PUNCT and previous.value not in ")]") or (
                previous.kind == NAME and previous.value in _REGEX_AFTER_KEYWORDS)
            literal = _REGEX_LITERAL.match(text, position) if regex_allowed else None
            if literal is not None:
                position = literal.end()
                previous = Token("regex", "", match.start())  # an operand: a following `/` divides
                continue
            token = Token(PUNCT, "/", match.start())
        elif kind in ("str", "tpl"):
            token = Token(STRING, _unquote(match.group(), kind), match.start())
        elif kind == "name":
            token = Token(NAME, match.group(), match.start())
        elif kind == "punct":
            token = Token(PUNCT, match.group(), match.start())
        elif kind == "num":
            token = Token("num", match.group(), match.start())
        else:  # whitespace and comments
            position = match.end()
            continue
        tokens.append(token)
        previous = token
        position = match.end()
    return tokens


class Lines:
    """Offsets to 1-based line and column."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1
