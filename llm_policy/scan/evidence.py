"""The unit of the inventory: one place in one file that shows LLM usage, and how a file's hits become it.

Detectors (one module per language family) report raw `Hit`s: a signature matched at a line and
column. `resolve` turns one file's hits into `Evidence` with the rules that keep precision high:

- a runtime that needs a model id (transformers, vLLM, Ollama, ...) counts only through the model
  ids passed in that file;
- a router (LiteLLM, LangChain's universal chat model) names no provider itself: its model ids do
  (`anthropic/claude-…`, or the shape of the id when only one provider's ids look like it);
- a model id counts only in a file that uses an SDK whose ids it looks like;
- a file that points an SDK at another base URL (an OpenAI-compatible vLLM or gateway) is not
  evidence of that provider through its imports.
"""

from __future__ import annotations

from typing import Any, Optional

from llm_policy.scan.signatures import Signature, SignatureSet

KINDS = ("import", "call", "dependency", "endpoint", "env", "model")
_USES = ("import", "call", "dependency")  # kinds that say a file uses a signature's SDK


class Hit:
    """A signature matched at a place in a file (plain classes here and below: a dataclass costs
    a compile of its generated methods on every cold start, and the hook has 50 ms in all)."""

    __slots__ = ("signature", "kind", "line", "column", "match", "model")

    def __init__(self, signature: Signature, kind: str, line: int, column: int, match: str, model: Optional[str] = None):
        self.signature, self.kind, self.line, self.column, self.match, self.model = signature, kind, line, column, match, model


class Literal:
    """A string literal in code (never a comment or docstring), where it starts."""

    __slots__ = ("value", "line", "column")

    def __init__(self, value: str, line: int, column: int):
        self.value, self.line, self.column = value, line, column


class Evidence:
    """One observed use of an LLM: what, where (1-based line and column) and which manifest governs it."""

    __slots__ = ("provider", "sector", "kind", "file", "line", "column", "match", "language", "model", "manifest")

    def __init__(self, provider: Optional[str], sector: str, kind: str, file: str, line: int, column: int, match: str,
                 language: str, model: Optional[str] = None, manifest: Optional[str] = None):
        self.provider = provider  # catalog provider id; None for open weights run locally
        self.sector = sector  # cloud_api or open_source
        self.kind = kind  # one of KINDS
        self.file = file  # as reports show it (relative to the root)
        self.line, self.column = line, column
        self.match = match  # the import, package, host, variable or literal that matched
        self.language = language
        self.model = model
        self.manifest = manifest  # the governing manifest, as reports show it; None: ungoverned

    def to_dict(self) -> dict[str, Any]:
        return {"provider": self.provider, "sector": self.sector, "kind": self.kind, "file": self.file, "line": self.line,
                "column": self.column, "match": self.match, "language": self.language, "model": self.model,
                "manifest": self.manifest}

    def sort_key(self) -> tuple[Any, ...]:
        return (self.file, self.line, self.column, self.provider or "", self.kind, self.match)


def literal_hits(signatures: SignatureSet, literals: list[Literal], text: str = "", env_names: bool = True) -> list[Hit]:
    """Endpoint hosts and environment variable names in string literals (any file, no import needed).

    `text` is the whole file: when it names no host at all, the host regex is not even compiled.
    """
    hits = []
    host_pattern = signatures.host_pattern if signatures.may_name_a_host(text) else None
    for literal in literals:
        value = literal.value
        # A URL or a host name is one word: a sentence that mentions a host is a message, not a call.
        if host_pattern is not None and "." in value and not any(c.isspace() for c in value):
            for match in host_pattern.finditer(value):
                hits.append(Hit(signatures.host_signature(match), "endpoint", literal.line, literal.column, match.group(0)))
        if env_names:
            sig = signatures.env.get(value)
            if sig is not None:
                hits.append(Hit(sig, "env", literal.line, literal.column, value))
    return hits


def model_hits(signatures: SignatureSet, hits: list[Hit], literals: list[Literal]) -> list[Hit]:
    """Model ids among the literals of a file, attributed to the SDKs (or router) the file uses."""
    used = {id(h.signature): h.signature for h in hits if h.kind in _USES}
    if not used:
        return []
    providers = [sig for sig in used.values() if not sig.router and sig.model_pattern is not None]
    routed = any(sig.router for sig in used.values())
    everyone = [sig for sig in signatures.signatures if sig.provider and sig.model_pattern is not None] if routed else []
    by_provider = {sig.provider: sig for sig in everyone}
    found = []
    for literal in literals:
        value = literal.value
        if not value or len(value) > 200 or " " in value:
            continue
        for sig in signatures.providers_for_model(value, providers) if providers else ():
            found.append(Hit(sig, "model", literal.line, literal.column, value, value))
        if routed:
            sig, model = _routed(signatures, value, everyone, by_provider)
            if sig is not None:
                found.append(Hit(sig, "model", literal.line, literal.column, value, model))
    return found


def _routed(signatures: SignatureSet, value: str, everyone: list[Signature],
            by_provider: dict[str, Signature]) -> tuple[Optional[Signature], Optional[str]]:
    for separator in ("/", ":"):
        prefix, _, rest = value.partition(separator)
        if rest and prefix in signatures.prefixes:
            sig = by_provider.get(signatures.prefixes[prefix])
            return (sig, rest) if sig is not None else (None, None)
    candidates = signatures.providers_for_model(value, everyone)
    if len(candidates) > 1:  # `gpt-4o` is OpenAI's and Azure's: the router's own default wins
        candidates = [sig for sig in candidates if signatures.prefixes.get(sig.provider or "") == sig.provider]
    return (candidates[0], value) if len(candidates) == 1 else (None, None)


def resolve(hits: list[Hit], file: str, language: str, identifiers: set[str]) -> list[Evidence]:
    """One file's hits as evidence (see the module docstring), deduplicated, in file order."""
    compatible = {id(h.signature) for h in hits
                  if identifiers.intersection(h.signature.compatible_markers.get(language, ()))}
    evidence: dict[tuple[Any, ...], Evidence] = {}
    for hit in hits:
        sig = hit.signature
        if sig.router:
            continue  # a router is evidence only through the model ids it routes (resolved to a provider)
        if sig.requires_model and hit.kind != "model":
            continue
        if id(sig) in compatible and hit.kind in ("import", "call", "model"):
            continue
        item = Evidence(
            provider=sig.provider, sector=sig.sector or "cloud_api", kind=hit.kind, file=file, line=hit.line,
            column=hit.column, match=hit.match, language=language, model=hit.model,
        )
        evidence.setdefault((item.provider, item.kind, item.line, item.column, item.match), item)
    return sorted(evidence.values(), key=Evidence.sort_key)
