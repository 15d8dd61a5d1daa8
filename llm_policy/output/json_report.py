"""`--format json`: the versioned report itself (shape: schemas/report.schema.json)."""

from __future__ import annotations

import json
from typing import Any

from llm_policy.output import RenderOptions


def render(report: dict[str, Any], options: RenderOptions) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
