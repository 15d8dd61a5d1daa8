"""The position map: from any JSON path into a manifest back to `line:col` in its file.

This is the backbone of every located finding. Schema errors, Rego findings and waivers all
speak JSON paths; only this module knows about lines. Paths that do not exist (a missing key a
rule asks for) fall back to the nearest existing ancestor, so a policy author never computes a line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

PathKey = tuple[Any, ...]


@dataclass(frozen=True)
class Span:
    """1-based start and end of a node in the file."""

    line: int
    column: int
    end_line: int
    end_column: int


def to_pointer(path: Sequence[Any]) -> str:
    """RFC 6901 JSON pointer for a path like ["sources", 1, "dpa"] -> "/sources/1/dpa"."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def from_pointer(pointer: str) -> list[str]:
    if pointer in ("", "/"):
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.lstrip("/").split("/")]


class PositionMap:
    """Spans of value nodes and of the keys that introduce them, indexed by JSON path."""

    def __init__(self) -> None:
        self.values: dict[PathKey, Span] = {}
        self.keys: dict[PathKey, Span] = {}
        self.collections: set[PathKey] = set()

    def add(self, path: PathKey, value: Span, key: Optional[Span] = None, collection: bool = False) -> None:
        self.values[path] = value
        if key is not None:
            self.keys[path] = key
        if collection:
            self.collections.add(path)

    def _normalise(self, path: Iterable[Any]) -> PathKey:
        """Accept both ints and digit strings for sequence indices (JSON pointers carry strings)."""
        out: list[Any] = []
        for part in path:
            candidate = tuple(out) + (part,)
            if candidate not in self.values and isinstance(part, str) and part.isdigit():
                as_int = tuple(out) + (int(part),)
                if as_int in self.values:
                    part = int(part)
            out.append(part)
        return tuple(out)

    def exists(self, path: Iterable[Any]) -> bool:
        return self._normalise(path) in self.values

    def locate(self, path: Iterable[Any]) -> tuple[Span, PathKey]:
        """Span for `path`, or for its nearest existing ancestor; also returns the path used.

        For mappings and sequences the key that introduces them is the more useful place (the
        value of a block mapping starts on the next line); scalars point at the value itself.
        """
        key = self._normalise(path)
        while key and key not in self.values:
            key = key[:-1]
        if key in self.collections and key in self.keys:
            return self.keys[key], key
        span = self.values.get(key) or Span(1, 1, 1, 1)
        return span, key
