"""conftest's built-in functions for the embedded engine: parse_config, parse_config_file and
parse_combined_config_files (conftest's builtins/parse_config.go), registered with regorus'
`add_extension`.

Two of them resolve paths relative to the policy file that calls them, which conftest reads from
the call's location. A regorus extension receives only its arguments, so each module that calls
them gets its own copy of the function under an alias **of the same length** as the original
name, and the call sites in the text given to the engine are renamed: lines and columns (error
locations, coverage, print output) stay those of the file on disk. `Module.text` is untouched.

Reading files is confined to the policy directory the module was loaded from (the `--policy`
directory, or the file's own directory): conftest reads any path, but under this tool policies
cannot read the rest of the machine (docs/security.md). Files are limited to the manifest size
limit. Parsers are those the project can run without heavy dependencies, and `dockerfile` when
the optional `dockerfile` package (a wheel of BuildKit's own parser, which conftest uses) is
installed; any other conftest parser name (hcl2, xml, ...) is an error that names it, located at
the call.

OPA servers and the opa-inprocess engine do not know these functions: `refuse_elsewhere` turns a
policy that calls them into a located error before anything is evaluated, and `bundle build`
refuses to pack one for OPA.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional

if TYPE_CHECKING:
    from llm_policy.policy.policy_set import Module

NAMES = ("parse_config", "parse_config_file", "parse_combined_config_files")
RELATIVE = ("parse_config_file", "parse_combined_config_files")  # resolve paths against the policy file
PARSERS = ("yaml", "json", "toml", "ini", "dotenv")
# Offered when its package is installed (`pip install 'llm-policy[conftest]'`): the `dockerfile`
# package wraps BuildKit's own parser, the one conftest uses, so the documents have conftest's shape.
OPTIONAL = {"dockerfile": "dockerfile"}
# conftest parsers this tool does not offer (their document shapes come from Go libraries with no
# equivalent here): named in the error so the author knows it is the parser, not a typo.
CONFTEST_ONLY = ("cue", "cyclonedx", "edn", "hcl1", "hcl2", "hocon", "ignore", "jsonc", "jsonnet",
                 "properties", "spdx", "textproto", "vcl", "xml")
SUFFIX_PARSERS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml", ".ini": "ini", ".env": "dotenv"}
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class BuiltinError(Exception):
    """An argument or file these functions cannot use; regorus reports it located at the call."""


def calls(text: str) -> Iterator[tuple[str, int, int]]:
    """(name, offset, line) of every call of a conftest built-in, outside strings and comments."""
    i, n, line = 0, len(text), 1
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c == "#":
            end = text.find("\n", i)
            i = n if end == -1 else end
        elif c == '"':
            i += 1
            while i < n and text[i] != '"' and text[i] != "\n":
                i += 2 if text[i] == "\\" else 1
            i += 1
        elif c == "`":
            end = text.find("`", i + 1)
            end = n if end == -1 else end
            line += text.count("\n", i, end)
            i = end + 1
        elif c.isalpha() or c == "_":
            match = _IDENT.match(text, i)
            assert match is not None
            name = match.group(0)
            before = text[i - 1] if i else ""
            if name in NAMES and before != "." and text.startswith("(", match.end()):
                yield name, i, line
            i = match.end()
        else:
            i += 1


def uses(module: "Module") -> Optional[tuple[str, int]]:
    """(name, line) of the first conftest built-in a module calls, or None (cached per module)."""
    if "_conftest_use" not in module.__dict__:
        first = next(iter(calls(module.text)), None) if any(name + "(" in module.text for name in NAMES) else None
        module.__dict__["_conftest_use"] = (first[0], first[2]) if first else None
    return module.__dict__["_conftest_use"]  # type: ignore[no-any-return]


def alias(name: str, index: int) -> str:
    """A name of the same length as `name`, unique to the module numbered `index`."""
    prefix = "__cf" + str(len(name))
    digits = len(name) - len(prefix)
    return prefix + str(index).rjust(digits, "0")


def original_name(name: str) -> str:
    """The conftest name behind an alias (or `name` itself)."""
    for original in RELATIVE:
        if name.startswith("__cf" + str(len(original))) and len(name) == len(original):
            return original
    return name


def engine_text(module: "Module", index: int) -> str:
    """The module's text with its path-relative calls renamed to this module's aliases."""
    if uses(module) is None:
        return module.text
    parts, last = [], 0
    for name, offset, _ in calls(module.text):
        if name in RELATIVE:
            parts += [module.text[last:offset], alias(name, index)]
            last = offset + len(name)
    return "".join(parts) + module.text[last:]


def refuse_elsewhere(modules: "list[Module]", engine: str) -> None:
    """EngineError at the first call of a conftest built-in: `engine` cannot evaluate it."""
    from llm_policy.engines.base import EngineError

    for module in modules:
        use = uses(module)
        if use is not None:
            raise EngineError(
                f"{use[0]} is a conftest built-in function, which the {engine} engine does not have (OPA "
                "implements it only inside conftest); check this policy with the default regorus engine",
                module.path, use[1], 1)


# --- registration ------------------------------------------------------------------------------


def register(engine: Any, modules: "list[Module]") -> dict[int, str]:
    """Add the extensions to a regorus engine; returns {module index: its engine text} for the modules that call them."""
    engine.add_extension("parse_config", 2, _guard(parse_config))
    texts: dict[int, str] = {}
    for index, module in enumerate(modules):
        use = uses(module)
        if use is None:
            continue
        texts[index] = engine_text(module, index)
        if any(name in RELATIVE for name, _, _ in calls(module.text)):
            base = _base(module)
            engine.add_extension(alias("parse_config_file", index), 1, _guard(lambda path, b=base: parse_config_file(path, *b)))
            engine.add_extension(alias("parse_combined_config_files", index), 1,
                                 _guard(lambda paths, b=base: parse_combined_config_files(paths, *b)))
    return texts


def _base(module: "Module") -> tuple[Optional[Path], Optional[Path], str]:
    """(directory of the file, directory reads are confined to, the directory as users see it)."""
    source: Optional[Path] = getattr(module, "source", None)
    root: Optional[Path] = getattr(module, "root", None)
    shown = module.path.rsplit("/", 1)[0] if "/" in module.path else ""
    return (source.parent if source else None), root, shown


def _guard(function: Callable[..., Any]) -> Callable[..., Any]:
    """Exceptions become one line naming the problem (regorus prefixes the call's location)."""

    def call(*args: Any) -> Any:
        try:
            return function(*args)
        except BuiltinError:
            raise
        except RecursionError:
            raise BuiltinError("document nested too deeply") from None

    return call


# --- the functions -----------------------------------------------------------------------------


def parse_config(parser: Any, text: Any) -> Any:
    if not isinstance(parser, str) or not isinstance(text, str):
        raise BuiltinError("parse_config(parser, text) takes two strings")
    return _parse(_parser(parser), text, "the text")


def parse_config_file(path: Any, directory: Optional[Path], root: Optional[Path], shown: str) -> Any:
    if not isinstance(path, str):
        raise BuiltinError("parse_config_file(path) takes a string")
    file = _resolve(path, directory, root)
    return _parse(_parser_for(file), _read(file), path)


def parse_combined_config_files(paths: Any, directory: Optional[Path], root: Optional[Path], shown: str) -> Any:
    """[{"path", "contents"}] as conftest's --combine input; a file of several documents gives one entry each."""
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise BuiltinError("parse_combined_config_files(paths) takes an array of strings")
    combined = []
    for path in sorted(paths):
        file = _resolve(path, directory, root)
        value = _parse(_parser_for(file), _read(file), path)
        shown_path = f"{shown}/{path}" if shown else path
        for document in value if isinstance(value, list) else [value]:
            combined.append({"path": shown_path, "contents": document})
    return combined


def _supported() -> str:
    return ", ".join(PARSERS + tuple(name for name in OPTIONAL if _optional_available(name)))


def _optional_available(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(OPTIONAL[name]) is not None


def _parser(name: str) -> str:
    if name in PARSERS:
        return name
    if name in OPTIONAL:
        if _optional_available(name):
            return name
        raise BuiltinError(f"parser {name!r} needs the {OPTIONAL[name]!r} package: pip install 'llm-policy[conftest]'")
    if name in CONFTEST_ONLY:
        raise BuiltinError(f"parser {name!r} is not supported by llm-policy (conftest has it); supported: {_supported()}")
    raise BuiltinError(f"unknown parser {name!r}; supported: {_supported()}")


def _parser_for(file: Path) -> str:
    name = file.name.lower()
    if name == "dockerfile" or name.startswith("dockerfile.") or name.endswith(".dockerfile"):
        return _parser("dockerfile")
    parser = SUFFIX_PARSERS.get(file.suffix.lower())
    if parser is None:
        kind = "hcl2" if file.suffix.lower() in (".tf", ".hcl", ".tfvars") else None
        what = f"its parser {kind!r} is not supported by llm-policy (conftest has it)" if kind else "no parser for this file type"
        raise BuiltinError(f"{file.name}: {what}; supported: {', '.join(f'*{s}' for s in SUFFIX_PARSERS)}")
    return parser


def _resolve(path: str, directory: Optional[Path], root: Optional[Path]) -> Path:
    if directory is None or root is None:
        raise BuiltinError("only policies loaded from a --policy directory can read files")
    if not path or "\x00" in path:
        raise BuiltinError(f"invalid path {path!r}")
    file = (directory / path).resolve()
    base = root.resolve()
    if file != base and base not in file.parents:
        raise BuiltinError(f"{path}: outside the policy directory {root}; policies may only read files below it")
    return file


def _read(file: Path) -> str:
    from llm_policy.load import DEFAULT_MAX_BYTES

    try:
        if file.stat().st_size > DEFAULT_MAX_BYTES:
            raise BuiltinError(f"{file.name}: larger than {DEFAULT_MAX_BYTES} bytes")
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BuiltinError(f"cannot read {file.name}: {getattr(exc, 'strerror', None) or exc}") from None


def _parse(parser: str, text: str, what: str) -> Any:
    try:
        value = _PARSE[parser](text)
    except BuiltinError:
        raise
    except Exception as exc:  # noqa: BLE001 - every parser's own error type
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BuiltinError(f"{what} is not valid {parser}: {first}") from None
    return _plain(value)


def _plain(value: Any) -> Any:
    """JSON values only: dates and times as ISO strings (as conftest's Go parsers marshal them)."""
    import datetime as dt

    def default(item: Any) -> Any:
        if isinstance(item, (dt.date, dt.datetime, dt.time)):
            return item.isoformat()
        raise BuiltinError(f"a value of type {type(item).__name__} has no JSON form")

    return json.loads(json.dumps(value, default=default))


def _yaml(text: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    documents = [d for d in yaml.load_all(text, Loader=loader)]  # noqa: S506 - a safe loader
    # conftest: one document is its value, several a list of them (empty documents dropped).
    documents = [d for d in documents if d is not None] if len(documents) > 1 else documents
    return documents[0] if len(documents) == 1 else documents


def _toml(text: str) -> Any:
    import tomllib

    return tomllib.loads(text)


def _scalar(value: str) -> Any:
    """conftest's ini parser: a number if it parses as one, else a boolean (Go's ParseBool), else the string."""
    try:
        number = float(value)
        if number == number and number not in (float("inf"), float("-inf")) and value.strip().lower() not in ("nan", "inf", "infinity"):
            return int(number) if number.is_integer() and abs(number) < 2**53 else number
    except ValueError:
        pass
    if value in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if value in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    return value


def _ini(text: str) -> Any:
    import configparser

    top = "\x00top"  # keys before the first section: go-ini's DEFAULT section, which conftest drops
    parser = configparser.RawConfigParser(strict=False, default_section="\x00none", interpolation=None)
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    parser.read_string(f"[{top}]\n" + text)
    return {section: {key: _scalar(value) for key, value in parser.items(section)}
            for section in parser.sections() if section != top}


_DOTENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*[=:]\s*(.*?)\s*$")


def _dotenv(text: str) -> Any:
    """KEY=VALUE lines (`export`, comments, single and double quotes), as conftest's dotenv parser: strings."""
    result: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        match = _DOTENV_LINE.match(raw)
        if not match:
            raise ValueError(f"line {number}: expected KEY=VALUE")
        key, value = match.groups()
        if value[:1] in ("'", '"'):
            quote = value[0]
            end = value.find(quote, 1)
            while quote == '"' and end != -1 and value[end - 1] == "\\":
                end = value.find(quote, end + 1)
            if end == -1:
                raise ValueError(f"line {number}: unterminated quote")
            inner = value[1:end]
            if quote == '"':
                inner = inner.replace("\\n", "\n").replace('\\"', '"').replace("\\\\", "\\")
            value = inner
        else:
            value = re.split(r"\s+#", value, maxsplit=1)[0].strip()
        result[key] = value
    return result


DOCKERFILE_INSTRUCTIONS = {"add", "arg", "cmd", "copy", "entrypoint", "env", "expose", "from", "healthcheck", "label",
                           "maintainer", "onbuild", "run", "shell", "stopsignal", "user", "volume", "workdir"}


def _dockerfile(text: str) -> Any:
    """conftest's document for a Dockerfile: [[{Cmd, SubCmd, JSON, Flags, Value, Stage}, ...]].

    BuildKit's parser (through the `dockerfile` package) gives the instructions; conftest adds a
    `comment` entry for each comment line before an instruction (BuildKit's PrevComment: a bare
    `#` clears them) and the index of the build stage (one per FROM), which are rebuilt here from
    the source lines the same way. An unknown instruction is an error, as BuildKit's
    instructions.ParseInstruction makes it in conftest.
    """
    import dockerfile

    lines = text.splitlines()
    commands: list[dict[str, Any]] = []
    stage, seen_from, previous_end = 0, False, 0
    for command in dockerfile.parse_string(text):
        cmd = command.cmd.lower()
        if cmd not in DOCKERFILE_INSTRUCTIONS:
            raise ValueError(f"unknown instruction: {command.cmd}")
        if cmd == "from":
            stage, seen_from = (stage + 1 if seen_from else 0), True
        comments: list[str] = []
        for line in lines[previous_end:command.start_line - 1]:
            stripped = line.strip()
            if stripped.startswith("#"):
                comment = stripped[1:].strip()
                comments = comments + [comment] if comment else []
        commands += [{"Cmd": "comment", "SubCmd": "", "JSON": False, "Flags": [], "Value": [c], "Stage": stage} for c in comments]
        commands.append({"Cmd": cmd, "SubCmd": command.sub_cmd or "", "JSON": bool(command.json),
                         "Flags": list(command.flags), "Value": list(command.value), "Stage": stage})
        previous_end = command.end_line
    return [commands]


_PARSE: dict[str, Callable[[str], Any]] = {"yaml": _yaml, "json": json.loads, "toml": _toml, "ini": _ini, "dotenv": _dotenv,
                                           "dockerfile": _dockerfile}
