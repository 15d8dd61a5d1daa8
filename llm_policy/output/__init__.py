"""Output formats: one module per format, each rendering the versioned JSON report.

Every renderer takes the dict from `Report.to_dict()` (never the dataclasses), so all formats are
provably views of the same document and a saved JSON report can be re-rendered later.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Protocol

# format name -> module under llm_policy.output; imported only when used.
FORMATS: dict[str, str] = {
    "text": "text",
    "json": "json_report",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "markdown": "markdown",
    # Issue 16: per framework and control (a dotted value is a module path of its own).
    "compliance-md": "llm_policy.compliance.compliance_md",
    "compliance-html": "llm_policy.compliance.compliance_html",
}


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    verbose: bool = False
    # The `--fail-on` threshold: formats that show a verdict (JUnit failures, the Markdown status)
    # use it so they agree with the exit code. "never" reports without failing.
    fail_on: str = "error"


class Renderer(Protocol):
    def __call__(self, report: dict[str, Any], options: RenderOptions) -> str: ...


def get_renderer(name: str) -> Renderer:
    """Return the `render` function of a format; raises KeyError for an unknown format name."""
    target = FORMATS[name]
    module = importlib.import_module(target if "." in target else f"llm_policy.output.{target}")
    return module.render  # type: ignore[no-any-return]
