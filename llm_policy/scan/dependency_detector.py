"""Dependency manifests and configuration files: the packages a project installs, the hosts and
environment variables its deployment names.

Each format is read as what it is (requirement lines, TOML, JSON, go.mod directives, Maven XML,
Gradle string literals) with its comments removed, and each hit is placed at the line and column
of the name. Lock files are not read: they list transitive dependencies nobody chose.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterable

from llm_policy.scan.evidence import Hit
from llm_policy.scan.signatures import SignatureSet, normalise_package

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_GO_REQUIRE = re.compile(r"^\s*(?:require\s+)?([A-Za-z0-9.-]+\.[A-Za-z]{2,}/[^\s]+)\s+v\S+")
_XML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_POM_DEPENDENCY = re.compile(r"<dependency>(.*?)</dependency>", re.DOTALL)


def _strip_hash_comment(line: str) -> str:
    """A `#` at the start or after whitespace starts a comment (requirements, YAML, TOML, .env)."""
    if line.lstrip().startswith(";"):
        return ""  # an INI comment line
    match = re.search(r"(^|\s)#", line)
    return line[: match.start()] if match else line


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def requirements(signatures: SignatureSet, text: str) -> list[Hit]:
    hits = []
    table = signatures.packages["pypi"]
    for number, raw in enumerate(text.splitlines(), 1):
        line = _strip_hash_comment(raw)
        if line.lstrip().startswith("-"):
            continue  # -r other.txt, -e path, --index-url ...
        match = _REQUIREMENT.match(line)
        if match:
            sig = table.get(normalise_package("pypi", match.group(1)))
            if sig is not None:
                hits.append(Hit(sig, "dependency", number, match.start(1) + 1, match.group(1)))
    return hits


def _locate_names(signatures: SignatureSet, text: str, ecosystem: str, names: Iterable[str], key_style: bool) -> list[Hit]:
    """Place each dependency name at its first occurrence as a quoted string or a TOML key."""
    hits = []
    table = signatures.packages[ecosystem]
    for name in dict.fromkeys(names):
        sig = table.get(normalise_package(ecosystem, name))
        if sig is None:
            continue
        pattern = rf"""(?m)^[^#\n]*?(["']){re.escape(name)}(?=["'\s\[<>=!~;@,]|\1)"""
        match = re.search(pattern, text)
        if match is None and key_style:
            match = re.search(rf"(?m)^(\s*){re.escape(name)}\s*=", text)
        offset = match.end(1) if match else 0
        line, column = _position(text, offset)
        hits.append(Hit(sig, "dependency", line, column, name))
    return hits


def _pep508_name(spec: Any) -> str:
    match = _REQUIREMENT.match(spec) if isinstance(spec, str) else None
    return match.group(1) if match else ""


def pyproject(signatures: SignatureSet, text: str) -> list[Hit]:
    import tomllib

    document = tomllib.loads(text)
    names: list[str] = []
    project = document.get("project", {})
    names += [_pep508_name(s) for s in project.get("dependencies", []) or []]
    for group in (project.get("optional-dependencies") or {}).values():
        names += [_pep508_name(s) for s in group or []]
    for group in (document.get("dependency-groups") or {}).values():
        names += [_pep508_name(s) for s in group or [] if isinstance(s, str)]
    poetry = document.get("tool", {}).get("poetry", {})
    names += list((poetry.get("dependencies") or {}).keys())
    for group in (poetry.get("group") or {}).values():
        names += list((group.get("dependencies") or {}).keys())
    return _locate_names(signatures, text, "pypi", [n for n in names if n], key_style=True)


def package_json(signatures: SignatureSet, text: str) -> list[Hit]:
    document = json.loads(text)
    names: list[str] = []
    if isinstance(document, dict):
        for key in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
            section = document.get(key)
            if isinstance(section, dict):
                names += list(section)
    return _locate_names(signatures, text, "npm", names, key_style=False)


def go_mod(signatures: SignatureSet, text: str) -> list[Hit]:
    hits = []
    in_block = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("//", 1)[0]
        stripped = line.strip()
        if stripped.startswith("require ("):
            in_block = True
            continue
        if in_block and stripped == ")":
            in_block = False
            continue
        if not (in_block or stripped.startswith("require ")):
            continue
        match = _GO_REQUIRE.match(line)
        if match:
            found = _go_package(signatures, match.group(1))
            if found is not None:
                hits.append(Hit(found, "dependency", number, match.start(1) + 1, match.group(1)))
    return hits


def _go_package(signatures: SignatureSet, path: str) -> Any:
    table = signatures.packages["go"]
    candidate = path
    while candidate:
        if candidate in table:
            return table[candidate]
        if "/" not in candidate:
            return None
        candidate = candidate.rsplit("/", 1)[0]
    return None


def _maven(signatures: SignatureSet, group: str, artifact: str) -> Any:
    table = signatures.packages["maven"]
    return table.get(f"{group}:{artifact}") or table.get(group)


def pom(signatures: SignatureSet, text: str) -> list[Hit]:
    clean = _XML_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)  # keep offsets
    hits = []
    for block in _POM_DEPENDENCY.finditer(clean):
        body = block.group(1)
        group = re.search(r"<groupId>\s*([^<\s]+)\s*</groupId>", body)
        artifact = re.search(r"<artifactId>\s*([^<\s]+)\s*</artifactId>", body)
        if group and artifact:
            sig = _maven(signatures, group.group(1), artifact.group(1))
            if sig is not None:
                line, column = _position(text, block.start(1) + artifact.start(1))
                hits.append(Hit(sig, "dependency", line, column, f"{group.group(1)}:{artifact.group(1)}"))
    return hits


def gradle(signatures: SignatureSet, text: str) -> list[Hit]:
    from llm_policy.scan.tokens import STRING, Lines, tokenize

    lines = Lines(text)
    hits = []
    for token in tokenize(text, "java"):  # Groovy/Kotlin strings and comments lex like Java's
        if token.kind == STRING and token.value.count(":") >= 1:
            group, artifact = (token.value.split(":") + [""])[:2]
            sig = _maven(signatures, group, artifact)
            if sig is not None:
                line, column = lines.at(token.offset)
                hits.append(Hit(sig, "dependency", line, column, f"{group}:{artifact}"))
    return hits


def config(signatures: SignatureSet, text: str, comments: bool) -> list[Hit]:
    """Hosts and environment variable names in a configuration file, outside its comments."""
    hits = []
    host_pattern = signatures.host_pattern if signatures.may_name_a_host(text) else None
    env_pattern = signatures.env_pattern if any(name in text for name in signatures.env) else None
    for number, raw in enumerate(text.splitlines(), 1):
        line = _strip_hash_comment(raw) if comments else raw
        if host_pattern is not None and "." in line:
            for match in host_pattern.finditer(line):
                hits.append(Hit(signatures.host_signature(match), "endpoint", number, match.start() + 1, match.group()))
        if env_pattern is not None:
            for match in env_pattern.finditer(line):
                hits.append(Hit(signatures.env[match.group()], "env", number, match.start() + 1, match.group()))
    return hits
