"""Stage 2 of the pipeline: is the manifest well formed? (LP000 load, LP001 schema, LP002 references)

Policies run only on manifests that pass this stage, so every Rego rule can rely on the shape.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from llm_policy.findings import RULE_YAML, Finding
from llm_policy.load import DEFAULT_MAX_BYTES, Document, LoadError, load_document
from llm_policy.validate.crossrefs import crossref_findings
from llm_policy.validate.schema import schema_findings


def load_error_finding(error: LoadError, file: str) -> Finding:
    return Finding(
        rule_id=RULE_YAML,
        severity="error",
        message=error.message,
        file=file,
        line=error.line or 1,
        column=error.column or 1,
        title="Manifest is not valid YAML",
    )


def validate_document(document: Document, file: str) -> list[Finding]:
    findings = schema_findings(document, file)
    if not findings:
        findings = crossref_findings(document, file)
    return sorted(findings, key=Finding.sort_key)


def validate_file(
    path: Path, display: Optional[str] = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[Optional[Document], list[Finding]]:
    """Load and validate one file; LoadError with `io=True` propagates (a tool fault, not a finding)."""
    file = display or path.as_posix()
    try:
        document = load_document(path, max_bytes=max_bytes)
    except LoadError as error:
        if error.io:
            raise
        return None, [load_error_finding(error, file)]
    return document, validate_document(document, file)
