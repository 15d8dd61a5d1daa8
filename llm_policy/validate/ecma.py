"""JSON Schema `pattern`s with the meaning the standard gives them (ECMA-262, `u` flag), on Python's `re`.

Why: JSON Schema patterns are ECMA-262 regular expressions, but jsonschema (and any code that hands
the pattern to `re` as written) gives them Python's meaning, which is laxer in ways an attacker can
use: Python's `$` also matches before a final newline, so `jurisdictions: ["RU\\n"]` passed
`^[A-Z]{2}$` and the residency rules, comparing with "RU", skipped it. The differences that matter:

| construct | ECMA-262 (`u`)                                   | Python `re` (str)                       |
|-----------|--------------------------------------------------|-----------------------------------------|
| `$`       | end of input only                                | end, or before a final `\\n`             |
| `.`       | any code point but `\\n \\r \\u2028 \\u2029`         | any code point but `\\n`                 |
| `\\d \\w`   | ASCII `[0-9]`, `[A-Za-z0-9_]`                    | every Unicode digit / word character    |
| `\\s`      | ECMA WhiteSpace + LineTerminator (incl. U+FEFF)  | `str.isspace()` (incl. U+001C-U+001F)    |

`python_pattern` rewrites a pattern into a Python pattern with exactly the ECMA meaning, so both
validation paths (the generated fast validator and jsonschema, extended here) use one translation.
It is deliberately not a general translator: it accepts the audited subset of ECMA syntax listed
in `_parse` and raises `UnsupportedPattern` for anything else (backreferences, `\\b`, lookbehind,
named groups, `\\p{..}`, ...), so a new pattern with a construct whose meaning differs cannot slip
in unnoticed; `tests/test_ecma_patterns.py` runs every pattern of every shipped schema through it
and compares the result with a real ECMA-262 engine (regress, the one check-jsonschema uses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterator, Optional

# ECMA-262 WhiteSpace (TAB, VT, FF, ZWNBSP, every Zs) and LineTerminator (LF, CR, LS, PS).
ECMA_SPACE = "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
ECMA_LINE_TERMINATORS = "\\n\\r\\u2028\\u2029"
_CLASS_ESCAPES = {"d": "0-9", "w": "A-Za-z0-9_", "s": ECMA_SPACE}  # usable inside [...] too
_CONTROL_ESCAPES = {"n": "\\n", "r": "\\r", "t": "\\t", "f": "\\x0c", "v": "\\x0b"}
# Punctuation that ECMA's `u` mode lets one escape (SyntaxCharacter and `/`, plus `-` in classes).
_SYNTAX = set("^$\\.*+?()[]{}|/")
_QUANTIFIER = re.compile(r"\{(\d+)(,(\d*))?\}\??")


class UnsupportedPattern(ValueError):
    """The pattern uses ECMA syntax outside the audited subset; its Python meaning could differ."""


@dataclass(frozen=True)
class Translation:
    python: str  # the pattern for `re`, with ECMA-262 meaning
    ascii_only: bool  # it can only match strings made of ASCII characters (anchored, ASCII atoms)


def _code_point(char: str) -> str:
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else (f"\\u{ord(char):04x}" if ord(char) < 0x10000 else f"\\U{ord(char):08x}")


def _class_char(char: str) -> str:
    """One literal character inside a Python character class, escaped when `re` could misread it."""
    if not char.isprintable() or char.isspace():
        return _code_point(char)
    return "\\" + char if not char.isalnum() and char.isascii() else char


def _literal(char: str) -> str:
    return _code_point(char) if not char.isprintable() or char.isspace() else re.escape(char)


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.pos = 0
        self.ascii_only = True

    def fail(self, what: str) -> UnsupportedPattern:
        return UnsupportedPattern(f"pattern {self.pattern!r}: {what} at offset {self.pos} is not supported "
                                  "(see llm_policy/validate/ecma.py for the audited subset)")

    def peek(self) -> Optional[str]:
        return self.pattern[self.pos] if self.pos < len(self.pattern) else None

    def take(self) -> str:
        char = self.pattern[self.pos]
        self.pos += 1
        return char

    def _hex(self, digits: int) -> str:
        text = self.pattern[self.pos:self.pos + digits]
        if len(text) != digits or not all(c in "0123456789abcdefABCDEF" for c in text):
            raise self.fail("a malformed hex escape")
        self.pos += digits
        return chr(int(text, 16))

    def escape(self, in_class: bool) -> tuple[str, Optional[str]]:
        """After a backslash: (python text, the single literal character it stands for, if any)."""
        if self.peek() is None:
            raise self.fail("a trailing backslash")
        char = self.take()
        if char in _CLASS_ESCAPES:
            if char != "d" and char != "w":
                self.ascii_only = False
            body = _CLASS_ESCAPES[char]
            return (body if in_class else f"[{body}]"), None
        if char in ("D", "W", "S"):
            if in_class:
                raise self.fail(f"\\{char} inside a character class")
            self.ascii_only = False
            return f"[^{_CLASS_ESCAPES[char.lower()]}]", None
        if char in _CONTROL_ESCAPES:
            return _CONTROL_ESCAPES[char], "\n\r\t\f\v"["nrtfv".index(char)]
        if char == "x":
            literal = self._hex(2)
        elif char == "u" and self.peek() != "{":
            literal = self._hex(4)
            if 0xD800 <= ord(literal) <= 0xDFFF:
                raise self.fail("a surrogate escape")
        elif char in _SYNTAX or (in_class and char == "-"):
            literal = char
        else:
            raise self.fail(f"the escape \\{char}")
        if not literal.isascii():
            self.ascii_only = False
        return (_class_char(literal) if in_class else _literal(literal)), literal

    def char_class(self) -> str:
        """After `[`: a class of literals, ranges and \\d \\w \\s, possibly negated."""
        negated = self.peek() == "^"
        if negated:
            self.take()
            self.ascii_only = False
        parts: list[str] = []
        previous: Optional[str] = None  # the last single literal, the start of a possible range
        if self.peek() == "]":
            raise self.fail("an empty character class")
        while True:
            char = self.peek()
            if char is None:
                raise self.fail("an unterminated character class")
            self.take()
            if char == "]":
                break
            if char == "-" and previous is not None and self.peek() not in (None, "]"):
                low = previous
                if self.peek() == "\\":
                    self.take()
                    _, high = self.escape(in_class=True)
                    if high is None:
                        raise self.fail("a range ending in a class escape")
                else:
                    high = self.take()
                    if high == "[":
                        raise self.fail("'[' inside a character class")
                if ord(high) < ord(low):
                    raise self.fail("a range out of order")
                if not high.isascii():
                    self.ascii_only = False
                parts[-1] = f"{_class_char(low)}-{_class_char(high)}"
                previous = None
                continue
            if char == "\\":
                text, previous = self.escape(in_class=True)
                if previous is None and self.peek() == "-" and self.pattern[self.pos + 1:self.pos + 2] not in ("", "]"):
                    raise self.fail("a range starting with a class escape")
                parts.append(text)
                continue
            if char == "[":
                raise self.fail("'[' inside a character class")
            if not char.isascii():
                self.ascii_only = False
            parts.append(_class_char(char))
            previous = char
        return "[" + ("^" if negated else "") + "".join(parts) + "]"

    def sequence(self, depth: int) -> tuple[str, bool]:
        """Alternatives up to `)` or the end; returns (python text, whether it had a top-level `|`)."""
        out: list[str] = []
        quantifiable = False
        alternation = False
        while True:
            char = self.peek()
            if char is None or char == ")":
                if char == ")" and depth == 0:
                    raise self.fail("an unbalanced ')'")
                return "".join(out), alternation
            self.take()
            if char == "|":
                alternation = True
                out.append("|")
                quantifiable = False
            elif char == "^":
                out.append("^")  # without the m flag: the start of input, as in Python
                quantifiable = False
            elif char == "$":
                out.append("\\Z")  # without the m flag: the end of input only, never before a final \n
                quantifiable = False
            elif char == ".":
                self.ascii_only = False
                out.append(f"[^{ECMA_LINE_TERMINATORS}]")
                quantifiable = True
            elif char == "(":
                prefix = "("
                if self.pattern.startswith("?:", self.pos) or self.pattern.startswith("?=", self.pos) or self.pattern.startswith("?!", self.pos):
                    prefix += self.pattern[self.pos:self.pos + 2]
                    self.pos += 2
                elif self.peek() == "?":
                    raise self.fail("a lookbehind, named group or inline flag")
                inner, _ = self.sequence(depth + 1)
                if self.peek() != ")":
                    raise self.fail("an unterminated group")
                self.take()
                out.append(prefix + inner + ")")
                quantifiable = prefix in ("(", "(?:")  # quantified lookarounds are an Annex B oddity
            elif char == "[":
                out.append(self.char_class())
                quantifiable = True
            elif char == "\\":
                text, _ = self.escape(in_class=False)
                out.append(text)
                quantifiable = True
            elif char in "*+?":
                if not quantifiable:
                    raise self.fail(f"a quantifier {char!r} with nothing to repeat")
                text = char
                if self.peek() == "?":
                    text += self.take()
                out.append(text)
                quantifiable = False
            elif char == "{":
                match = _QUANTIFIER.match(self.pattern, self.pos - 1)
                if not quantifiable or match is None:
                    raise self.fail("a '{' that is not a quantifier")
                low, high = match.group(1), match.group(3)
                if high and int(high) < int(low):
                    raise self.fail("a quantifier out of order")
                out.append(match.group(0))
                self.pos = match.end()
                quantifiable = False
            elif char in "]}":
                raise self.fail(f"an unescaped {char!r}")
            else:
                if not char.isascii():
                    self.ascii_only = False
                out.append(_literal(char))
                quantifiable = True


@lru_cache(maxsize=None)
def translate(pattern: str) -> Translation:
    """The Python equivalent of the ECMA-262 `pattern`; raises UnsupportedPattern outside the subset."""
    parser = _Parser(pattern)
    python, alternation = parser.sequence(0)
    anchored = pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith("\\$") and not alternation
    re.compile(python)  # a translation bug must surface here, not as a silently different match
    return Translation(python=python, ascii_only=parser.ascii_only and anchored)


def python_pattern(pattern: str) -> str:
    return translate(pattern).python


@lru_cache(maxsize=None)
def compiled(pattern: str) -> "re.Pattern[str]":
    return re.compile(python_pattern(pattern))


def search(pattern: str, text: str) -> bool:
    """ECMA-262 `RegExp(pattern, "u").test(text)`, which is what JSON Schema's `pattern` asks."""
    return compiled(pattern).search(text) is not None


def patterns_in(schema: Any) -> Iterator[str]:
    """Every `pattern` in a schema (and every patternProperties key), for audits and generators."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            elif key == "patternProperties" and isinstance(value, dict):
                yield from value
            if key not in ("const", "enum", "default", "examples"):
                yield from patterns_in(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from patterns_in(item)


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _unsupported_keyword(name: str) -> Callable[..., Iterator[Any]]:
    def refuse(validator: Any, value: Any, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
        raise UnsupportedPattern(f"`{name}` would match with Python's regex semantics; use `pattern`")
        yield  # pragma: no cover - makes this a generator like every keyword function

    return refuse


@lru_cache(maxsize=None)
def validator_class() -> Any:
    """Draft 2020-12 as jsonschema implements it, but with ECMA-262 `pattern`s.

    `patternProperties` and `propertyNames` patterns would still be Python's; no shipped schema
    uses them, and a schema that does fails loudly instead of matching with the wrong meaning.
    """
    from jsonschema import Draft202012Validator, validators

    return validators.extend(
        Draft202012Validator,
        validators={"pattern": _ecma_pattern, "patternProperties": _unsupported_keyword("patternProperties")},
    )


def validator_for(schema: dict[str, Any]) -> Any:
    """A validator of `schema` (ECMA patterns, strict dates); every pattern is checked up front."""
    from jsonschema import FormatChecker

    for pattern in patterns_in(schema):
        translate(pattern)
    return validator_class()(schema, format_checker=FormatChecker(formats=("date",)))
