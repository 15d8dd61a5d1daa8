"""JavaScript/TypeScript, Go and Java, from the tokens of `scan.tokens` (comments never reach here).

Imports are matched as statements, not as words: JS `import … from "m"`, `import "m"`,
`require("m")`, `import("m")`, `export … from "m"` (type-only imports are not usage); Go `import "m"`
and import blocks; Java `import a.b.C;` and `import static …;`. String literals give endpoint hosts,
environment variable names and model ids; JS `process.env.NAME` gives variable names too.
"""

from __future__ import annotations

from typing import Optional

from llm_policy.scan.evidence import Hit, Literal, literal_hits, model_hits
from llm_policy.scan.signatures import SignatureSet
from llm_policy.scan.tokens import NAME, PUNCT, STRING, Lines, Token, tokenize


def _js_imports(tokens: list[Token]) -> list[tuple[Token, list[str]]]:
    """(module string token, imported names) for every import/require in a JS/TS file."""
    found = []
    count = len(tokens)
    for i, token in enumerate(tokens):
        if token.kind != NAME:
            continue
        value = token.value
        if value in ("require", "import") and i + 2 < count and tokens[i + 1].value == "(" and tokens[i + 2].kind == STRING:
            if i > 0 and tokens[i - 1].value == ".":
                continue  # obj.require("x") is somebody's method
            found.append((tokens[i + 2], []))
        elif value in ("import", "export") and (i == 0 or tokens[i - 1].value not in (".", "?.")):
            j = i + 1
            if j < count and tokens[j].kind == NAME and tokens[j].value == "type":
                continue  # `import type {...}`: types only, nothing runs
            names: list[str] = []
            while j < count and j < i + 400:
                t = tokens[j]
                if t.kind == STRING:
                    if value == "import" and j == i + 1:
                        found.append((t, []))
                    elif j > 0 and tokens[j - 1].kind == NAME and tokens[j - 1].value == "from":
                        found.append((t, names))
                    break
                if t.kind == PUNCT and t.value == ";":
                    break
                if t.kind == NAME and t.value not in ("as", "from", "type"):
                    names.append(t.value)
                j += 1
    return found


def _go_imports(tokens: list[Token]) -> list[Token]:
    found = []
    count = len(tokens)
    for i, token in enumerate(tokens):
        if token.kind != NAME or token.value != "import":
            continue
        j = i + 1
        if j < count and tokens[j].value == "(":
            j += 1
            while j < count and tokens[j].value != ")":
                if tokens[j].kind == STRING:
                    found.append(tokens[j])
                j += 1
        else:
            if j < count and (tokens[j].kind == NAME or tokens[j].value == "."):
                j += 1  # an alias, `_` or `.`
            if j < count and tokens[j].kind == STRING:
                found.append(tokens[j])
    return found


def _java_imports(tokens: list[Token]) -> list[tuple[Token, str]]:
    found = []
    count = len(tokens)
    for i, token in enumerate(tokens):
        if token.kind != NAME or token.value != "import" or (i > 0 and tokens[i - 1].value not in (";", "}")):
            continue
        j = i + 1
        if j < count and tokens[j].value == "static":
            j += 1
        parts = []
        while j < count and (tokens[j].kind == NAME or tokens[j].value in (".", "*")):
            parts.append(tokens[j].value)
            j += 1
        if parts and j < count and tokens[j].value == ";":
            found.append((tokens[i + 1], "".join(parts).rstrip(".*")))
    return found


def detect(signatures: SignatureSet, text: str, language: str) -> tuple[list[Hit], set[str]]:
    """The hits of one JS/TS, Go or Java file and the identifiers it uses."""
    tokens = tokenize(text, language)
    lines = Lines(text)
    hits: list[Hit] = []
    identifiers = {t.value for t in tokens if t.kind == NAME}

    def add(module: str, token: Token, names: Optional[list[str]] = None) -> None:
        line, column = lines.at(token.offset)
        for name in names or ():
            sig = signatures.symbols.get(f"{module}:{name}")
            if sig is not None:
                hits.append(Hit(sig, "import", line, column, f"{module}:{name}"))
                if len(names or ()) == 1:
                    return  # only the specific client is imported (`import { AzureOpenAI } from "openai"`)
        found = signatures.module(language, module)
        if found is not None:
            hits.append(Hit(found[1], "import", line, column, module))

    if language == "javascript":
        for token, names in _js_imports(tokens):
            add(token.value, token, names)
        for i in range(2, len(tokens)):
            t = tokens[i]
            if t.kind == NAME and t.value in signatures.env and tokens[i - 1].value == "." and tokens[i - 2].value == "env":
                line, column = lines.at(t.offset)
                hits.append(Hit(signatures.env[t.value], "env", line, column, t.value))
    elif language == "go":
        for token in _go_imports(tokens):
            add(token.value, token)
    else:
        for token, module in _java_imports(tokens):
            add(module, token)
    literals = []
    for token in tokens:
        if token.kind == STRING and token.value:
            line, column = lines.at(token.offset)
            literals.append(Literal(token.value, line, column))
    hits += literal_hits(signatures, literals, text)
    hits += model_hits(signatures, hits, literals)
    return hits, identifiers
