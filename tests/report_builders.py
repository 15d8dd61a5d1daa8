"""Report dicts for output-format tests, built from the real dataclasses (never hand-typed JSON).

Building through `Report.to_dict()` keeps these tests honest: if the report contract changes, the
renderers are exercised against the new shape, not a stale copy of the old one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional


from llm_policy.findings import Fault, FileResult, Finding, Report, RuleInfo, Waiver

REPO_ROOT = Path(__file__).resolve().parents[1]
# Official schemas vendored byte-exact into the repository (tests/schemas/SOURCES.md says where each
# came from), so a clone alone runs every output test.
SCHEMAS_DIR = Path(__file__).resolve().parent / "schemas"

MANIFEST_A = "services/support/llm-sourcing.yaml"
MANIFEST_B = "llm-sourcing.yml"

RULES = [
    RuleInfo("LP101", "Data class vs sector", "error",
             description="A source receives a data class its sector and hosting do not allow.",
             remediation="Route that data class to an allowed source or sign a DPA with training opt-out.",
             help_uri="https://llm-policy.example/rules/LP101", tags=["data-protection"], source="policies/data.rego"),
    RuleInfo("LP104", "DPA expires soon", "warning",
             description="The DPA of a cloud API source expires within the threshold.",
             remediation="Renew the DPA.", help_uri="https://llm-policy.example/rules/LP104", tags=["contracts"]),
    RuleInfo("LP204", "License obligations", "info",
             description="Obligations that come with the model license.", help_uri=None, tags=["license"]),
]


def reference_file(name: str) -> Path:
    """A vendored official schema from tests/schemas; a missing one fails the test (never a skip)."""
    path = SCHEMAS_DIR / name
    assert path.is_file(), f"vendored schema {path} is missing (see tests/schemas/SOURCES.md)"
    return path


def finding(rule_id: str = "LP101", severity: str = "error", message: str = "source 'gpt4o' receives personal data",
            file: str = MANIFEST_A, line: int = 12, column: int = 7, pointer: str = "/sources/1/data_classes/0",
            source_id: Optional[str] = "gpt4o", waiver: Optional[Waiver] = None, **extra: Any) -> Finding:
    extra.setdefault("title", {r.id: r.title for r in RULES}.get(rule_id))
    return Finding(rule_id=rule_id, severity=severity, message=message, file=file, line=line, column=column,
                   pointer=pointer, source_id=source_id, waiver=waiver, **extra)


def report(files: list[FileResult], faults: Optional[list[Fault]] = None,
           rules: Optional[list[RuleInfo]] = None) -> dict[str, Any]:
    return Report(tool_version="0.1.0", evaluation_date="2025-06-01", files=files,
                  rules=list(RULES if rules is None else rules), faults=faults or []).to_dict()


def passing_report() -> dict[str, Any]:
    return report([FileResult(MANIFEST_A), FileResult(MANIFEST_B)])


def failing_report() -> dict[str, Any]:
    waiver = Waiver(justification="Attribution is in the product's about page", approved_by="legal@example.com",
                    expires="2026-03-01", kind="external", reference="LEGAL-42")
    return report([
        FileResult(MANIFEST_A, findings=[
            finding(end_line=12, end_column=15),
            finding("LP101", message="source 'gpt4o' receives financial data", line=13, column=9,
                    pointer="/sources/1/data_classes/1"),
            finding("LP104", "warning", "DPA 'DPA-2025-014' of source 'gpt4o' expires in 12 days", line=20, column=16,
                    pointer="/sources/1/dpa/expires"),
        ]),
        FileResult(MANIFEST_B, findings=[
            finding("LP204", "info", "llama3-community requires 'Built with Llama' attribution", file=MANIFEST_B,
                    line=5, column=14, pointer="/sources/0/license", source_id="local-llama", waiver=waiver),
        ]),
    ])


def erroring_report() -> dict[str, Any]:
    return report(
        [FileResult(MANIFEST_A, findings=[finding()]),
         FileResult(MANIFEST_B, faults=[Fault("io", "cannot read llm-sourcing.yml: permission denied", file=MANIFEST_B)])],
        faults=[Fault("policy", "rego_parse_error: unexpected eof token", file="policies/custom/deny.rego", line=7, column=3)],
    )


ALL_REPORTS = {"passing": passing_report, "failing": failing_report, "erroring": erroring_report}
