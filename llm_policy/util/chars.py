"""ASCII-only readings of text, where Python's Unicode-aware string methods accept more than meant.

`str.isdigit()` is true for "²" and "١" (which `int()` then rejects or reads as 1), and a Cyrillic
"о" looks exactly like a Latin "o". Formats that are ASCII by definition (array indexes in JSON
pointers, identifiers, menu numbers) are read with these helpers, never with `isdigit`/`isnumeric`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

_ARRAY_INDEX = re.compile(r"0|[1-9][0-9]*")  # RFC 6901: no sign, no leading zeros, ASCII digits
_DECIMAL = re.compile(r"[0-9]+")


def array_index(part: str) -> Optional[int]:
    """The array index a JSON-pointer reference token stands for, or None (RFC 6901, ASCII only)."""
    return int(part) if _ARRAY_INDEX.fullmatch(part) else None


def ascii_decimal(text: str) -> Optional[int]:
    """A non-negative integer written with ASCII digits only ("007" -> 7), or None."""
    return int(text) if _DECIMAL.fullmatch(text) else None


def describe_char(char: str) -> str:
    """'о' (U+043E CYRILLIC SMALL LETTER O); the glyph is left out when it is invisible or a control."""
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}" + (f" {name}" if name else "")
    visible = char.isprintable() and not char.isspace() and unicodedata.category(char) not in ("Mn", "Me", "Cf")
    return f"'{char}' ({code})" if visible else code


def first_non_ascii(text: str) -> Optional[tuple[int, str]]:
    """(1-based position, character) of the first non-ASCII character in `text`, if any."""
    for position, char in enumerate(text, start=1):
        if not char.isascii():
            return position, char
    return None
