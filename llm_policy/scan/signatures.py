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
import re
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Call:
    """A method call that means LLM use only with certain arguments (`boto3.client("bedrock-runtime")`)."""

    modules: tuple[str, ...]
    method: str
    arguments: tuple[str, ...]


@dataclass
class Signature:
    """One provider (or a local runtime, or a multi-provider router) as read from its file."""

    name: str  # provider id, "local" for a runtime, "router" for a router
    file: str
    provider: Optional[str] = None
    sector: Optional[str] = None
    router: bool = False
    requires_model: bool = False
    modules: dict[str, list[str]] = field(default_factory=dict)  # language -> module names
    calls: list[Call] = field(default_factory=list)
    packages: dict[str, list[str]] = field(default_factory=dict)
    hosts: list[str] = field(default_factory=list)
    env: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    compatible_markers: dict[str, list[str]] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)
    model_pattern: Optional[re.Pattern[str]] = None


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
    if signature.models:
        signature.model_pattern = re.compile("|".join(f"(?:{fnmatch.translate(m)})" for m in signature.models), re.IGNORECASE)
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


def _read(path: Path) -> Any:
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
        needles: set[str] = set()
        hosts: list[tuple[str, Signature]] = []
        for sig in self.signatures:
            for language, modules in sig.modules.items():
                for module in modules:
                    if language == "javascript" and ":" in module:
                        self.symbols[module] = sig
                        module = module.split(":", 1)[0]
                        needles.add(module)
                        continue
                    self.modules[language][module] = sig
                    if language == "python":
                        segments = module.split(".")
                        needles.update({segments[0], segments[-1]})
                    else:
                        needles.add(module)
            for call in sig.calls:
                self.calls.append((call, sig))
                needles.update(call.arguments)
            for eco, names in sig.packages.items():
                for name in names:
                    self.packages[eco][normalise_package(eco, name)] = sig
                    needles.add(name.split(":")[-1] if eco == "maven" else name)
            for name in sig.env:
                self.env[name] = sig
                needles.add(name)
            for host in sig.hosts:
                hosts.append((host, sig))
                needles.add(max(host.split("*"), key=len).strip(".-"))
            self.prefixes.update(sig.prefixes)
        self.host_signatures = hosts
        self.host_pattern = (
            re.compile("|".join(f"(?P<h{i}>(?<![A-Za-z0-9.-]){_host_regex(h)}(?![A-Za-z0-9-]))" for i, (h, _) in enumerate(hosts)))
            if hosts else None
        )
        self.env_pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(self.env, key=len, reverse=True))) + r")\b") if self.env else None
        # Longest needles first, so the alternation cannot stop at a shorter one that is a prefix.
        ordered = sorted((n for n in needles if n), key=len, reverse=True)
        self.prefilter = re.compile("|".join(re.escape(n) for n in ordered).encode()) if ordered else None

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


def normalise_package(ecosystem: str, name: str) -> str:
    """Names as each registry compares them (PEP 503 for PyPI; Maven's group:artifact as written)."""
    if ecosystem == "pypi":
        return re.sub(r"[-_.]+", "-", name).lower()
    return name


def load_signatures(extra_dirs: Iterable[Path] = (), builtin: bool = True) -> SignatureSet:
    """The built-in signatures, then each extra directory's (a same-named one replaces the earlier)."""
    by_name: dict[str, Signature] = {}
    directories = ([builtin_dir()] if builtin else []) + [Path(d) for d in extra_dirs]
    for directory in directories:
        seen: dict[str, Path] = {}
        for path in _files(directory):
            signature = parse_signature(_read(path), str(path))
            if signature.name in seen:
                raise SignatureError(f"{path}: {signature.name} is already defined in {seen[signature.name]}")
            seen[signature.name] = path
            by_name[signature.name] = signature
    return SignatureSet(by_name.values())
