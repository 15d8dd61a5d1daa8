"""Stage 1 of the pipeline: read a manifest file into plain data plus a position map."""

from llm_policy.load.positions import PositionMap, Span, from_pointer, to_pointer
from llm_policy.load.yaml_loader import DEFAULT_MAX_BYTES, Document, LoadError, load_document, parse_document

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Document",
    "LoadError",
    "PositionMap",
    "Span",
    "from_pointer",
    "load_document",
    "parse_document",
    "to_pointer",
]
