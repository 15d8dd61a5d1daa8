"""llm-policy: policy-as-code checks for how a project sources its LLMs.

The pipeline is load (YAML with positions) -> validate (JSON Schema, cross-references) ->
evaluate (Rego: `policy` says what, `engines` how) -> output (text, JSON, SARIF, ...), strung
together by `run`. Heavy modules are imported lazily so that the pre-commit path stays fast;
`load_manifest` is the typed Python API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from llm_policy.errors import ManifestError

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from llm_policy.model import Manifest


def load_manifest(path: Any) -> "Manifest":
    """Load, validate and return a manifest as typed pydantic models.

    Raises `ManifestError` (with `path`, and the located findings) when the file is missing or
    unreadable, does not load, or does not satisfy the schema and cross-references.
    """
    from llm_policy.model import load_manifest as _load

    return _load(path)


__all__ = ["ManifestError", "__version__", "load_manifest"]
