"""Load one manifest file into plain JSON-compatible data plus its position map.

We compose YAML nodes with a C parser (libyaml) and build dicts and lists ourselves instead of
letting a constructor do it. That one walk gives us the position of every node, and it is where
hostile input is stopped: duplicate keys, non-string keys, object constructing tags, alias bombs
and deep nesting all become located LP000 findings, not crashes.

Two composers, one behaviour. ruamel.yaml is the reference: YAML 1.2, and its messages are the
ones users see for broken YAML. But its composer resolves every scalar through a slow Python
resolver (~1.4 ms for a 35-line manifest), while PyYAML's binding to the same libyaml with a
YAML 1.2 core-schema resolver (`_YAML12_RESOLVERS`, ruamel's own table) takes ~0.3 ms: at 10,000
manifests that is the difference between ~14 and ~3 CPU-seconds. So well-formed documents are
composed by PyYAML/libyaml; anything it refuses, and any document with a `%` directive (ruamel
honours `%YAML 1.1`), goes through ruamel.yaml, so errors read exactly as before.
`tests/test_loader_backends.py` checks that both give the same data, positions and errors.

Scalars keep YAML 1.2 core semantics, except timestamps, which stay as the text the user wrote:
policies and JSON Schema both see dates as ISO strings, exactly as `opa eval` would. An explicit
tag must fit its text (`!!bool yes`, `!!int abc`, `!!null foo` are LP000 at the tag): a constructor
would otherwise guess (`!!bool yes` was `false`, which silenced a rule), and a guess is a pass.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Union

from llm_policy.load.positions import PositionMap
from llm_policy.util.safe_text import excerpt, quoted, value_repr

DEFAULT_MAX_BYTES = 1024 * 1024  # a manifest is a page or two; 1 MiB is already absurd
MAX_DEPTH = 64
MAX_NODES = 100_000  # after alias expansion: stops "billion laughs"
PROBLEM_LIMIT = 160  # characters of a parser's own message (which may quote the document)

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_STR, _INT, _BOOL, _NULL, _TIMESTAMP = (_TAG + t for t in ("str", "int", "bool", "null", "timestamp"))
_SEQ, _MAP, _MERGE = _TAG + "seq", _TAG + "map", _TAG + "merge"

# ruamel.yaml's implicit resolvers for YAML 1.2 (ruamel/yaml/resolver.py), in its order: the tag a
# plain scalar gets when its first character is listed and the pattern matches. Copied so that the
# libyaml composer resolves exactly like ruamel.yaml does (`yes`, `on`, `NO` stay strings).
_YAML12_RESOLVERS = (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("float", r"""^(?:
         [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""", "-+0123456789."),
    ("int", r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)$""", "-+0123456789"),
    ("merge", r"^(?:<<)$", "<"),
    ("null", r"""^(?: ~
        |null|Null|NULL
        | )$""", ("~", "n", "N", "")),
    ("timestamp", r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?
        :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""", "0123456789"),
    ("value", r"^(?:=)$", "="),
    ("yaml", r"^(?:!|&|\*)$", "!&*"),
)


class _DeferredPattern:
    """A compiled regular expression that is compiled on first use; then it is that pattern."""

    __slots__ = ("_compile", "_args", "_compiled")

    def __init__(self, compile: Any, pattern: str, flags: int) -> None:
        self._compile, self._args, self._compiled = compile, (pattern, flags), None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = self._compile(*self._args)
        return getattr(self._compiled, name)


# Compiled when a scalar first needs them: a cold start compiles only what its manifest uses.
_RESOLVER_FORMS = {name: _DeferredPattern(re.compile, pattern, re.X) for name, pattern, _ in _YAML12_RESOLVERS}
# The texts each core tag accepts, explicit or implied: the YAML 1.2 resolver forms, plus plain
# decimal integers for !!float (the core schema's float form includes them: `!!float 1` is 1.0).
_TAG_FORMS = {
    _BOOL: (_RESOLVER_FORMS["bool"], "true or false"),
    _NULL: (_RESOLVER_FORMS["null"], "null, ~ or nothing"),
    _INT: (_RESOLVER_FORMS["int"], "an integer such as 42, 0x2A or 0o52"),
    _TAG + "float": (_DeferredPattern(re.compile, _YAML12_RESOLVERS[1][1] + r"|^[-+]?[0-9][0-9_]*$", re.X), "a number such as 1.5 or 1e3"),
    _TIMESTAMP: (_RESOLVER_FORMS["timestamp"], "a date such as 2025-01-10 or a date and time"),
}


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
    """Turns a composed node graph into plain data, recording positions on the way.

    Works on ruamel.yaml and PyYAML nodes alike (`node.id` is "scalar", "sequence" or "mapping").
    Positions are recorded as the nodes themselves; spans are computed only when asked for.
    """

    def __init__(self, positions: PositionMap, text: str = "") -> None:
        self.positions = positions
        self.nodes = 0
        self.text = text
        self._lines: Optional[list[str]] = None

    def build(self, node: Any, path: tuple[Any, ...], key_node: Any, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise LoadError(
                f"document expands to more than {MAX_NODES} nodes (alias/anchor bomb?)", *_start(node)
            )
        if depth > MAX_DEPTH:
            raise LoadError(f"document is nested more than {MAX_DEPTH} levels deep", *_start(node))
        kind = node.id
        if kind == "scalar":
            self.positions.add(path, node, key_node)
            return self._scalar(node)
        if kind == "sequence":
            self._check_tag(node, _SEQ)
            self.positions.add(path, node, key_node, collection=True)
            return [self.build(item, path + (i,), None, depth + 1) for i, item in enumerate(node.value)]
        if kind == "mapping":
            self._check_tag(node, _MAP)
            self.positions.add(path, node, key_node, collection=True)
            result: dict[str, Any] = {}
            seen: dict[str, Any] = {}
            for item_key, item_value in node.value:
                if item_key.tag == _MERGE:
                    raise LoadError("YAML merge keys (<<) are not supported in manifests", *_start(item_key))
                if item_key.id != "scalar" or item_key.tag != _STR:
                    raise LoadError(
                        f"mapping keys must be strings, got {_describe(item_key)}", *_start(item_key)
                    )
                key = item_key.value
                if key in seen:
                    first = seen[key].start_mark.line + 1
                    raise LoadError(f"duplicate key {quoted(key)} (first defined at line {first})", *_start(item_key))
                seen[key] = item_key
                result[key] = self.build(item_value, path + (key,), item_key, depth + 1)
            return result
        raise LoadError(f"unsupported YAML node {type(node).__name__}", *_start(node))

    def _check_tag(self, node: Any, expected: str) -> None:
        if node.tag != expected:
            raise LoadError(f"YAML tag {quoted(_short_tag(node.tag))} is not allowed in manifests", *_start(node))

    def _tag_mark(self, node: Any) -> Optional[tuple[int, int]]:
        """1-based line:col of the node's explicit tag (`!!bool`), or None when its tag is implied.

        A node starts at its properties (anchor and tag, in either order, possibly on separate
        lines); the value itself can never start with `!`, so a `!` there is the tag.
        """
        if self._lines is None:
            self._lines = self.text.split("\n")
        line, column = node.start_mark.line, node.start_mark.column
        for _ in range(2):  # at most an anchor and a tag
            while line < len(self._lines):  # separation: spaces, tabs, comments, line breaks
                rest = self._lines[line][column:]
                stripped = rest.lstrip(" \t")
                if stripped and not stripped.startswith("#"):
                    column += len(rest) - len(stripped)
                    break
                line, column = line + 1, 0
            if line >= len(self._lines):
                return None
            current = self._lines[line]
            if current.startswith("!", column):
                return line + 1, column + 1
            if not current.startswith("&", column):
                return None
            while column < len(current) and current[column] not in " \t,[]{}":
                column += 1
        return None

    def _misfit(self, node: Any, expected: str) -> LoadError:
        tag, value = _short_tag(node.tag), value_repr(node.value)
        where = self._tag_mark(node)
        if where is None:  # implied by YAML 1.1 rules (`%YAML 1.1`: `yes` is a boolean there)
            return LoadError(
                f"{value} is {tag} only under YAML 1.1 (the %YAML 1.1 directive); write {expected}, or quote it for text",
                *_start(node),
            )
        return LoadError(f"YAML tag '{tag}' does not fit the value {value}: expected {expected}", *where)

    def _scalar(self, node: Any) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag not in _SCALAR_TAGS:
            raise LoadError(f"YAML tag {quoted(_short_tag(tag))} is not allowed in manifests", *_start(node))
        form, expected = _TAG_FORMS[tag]
        if not form.fullmatch(node.value):  # a tag implied by YAML 1.2 always fits
            raise self._misfit(node, expected)
        if tag == _TIMESTAMP:
            return node.value
        if tag == _NULL:
            return None
        text = node.value.replace("_", "")
        if tag == _BOOL:
            return text.lower() == "true"
        if text.lower().lstrip("+-") in (".inf", ".nan"):
            raise LoadError("non-finite numbers (.nan, .inf) are not allowed in manifests", *_start(node))
        try:
            if tag == _INT:
                sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text.lstrip("+"))
                for prefix, base in (("0x", 16), ("0o", 8), ("0b", 2)):
                    if digits.lower().startswith(prefix):
                        return sign * int(digits[2:], base)
                return sign * int(digits)
            return float(text)
        except ValueError:  # `0x_`, `._`: the resolver's patterns allow bare underscores
            if self._tag_mark(node) is not None:  # `!!int 0x_`: the author asked for a number
                raise self._misfit(node, expected) from None
            return node.value  # not a number in YAML 1.2's core schema: the text as written


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def _start(node: Any) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _describe(node: Any) -> str:
    if node.id == "scalar":
        return f"{excerpt(node.tag.replace(_TAG, ''))} {quoted(node.value)}"  # never the whole value
    return "a sequence" if node.id == "sequence" else "a mapping"


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    if line < len(lines) and column < len(lines[line]):
        return lines[line][column]
    return ""


_libyaml_loader: Any = None  # the PyYAML loader class once built; False when unavailable

# Importing PyYAML compiles ~20 regular expressions for its pure-Python reader, resolver and
# constructor; its reader's class of non-printable characters alone takes sre ~5-10 ms, the largest
# single cost of a cold check. Manifests are read by libyaml with our own resolver (above), so
# none of them is needed on that path: `_import_pyyaml` has each compiled when first used instead.
def _import_pyyaml() -> None:
    """`import yaml`, its patterns compiled on first use. PyYAML only calls methods of the patterns it
    compiles (`NON_PRINTABLE.search`, `regexp.match`), which a `_DeferredPattern` forwards."""
    import sys

    if "yaml" in sys.modules:
        return
    compile = re.compile

    def deferring(pattern: Any, flags: int = 0) -> Any:
        return _DeferredPattern(compile, pattern, flags)

    re.compile = deferring  # type: ignore[assignment]
    try:
        import yaml  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        pass  # the caller's own import says so
    finally:
        re.compile = compile  # type: ignore[assignment]


def _libyaml() -> Any:
    """PyYAML's libyaml parser with ruamel.yaml's YAML 1.2 resolution, or False without libyaml."""
    global _libyaml_loader
    if _libyaml_loader is None:
        _import_pyyaml()
        try:
            from yaml._yaml import CParser  # type: ignore[import-untyped]  # only with libyaml compiled in
            from yaml.resolver import BaseResolver  # type: ignore[import-untyped]
        except ImportError:
            _libyaml_loader = False
            return False

        class Resolver12(BaseResolver):  # type: ignore[misc]
            yaml_implicit_resolvers: dict[Any, Any] = {}

        for name, pattern, first in _YAML12_RESOLVERS:
            Resolver12.add_implicit_resolver(_TAG + name, re.compile(pattern, re.X), list(first))

        class Loader(CParser, Resolver12):  # type: ignore[misc]
            def __init__(self, stream: str) -> None:
                CParser.__init__(self, stream)
                Resolver12.__init__(self)

        _libyaml_loader = Loader
    return _libyaml_loader


# In flow collections the two libyaml versions disagree: PyYAML's (0.2.5) lets ':' and '?' be part of
# a plain scalar and ends a local tag at a flow indicator; ruamel.yaml's does neither. So a line with
# a flow collection that is not closed on the same line, or that holds '?', '!' or ':' glued to the
# next character, is left to ruamel.yaml. (Directives, too: ruamel honours `%YAML 1.1`.)
_FLOW_RISK = re.compile(r"[?!]|:\S")


def _libyaml_agrees(text: str) -> bool:
    if text.startswith("%") or "\n%" in text:
        return False
    if "[" not in text and "{" not in text:
        return True
    for line in text.split("\n"):
        if "[" in line or "{" in line or "]" in line or "}" in line:
            if line.count("[") != line.count("]") or line.count("{") != line.count("}") or _FLOW_RISK.search(line):
                return False
    return True


def _compose(text: str) -> Any:
    """Compose exactly one YAML document: libyaml when it can, else ruamel.yaml (see above)."""
    if _libyaml_agrees(text):
        loader_class = _libyaml()
        if loader_class:
            loader = loader_class(text)
            try:
                return loader.get_single_node()
            except Exception:  # noqa: BLE001 - ruamel.yaml decides, and words the error
                pass
            finally:
                loader.dispose()
    return _compose_ruamel(text)


def _compose_ruamel(text: str) -> Any:
    """Compose exactly one YAML document with ruamel.yaml, with locations on syntax errors."""
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
        problem = excerpt(exc.problem or exc.context or "invalid YAML", PROBLEM_LIMIT)
        if "expected a single document" in str(exc) or "but found another document" in problem:
            problem = "several YAML documents in one file; a manifest is exactly one document"
        elif mark is not None and _char_at(text, mark.line, mark.column) == "\t":
            problem = "tab character where YAML expects indentation or a value; indent with spaces"
        context = exc.context_mark
        if exc.context and context is not None and mark is not None and context.line != mark.line:
            problem += f" ({excerpt(exc.context, PROBLEM_LIMIT)} started at line {context.line + 1}, column {context.column + 1})"
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise LoadError(f"YAML syntax error: {problem}", line, column) from None
    except RecursionError:
        raise LoadError(f"document is nested more than {MAX_DEPTH} levels deep") from None
    except YAMLError as exc:
        raise LoadError(f"YAML error: {excerpt(str(exc), PROBLEM_LIMIT)}") from None


def load_document(path: Union[str, Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    path = Path(path)
    text = _read_text(path, max_bytes)
    return parse_document(text, path)


def parse_document(text: str, path: Path) -> Document:
    node = _compose(text)
    if node is None:
        raise LoadError("file is empty: expected a manifest mapping with apiVersion, project, data and sources", 1, 1)
    if node.id != "mapping":
        raise LoadError(f"a manifest must be a YAML mapping, got {_describe(node)}", *_start(node))
    positions = PositionMap()
    data = _Builder(positions, text).build(node, (), None, 0)
    return Document(path=path, data=data, positions=positions)


def parse_value(text: str) -> Any:
    """Plain data of any one YAML document (None when empty), with the manifest's safety rules.

    For YAML embedded elsewhere, such as the `# METADATA` blocks of Rego policies.
    """
    node = _compose(text)
    return None if node is None else _Builder(PositionMap(), text).build(node, (), None, 0)
