"""Signatures: what LLM usage looks like in code, as data (one YAML/JSON file per provider).

The built-in files live in `llm_policy/scan/signatures/`; users add or replace providers with
`--signatures DIR` (or `signatures:` in the config): a file whose `provider` (or `runtime`) equals
a built-in one replaces it, any other is added. A signature file is read strictly: an unknown key,
a wrong type or an empty pattern is a `SignatureError` (exit 2), never a silently weaker scan.

This module compiles every file into lookup tables the detectors use, plus one byte-level
prefilter: a file none of whose bytes match any signature's needle is never parsed, which is what
keeps a 10,000-file scan in seconds.
"""

from __future__ import annotations

import fnmatch
import json
import re
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Optional

LANGUAGES = ("python", "javascript", "go", "java")
PACKAGE_ECOSYSTEMS = ("pypi", "npm", "go", "maven")
_TOP_KEYS = {"provider", "runtime", "router", "sector", "requires_model", "packages", "hosts", "env", "models",
             "compatible_markers", "prefixes", *LANGUAGES}
_SECTORS = ("cloud_api", "private", "open_source")
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_ENV = re.compile(r"^[A-Z][A-Z0-9_]*$")
_HOST = re.compile(r"^(\*[.-])?[A-Za-z0-9-]+(\.[A-Za-z0-9*-]+)+$")


class SignatureError(Exception):
    """A signature file cannot be used: the message names the file and the problem."""


class Call:
    """A method call that means LLM use only with certain arguments (`boto3.client("bedrock-runtime")`)."""

    __slots__ = ("modules", "method", "arguments")

    def __init__(self, modules: tuple[str, ...], method: str, arguments: tuple[str, ...]):
        self.modules, self.method, self.arguments = modules, method, arguments


class Signature:
    """One provider (or a local runtime, or a multi-provider router) as read from its file.

    A plain class, as the other per-run objects of the scanner: a dataclass costs a compile of its
    generated methods on every cold start, and the pre-commit hook has 50 ms for the whole scan.
    """

    __slots__ = ("name", "file", "provider", "sector", "router", "requires_model", "modules", "calls", "packages",
                 "hosts", "env", "models", "compatible_markers", "prefixes", "_matcher")

    def __init__(self, name: str, file: str):
        self.name = name  # provider id, "runtime:<name>" or "router:<file stem>"
        self.file = file
        self.provider: Optional[str] = None
        self.sector: Optional[str] = None
        self.router = False
        self.requires_model = False
        self.modules: dict[str, list[str]] = {}  # language -> module names
        self.calls: list[Call] = []
        self.packages: dict[str, list[str]] = {}
        self.hosts: list[str] = []
        self.env: list[str] = []
        self.models: list[str] = []
        self.compatible_markers: dict[str, list[str]] = {}
        self.prefixes: dict[str, str] = {}
        self._matcher: Optional[ModelMatcher] = None

    @property
    def model_pattern(self) -> Optional["ModelMatcher"]:
        """The model globs, prepared on first use (most runs never need them)."""
        if self._matcher is None and self.models:
            self._matcher = ModelMatcher(self.models)
        return self._matcher


class ModelMatcher:
    """Case-insensitive glob matching of model ids, without regexes for the usual shapes.

    Nearly every glob is an exact id or a prefix with one trailing `*` (`claude-*`): those are a
    set and a `startswith` tuple. Only the rest (`gpt://*/yandexgpt*`) become one regex. Compiling
    a regex per signature cost more than the whole drift scan of a pre-commit run.
    """

    __slots__ = ("exact", "prefixes", "pattern")

    def __init__(self, globs: list[str]):
        self.exact = {g.lower() for g in globs if not any(c in g for c in "*?[")}
        self.prefixes = tuple(g[:-1].lower() for g in globs if g.endswith("*") and not any(c in g[:-1] for c in "*?["))
        rest = [g for g in globs if g.lower() not in self.exact and not (g.endswith("*") and g[:-1].lower() in self.prefixes)]
        self.pattern = re.compile("|".join(f"(?:{fnmatch.translate(g)})" for g in rest), re.IGNORECASE) if rest else None

    def fullmatch(self, value: str) -> bool:
        lowered = value.lower()
        if lowered in self.exact or (self.prefixes and lowered.startswith(self.prefixes)):
            return True
        return self.pattern is not None and self.pattern.fullmatch(value) is not None


def _strings(value: Any, where: str, pattern: Optional[re.Pattern[str]] = None) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() == v and v for v in value):
        raise SignatureError(f"{where} must be a list of non-empty strings without surrounding spaces")
    if pattern is not None:
        bad = [v for v in value if not pattern.match(v)]
        if bad:
            raise SignatureError(f"{where}: {bad[0]!r} is not a valid entry")
    return list(value)


def _language(data: Any, where: str) -> tuple[list[str], list[Call]]:
    if not isinstance(data, dict):
        raise SignatureError(f"{where} must be a mapping with `modules`")
    unknown = set(data) - {"modules", "calls"}
    if unknown:
        raise SignatureError(f"{where}: unknown key {sorted(unknown)[0]!r} (known: calls, modules)")
    modules = _strings(data.get("modules"), f"{where}.modules")
    calls = []
    for index, call in enumerate(data.get("calls") or []):
        at = f"{where}.calls[{index}]"
        if not isinstance(call, dict) or set(call) != {"module", "method", "argument"}:
            raise SignatureError(f"{at} must be a mapping with exactly module, method and argument")
        method = call["method"]
        if not isinstance(method, str) or not method.isidentifier():
            raise SignatureError(f"{at}.method must be an identifier")
        calls.append(Call(tuple(_strings(call["module"], f"{at}.module")), method, tuple(_strings(call["argument"], f"{at}.argument"))))
    return modules, calls


def parse_signature(data: Any, file: str) -> Signature:
    """Check one signature document and build its Signature; raises SignatureError."""
    if not isinstance(data, dict):
        raise SignatureError(f"{file}: a signature file must be a mapping")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise SignatureError(f"{file}: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(_TOP_KEYS))})")
    kinds = [k for k in ("provider", "runtime", "router") if k in data]
    if len(kinds) != 1:
        raise SignatureError(f"{file}: exactly one of `provider`, `runtime` or `router` is required")
    signature = Signature(name="", file=file)
    if "provider" in data:
        provider = data["provider"]
        if not isinstance(provider, str) or not _NAME.match(provider):
            raise SignatureError(f"{file}: `provider` must be a lowercase provider id such as anthropic")
        signature.name = signature.provider = provider
        signature.sector = data.get("sector", "cloud_api")
    elif "runtime" in data:
        if not isinstance(data["runtime"], str) or not _NAME.match(data["runtime"]):
            raise SignatureError(f"{file}: `runtime` must be a lowercase name")
        signature.name = "runtime:" + data["runtime"]
        signature.sector = data.get("sector", "open_source")
    else:
        if data["router"] is not True:
            raise SignatureError(f"{file}: `router` must be true")
        signature.name, signature.router = "router:" + Path(file).stem, True
    if signature.sector is not None and signature.sector not in _SECTORS:
        raise SignatureError(f"{file}: `sector` must be one of {', '.join(_SECTORS)}")
    requires_model = data.get("requires_model", False)
    if not isinstance(requires_model, bool):
        raise SignatureError(f"{file}: `requires_model` must be true or false")
    signature.requires_model = requires_model
    for language in LANGUAGES:
        if language in data:
            signature.modules[language], calls = _language(data[language], f"{file}: {language}")
            if calls and language != "python":
                raise SignatureError(f"{file}: {language}.calls: only python supports `calls`")
            signature.calls += calls
    packages = data.get("packages") or {}
    if not isinstance(packages, dict) or set(packages) - set(PACKAGE_ECOSYSTEMS):
        raise SignatureError(f"{file}: `packages` must map {', '.join(PACKAGE_ECOSYSTEMS)} to lists of names")
    signature.packages = {eco: _strings(packages.get(eco), f"{file}: packages.{eco}") for eco in PACKAGE_ECOSYSTEMS}
    signature.hosts = _strings(data.get("hosts"), f"{file}: hosts", _HOST)
    signature.env = _strings(data.get("env"), f"{file}: env", _ENV)
    signature.models = _strings(data.get("models"), f"{file}: models")
    markers = data.get("compatible_markers") or {}
    if not isinstance(markers, dict) or set(markers) - set(LANGUAGES):
        raise SignatureError(f"{file}: `compatible_markers` must map languages to identifier lists")
    signature.compatible_markers = {lang: _strings(v, f"{file}: compatible_markers.{lang}") for lang, v in markers.items()}
    prefixes = data.get("prefixes") or {}
    if not isinstance(prefixes, dict) or not all(isinstance(k, str) and isinstance(v, str) and _NAME.match(v) for k, v in prefixes.items()):
        raise SignatureError(f"{file}: `prefixes` must map model-id prefixes to provider ids")
    if prefixes and not signature.router:
        raise SignatureError(f"{file}: only a router has `prefixes`")
    signature.prefixes = dict(prefixes)
    if signature.requires_model and not signature.models:
        raise SignatureError(f"{file}: `requires_model: true` needs `models`")
    return signature


def builtin_dir() -> Path:
    return Path(__file__).with_name("signatures")


def _files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise SignatureError(f"{directory}: signatures directory not found")
    files = sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml", ".json") and p.is_file())
    if not files:
        raise SignatureError(f"{directory}: no signature files (*.yaml, *.yml, *.json)")
    return files


def _read(path: Path, trusted: bool = False) -> Any:
    if trusted:  # the package's own files: libyaml directly, ~20x faster than the hardened loader
        import yaml

        return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    from llm_policy.load import LoadError, load_document

    try:
        return load_document(path).data
    except LoadError as exc:
        where = f"{path}:{exc.line}:{exc.column}" if exc.line else str(path)
        raise SignatureError(f"{where}: {exc.message}") from None


def _host_regex(host: str) -> str:
    parts = []
    for index, piece in enumerate(host.split("*")):
        if index:
            parts.append("[A-Za-z0-9-]+")
        parts.append(re.escape(piece))
    return "".join(parts)


class SignatureSet:
    """Every signature, compiled into the tables the detectors look names up in."""

    def __init__(self, signatures: Iterable[Signature]):
        self.signatures = list(signatures)
        self.modules: dict[str, dict[str, Signature]] = {lang: {} for lang in LANGUAGES}
        self.symbols: dict[str, Signature] = {}  # "module:Name" (JavaScript named imports)
        self.calls: list[tuple[Call, Signature]] = []
        self.packages: dict[str, dict[str, Signature]] = {eco: {} for eco in PACKAGE_ECOSYSTEMS}
        self.env: dict[str, Signature] = {}
        self.prefixes: dict[str, str] = {}
        needles: set[str] = set()  # on an import line of code, or anywhere in a dependency file
        strong: set[str] = set()  # anywhere: hosts, variable names, call arguments
        hosts: list[tuple[str, Signature]] = []
        for sig in self.signatures:
            for language, modules in sig.modules.items():
                for module in modules:
                    if language == "javascript" and ":" in module:
                        self.symbols[module] = sig
                        module = module.split(":", 1)[0]
                    else:
                        self.modules[language][module] = sig
                    needles.update(_needles(language, module))
            for call in sig.calls:
                self.calls.append((call, sig))
                strong.update(call.arguments)
            for eco, names in sig.packages.items():
                for name in names:
                    self.packages[eco][normalise_package(eco, name)] = sig
                    if eco == "maven":  # group:artifact; pom.xml and Gradle write both, the longer is rarer
                        name = max(name.split(":")[:2], key=len)
                    needles.update(_needles("npm" if eco == "npm" else "plain", name))
            for name in sig.env:
                self.env[name] = sig
                strong.add(name)
            for host in sig.hosts:
                hosts.append((host, sig))
                pieces = [p.strip(".-") for p in host.split("*")]
                strong.add(pieces[0] if len(pieces[0]) >= 6 else max(pieces, key=len))
            self.prefixes.update(sig.prefixes)
        self.host_signatures = hosts
        # The prefilter: a needle that contains another is redundant (`@langchain/openai` has `openai`).
        # Plain `in` tests: CPython's substring search beats one regex alternation of all needles ~10x.
        # Quoted names (JS/TS and Go imports, package.json) count anywhere; plain ones on an import line.
        self.quoted = _minimal({n.encode() for n in needles if n[:1] in "\"'"} | {n.encode() for n in strong})
        self.needles = _minimal({n.encode() for n in needles if n and n[:1] not in "\"'"})
        # A first gate the great majority of files fail: every needle without its quotes, minimised.
        self.cores = _minimal({(n.strip("\"'/") if len(n.strip("\"'/")) >= 4 else n).encode() for n in needles | strong if n})

    @cached_property
    def host_needles(self) -> tuple[str, ...]:
        """A substring of every host, to skip the host regex (and its compilation) for most files."""
        return tuple(p for p in (max((x.strip(".-") for x in h.split("*")), key=len) for h, _ in self.host_signatures) if p)

    def may_name_a_host(self, text: str) -> bool:
        return any(needle in text for needle in self.host_needles)

    @cached_property
    def host_pattern(self) -> Optional[re.Pattern[str]]:
        """Every endpoint host, one named group each (compiled when a file first needs it)."""
        if not self.host_signatures:
            return None
        return re.compile("|".join(f"(?P<h{i}>(?<![A-Za-z0-9.-]){_host_regex(h)}(?![A-Za-z0-9-]))"
                                   for i, (h, _) in enumerate(self.host_signatures)))

    @cached_property
    def env_pattern(self) -> Optional[re.Pattern[str]]:
        if not self.env:
            return None
        return re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(self.env, key=len, reverse=True))) + r")\b")

    def worth_parsing(self, data: bytes, reader: str) -> bool:
        """Whether a file may hold evidence: a host, variable or call argument anywhere, or a module
        or package name on a line that imports (code) or anywhere (dependency and config files).

        A name in prose or a comment (`openai_compatible`, "we dropped Anthropic") mostly fails this
        without parsing; what passes is parsed, and only the parse decides.
        """
        present = [core for core in self.cores if core in data]
        if not present:
            return False
        by_core = self._by_core
        for core in present:
            for needle in by_core[core][0]:  # quoted names, hosts, variables: anywhere
                if needle in data:
                    return True
        for core in present:
            for needle in by_core[core][1]:  # plain module names: on an import line of code
                if self._on_import_line(data, needle, reader):
                    return True
        return False

    @cached_property
    def _by_core(self) -> dict[bytes, tuple[list[bytes], list[bytes]]]:
        """core -> (the quoted needles that contain it, the plain needles that contain it).

        Built with `bytes.find` over all needles joined (a pairwise `in` test is ~15 ms at start-up).
        """
        import bisect

        everything = [(needle, 0) for needle in self.quoted] + [(needle, 1) for needle in self.needles]
        joined = b"\0".join(needle for needle, _ in everything)
        starts, position = [], 0
        for needle, _ in everything:
            starts.append(position)
            position += len(needle) + 1
        table: dict[bytes, tuple[list[bytes], list[bytes]]] = {}
        for core in self.cores:
            quoted: list[bytes] = []
            plain: list[bytes] = []
            owners: set[int] = set()
            at = joined.find(core)
            while at >= 0:
                owner = bisect.bisect_right(starts, at) - 1
                if owner not in owners:
                    owners.add(owner)
                    needle, group = everything[owner]
                    (quoted if group == 0 else plain).append(needle)
                at = joined.find(core, at + 1)
            table[core] = (quoted, plain)
        return table

    @staticmethod
    def _on_import_line(data: bytes, needle: bytes, reader: str) -> bool:
        start = data.find(needle)
        if start < 0:
            return False
        if reader != "code":
            return True
        checked = 0
        while start >= 0 and checked < 64:
            line = data[data.rfind(b"\n", 0, start) + 1 : data.find(b"\n", start) % (len(data) + 1)]
            if b"import" in line or b"require" in line or b"from" in line:
                return True
            start = data.find(needle, start + len(needle))
            checked += 1
        return False

    def host_signature(self, match: re.Match[str]) -> Signature:
        return self.host_signatures[int(match.lastgroup[1:])][1]  # type: ignore[index]

    def module(self, language: str, name: str) -> Optional[tuple[str, Signature]]:
        """The signature of the most specific module entry that `name` is, or lies under."""
        table = self.modules[language]
        separator = {"python": ".", "java": ".", "go": "/", "javascript": "/"}[language]
        candidate = name
        while True:
            sig = table.get(candidate)
            if sig is not None:
                return candidate, sig
            cut = candidate.rfind(separator)
            if cut <= 0:
                return None
            candidate = candidate[:cut]

    def providers_for_model(self, model: str, present: Iterable[Signature]) -> list[Signature]:
        return [sig for sig in present if sig.model_pattern is not None and sig.model_pattern.fullmatch(model)]


def _needles(language: str, name: str) -> set[str]:
    """What a module or package name looks like in a file: quoted in JS/TS, Go and package.json,
    by its first and last dotted segment in Python (`from google import genai`), as is elsewhere."""
    if language in ("javascript", "go", "npm"):
        if len(name) < 4:  # `"ai"`: short names only as the whole string
            return {f'"{name}"', f"'{name}'", f'"{name}/', f"'{name}/"}
        return {f'"{name}', f"'{name}"}
    if language == "python":
        segments = name.split(".")
        return {segments[0], segments[-1]}
    return {name}


def _minimal(needles: set[bytes]) -> tuple[bytes, ...]:
    """The needles no other needle is a substring of (enough to find every file any of them is in).

    One pass of `bytes.find` per needle over all of them joined: the obvious pairwise test costs
    ~20 ms for the built-in signatures, on the start-up path of every pre-commit run.
    """
    import bisect

    ordered = sorted(needles, key=len)
    joined = b"\0".join(ordered)
    starts, position = [], 0
    for needle in ordered:
        starts.append(position)
        position += len(needle) + 1
    redundant: set[int] = set()
    for index, needle in enumerate(ordered):
        if index in redundant:
            continue  # whatever contains it also contains the shorter needle that made it redundant
        at = joined.find(needle)
        while at >= 0:
            owner = bisect.bisect_right(starts, at) - 1
            if owner != index:
                redundant.add(owner)
            at = joined.find(needle, at + 1)
    return tuple(needle for index, needle in enumerate(ordered) if index not in redundant)


def normalise_package(ecosystem: str, name: str) -> str:
    """Names as each registry compares them (PEP 503 for PyPI; Maven's group:artifact as written)."""
    if ecosystem == "pypi":
        return re.sub(r"[-_.]+", "-", name).lower()
    return name


BUNDLE = Path(__file__).with_name("_builtin_signatures.json")


def build_bundle() -> str:
    """The built-in YAML files as one JSON document (file name -> data), as `BUNDLE` holds it.

    The YAML files are the source (comments, review); the bundle is what a run reads: one
    `json.loads` instead of a YAML parse per file, ~15 ms less on every pre-commit run.
    Regenerate with `python -m llm_policy.scan.signatures`; a test fails when it is stale.
    """
    documents = {path.name: _read(path, trusted=True) for path in _files(builtin_dir())}
    return json.dumps(documents, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _builtin_documents() -> list[tuple[Any, Path]]:
    with open(BUNDLE, encoding="utf-8") as handle:
        documents = json.load(handle)
    return [(data, builtin_dir() / name) for name, data in sorted(documents.items())]


def load_signatures(extra_dirs: Iterable[Path] = (), builtin: bool = True) -> SignatureSet:
    """The built-in signatures, then each extra directory's (a same-named one replaces the earlier)."""
    by_name: dict[str, Signature] = {}
    sources: list[list[tuple[Any, Path]]] = [_builtin_documents()] if builtin else []
    sources += [[(None, path) for path in _files(Path(d))] for d in extra_dirs]
    for documents in sources:
        seen: dict[str, Path] = {}
        for data, path in documents:
            signature = parse_signature(_read(path) if data is None else data, str(path))
            if signature.name in seen:
                raise SignatureError(f"{path}: {signature.name} is already defined in {seen[signature.name]}")
            seen[signature.name] = path
            by_name[signature.name] = signature
    return SignatureSet(by_name.values())


if __name__ == "__main__":
    BUNDLE.write_text(build_bundle(), encoding="utf-8")
    print(f"wrote {BUNDLE}")
