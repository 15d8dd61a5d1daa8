"""Make text that came from a manifest (or a policy, a server, a file name) safe to print.

Messages interpolate values the checked repository controls: an unknown key, a `provider`, a
model name, what a symlink points at. Printed raw, a newline forges a report line
(`llm-sourcing.yaml: passed`) or a GitHub workflow command (`::error::...`), ESC drives the
terminal, and bidi overrides reorder what a reviewer reads. Two defences, both here:

- `escape_controls` turns every character of `UNSAFE` into a visible escape (`\\n`, `\\x1b`,
  `\\u202e`). It is applied where findings and faults are constructed (`llm_policy.findings`), so
  the JSON report, SARIF and every other consumer get safe text, and again by every renderer on
  each value it prints (a saved report re-rendered later is not trusted either). It leaves text
  without such characters untouched, byte for byte, and is idempotent.
- `excerpt` / `quoted` / `value_repr` cut a value to `VALUE_LIMIT` characters before it goes into
  a message, so no message echoes more than a short excerpt of what a file holds.

The set (`UNSAFE`): C0 controls (U+0000-U+001F, including tab, CR and LF), DEL and the C1
controls (U+007F-U+009F, which include the 8-bit CSI), the line and paragraph separators
U+2028/U+2029, and the bidirectional controls U+061C, U+200E, U+200F, U+202A-U+202E and
U+2066-U+2069. Backslashes are not doubled: an escape is for a human reader, not a round trip.
"""

from __future__ import annotations

import re
from typing import Any

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\x1b"}
VALUE_LIMIT = 40  # characters of a value a message may quote


def _escape(match: "re.Match[str]") -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: Any) -> str:
    """`text` with every control, separator and bidi character as a visible escape."""
    text = text if isinstance(text, str) else str(text)
    if UNSAFE.search(text) is None:
        return text  # the common case: unchanged, not even copied
    return UNSAFE.sub(_escape, text)


def _cut(text: str, limit: int) -> tuple[str, str]:
    if len(text) <= limit:
        return text, ""
    return text[:limit], f"… ({len(text)} characters)"


def excerpt(value: Any, limit: int = VALUE_LIMIT) -> str:
    """At most `limit` characters of `value`, escaped, with a note of the full length when cut."""
    head, note = _cut(value if isinstance(value, str) else str(value), limit)
    return escape_controls(head) + note


def quoted(value: Any, limit: int = VALUE_LIMIT) -> str:
    """`'value'` for a message: an excerpt in single quotes (the style of the tool's messages)."""
    head, note = _cut(value if isinstance(value, str) else str(value), limit)
    return f"'{escape_controls(head)}'{note}"


def value_repr(value: str, limit: int = VALUE_LIMIT) -> str:
    """`repr(value)` of at most `limit` characters (Python's quoting and escapes), plus a note when cut."""
    head, note = _cut(value, limit)
    return escape_controls(repr(head)) + note


def long_strings(data: Any, limit: int) -> list[str]:
    """Every string in `data` (keys and values) longer than `limit`, longest first."""
    found: set[str] = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if len(item) > limit:
                found.add(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return sorted(found, key=len, reverse=True)


def shorten_values(message: str, values: list[str], limit: int) -> str:
    """`message` with each of `values` (long manifest strings) that it quotes cut to an excerpt.

    For messages built by policies (Rego `sprintf`), which cannot be trusted to cut what they quote.
    """
    for value in values:
        for form in (value, escape_controls(value)):  # the message may already be escaped
            if form in message:
                message = message.replace(form, excerpt(value, limit))
    return message
