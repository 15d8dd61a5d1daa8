"""Load one manifest file into plain JSON-compatible data plus its position map.

We compose ruamel.yaml nodes (C parser when available: ~1 ms per manifest) and build dicts and
lists ourselves instead of letting a constructor do it. That one walk gives us the position of
every node, and it is where hostile input is stopped: duplicate keys, non-string keys, object
constructing tags, alias bombs and deep nesting all become located LP000 findings, not crashes.

Scalars keep YAML 1.2 core semantics, except timestamps, which stay as the text the user wrote:
policies and JSON Schema both see dates as ISO strings, exactly as `opa eval` would.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Union

from llm_policy.load.positions import PositionMap, Span

DEFAULT_MAX_BYTES = 1024 * 1024  # a manifest is a page or two; 1 MiB is already absurd
MAX_DEPTH = 64
MAX_NODES = 100_000  # after alias expansion: stops "billion laughs"

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}


class LoadError(Exception):
    """The file is not a usable manifest; `line`/`column` are 1-based when known."""

    def __init__(self, message: str, line: Optional[int] = None, column: Optional[int] = None, *, io: bool = False):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.io = io  # True: the file could not be read at all (a tool fault, exit 2)


@dataclass
class Document:
    path: Path
    data: dict[str, Any]
    positions: PositionMap


def _span(node: Any) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _read_text(path: Path, max_bytes: int) -> str:
    try:
        if path.is_dir():
            raise LoadError("is a directory, not a manifest file", io=True)
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except LoadError:
        raise
    except FileNotFoundError:
        if os.path.islink(path):
            raise LoadError("is a broken symbolic link", io=True) from None
        raise LoadError("no such file", io=True) from None
    except PermissionError:
        raise LoadError("permission denied", io=True) from None
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror or exc}", io=True) from None
    if len(raw) > max_bytes:
        raise LoadError(f"file is larger than the {max_bytes}-byte limit (--max-file-size)")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise LoadError("file starts with a UTF-8 byte order mark; save it as UTF-8 without BOM", 1, 1)
    if b"\x00" in raw:
        raise LoadError("file contains NUL bytes: binary content, not YAML", 1, 1)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoadError("file is not valid UTF-8 text", line, column) from None


class _Builder:
    """Turns a composed node graph into plain data, recording positions on the way."""

    def __init__(self, positions: PositionMap) -> None:
        self.positions = positions
        self.nodes = 0

    def build(self, node: Any, path: tuple[Any, ...], key_span: Optional[Span], depth: int) -> Any:
        from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise LoadError(
                f"document expands to more than {MAX_NODES} nodes (alias/anchor bomb?)", *_start(node)
            )
        if depth > MAX_DEPTH:
            raise LoadError(f"document is nested more than {MAX_DEPTH} levels deep", *_start(node))
        span = _span(node)
        if isinstance(node, ScalarNode):
            self.positions.add(path, span, key_span)
            return self._scalar(node)
        if isinstance(node, SequenceNode):
            self._check_tag(node, _TAG + "seq")
            self.positions.add(path, span, key_span, collection=True)
            return [self.build(item, path + (i,), None, depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            self._check_tag(node, _TAG + "map")
            self.positions.add(path, span, key_span, collection=True)
            result: dict[str, Any] = {}
            seen: dict[str, Span] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _TAG + "merge":
                    raise LoadError("YAML merge keys (<<) are not supported in manifests", *_start(key_node))
                if not isinstance(key_node, ScalarNode) or key_node.tag != _TAG + "str":
                    raise LoadError(
                        f"mapping keys must be strings, got {_describe(key_node)}", *_start(key_node)
                    )
                key = key_node.value
                ks = _span(key_node)
                if key in seen:
                    first = seen[key]
                    raise LoadError(
                        f"duplicate key '{key}' (first defined at line {first.line})", ks.line, ks.column
                    )
                seen[key] = ks
                result[key] = self.build(value_node, path + (key,), ks, depth + 1)
            return result
        raise LoadError(f"unsupported YAML node {type(node).__name__}", *_start(node))

    def _check_tag(self, node: Any, expected: str) -> None:
        if node.tag != expected:
            raise LoadError(f"YAML tag '{_short_tag(node.tag)}' is not allowed in manifests", *_start(node))

    def _scalar(self, node: Any) -> Any:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            raise LoadError(f"YAML tag '{_short_tag(tag)}' is not allowed in manifests", *_start(node))
        if tag in (_TAG + "str", _TAG + "timestamp"):
            return node.value
        if tag == _TAG + "null":
            return None
        text = node.value.replace("_", "")
        if tag == _TAG + "bool":
            return text.lower() == "true"
        if tag == _TAG + "int":
            sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text.lstrip("+"))
            for prefix, base in (("0x", 16), ("0o", 8), ("0b", 2)):
                if digits.lower().startswith(prefix):
                    return sign * int(digits[2:], base)
            return sign * int(digits)
        if text.lower().lstrip("+-") in (".inf", ".nan"):
            raise LoadError("non-finite numbers (.nan, .inf) are not allowed in manifests", *_start(node))
        return float(text)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def _start(node: Any) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _describe(node: Any) -> str:
    from ruamel.yaml.nodes import ScalarNode, SequenceNode

    if isinstance(node, ScalarNode):
        return f"{node.tag.replace(_TAG, '')} '{node.value}'"
    return "a sequence" if isinstance(node, SequenceNode) else "a mapping"


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    if line < len(lines) and column < len(lines[line]):
        return lines[line][column]
    return ""


def _compose(text: str) -> Any:
    """Compose exactly one YAML document, with locations on syntax errors."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        yaml = YAML(typ="safe", pure=False)
    except Exception:  # pragma: no cover - no C extension on this platform
        yaml = YAML(typ="safe", pure=True)
    try:
        return yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if "expected a single document" in str(exc) or "but found another document" in problem:
            problem = "several YAML documents in one file; a manifest is exactly one document"
        elif mark is not None and _char_at(text, mark.line, mark.column) == "\t":
            problem = "tab character where YAML expects indentation or a value; indent with spaces"
        context = exc.context_mark
        if exc.context and context is not None and mark is not None and context.line != mark.line:
            problem += f" ({exc.context} started at line {context.line + 1}, column {context.column + 1})"
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise LoadError(f"YAML syntax error: {problem}", line, column) from None
    except RecursionError:
        raise LoadError(f"document is nested more than {MAX_DEPTH} levels deep") from None
    except YAMLError as exc:
        raise LoadError(f"YAML error: {exc}") from None


def load_document(path: Union[str, Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    path = Path(path)
    text = _read_text(path, max_bytes)
    return parse_document(text, path)


def parse_document(text: str, path: Path) -> Document:
    node = _compose(text)
    if node is None:
        raise LoadError("file is empty: expected a manifest mapping with apiVersion, project, data and sources", 1, 1)
    from ruamel.yaml.nodes import MappingNode

    if not isinstance(node, MappingNode):
        raise LoadError(f"a manifest must be a YAML mapping, got {_describe(node)}", *_start(node))
    positions = PositionMap()
    data = _Builder(positions).build(node, (), None, 0)
    return Document(path=path, data=data, positions=positions)
