"""The `compliance-html` output format (see llm_policy.compliance.render)."""

from llm_policy.compliance.render import render_html as render

__all__ = ["render"]
