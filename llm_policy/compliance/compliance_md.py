"""The `compliance-md` output format (see llm_policy.compliance.render)."""

from llm_policy.compliance.render import render_markdown as render

__all__ = ["render"]
