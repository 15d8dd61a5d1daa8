"""The position map: from any JSON path into a manifest back to `line:col` in its file.

This is the backbone of every located finding. Schema errors, Rego findings and waivers all
speak JSON paths; only this module knows about lines. Paths that do not exist (a missing key a
rule asks for) fall back to the nearest existing ancestor, so a policy author never computes a line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Optional, Sequence

from llm_policy.util.chars import array_index

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


class _SpanView:
    """Read-only `{path: Span}` view whose spans are made from parser marks only when asked for.

    Most manifests produce no finding, so computing a Span for each of their nodes up front would
    be wasted work on the hot path of a batch; the marks are kept and converted on demand.
    """

    __slots__ = ("_entries",)

    def __init__(self, entries: dict[PathKey, Any]) -> None:
        self._entries = entries

    def __contains__(self, path: object) -> bool:
        return path in self._entries

    def __getitem__(self, path: PathKey) -> Span:
        return _as_span(self._entries[path])

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[PathKey]:
        return iter(self._entries)

    def get(self, path: PathKey, default: Optional[Span] = None) -> Optional[Span]:
        entry = self._entries.get(path)
        return default if entry is None else _as_span(entry)


def _as_span(entry: Any) -> Span:
    """A Span as is, or the 1-based span of a YAML node from its (0-based) start and end marks."""
    if isinstance(entry, Span):
        return entry
    start, end = entry.start_mark, entry.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


class PositionMap:
    """Spans of value nodes and of the keys that introduce them, indexed by JSON path."""

    def __init__(self) -> None:
        self._values: dict[PathKey, Any] = {}  # path -> Span or YAML node (converted lazily)
        self._keys: dict[PathKey, Any] = {}
        self.collections: set[PathKey] = set()

    @property
    def values(self) -> _SpanView:
        return _SpanView(self._values)

    @property
    def keys(self) -> _SpanView:
        return _SpanView(self._keys)

    def add(self, path: PathKey, value: Any, key: Any = None, collection: bool = False) -> None:
        """Record a value's span (a Span, or a node with start/end marks) and its key's, if any."""
        self._values[path] = value
        if key is not None:
            self._keys[path] = key
        if collection:
            self.collections.add(path)

    def _normalise(self, path: Iterable[Any]) -> PathKey:
        """Accept both ints and index strings for sequence indices (JSON pointers carry strings).

        Only an RFC 6901 array index ("0", "17": ASCII digits, no leading zero) is one: a policy's
        path may hold any text, and "²" or "١" pass `str.isdigit()` but are not indexes.
        """
        out: list[Any] = []
        for part in path:
            candidate = tuple(out) + (part,)
            if candidate not in self._values and isinstance(part, str):
                index = array_index(part)
                if index is not None and tuple(out) + (index,) in self._values:
                    part = index
            out.append(part)
        return tuple(out)

    def exists(self, path: Iterable[Any]) -> bool:
        return self._normalise(path) in self._values

    def locate(self, path: Iterable[Any]) -> tuple[Span, PathKey]:
        """Span for `path`, or for its nearest existing ancestor; also returns the path used.

        For mappings and sequences the key that introduces them is the more useful place (the
        value of a block mapping starts on the next line); scalars point at the value itself.
        """
        key = self._normalise(path)
        while key and key not in self._values:
            key = key[:-1]
        if key in self.collections and key in self._keys:
            return _as_span(self._keys[key]), key
        entry = self._values.get(key)
        span = _as_span(entry) if entry is not None else Span(1, 1, 1, 1)
        return span, key
