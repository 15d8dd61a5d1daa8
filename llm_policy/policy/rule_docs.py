"""What a rule's documentation needs beyond its `RuleInfo`: worked examples and the docs link.

Examples are data in each rule's own `# METADATA` block (`custom.examples.failing` and
`custom.examples.passing`, each a complete llm-sourcing.yaml), so adding a rule still touches one
.rego file and its test. LP000-LP002 belong to the Python stages and keep theirs here. Examples
are deliberately not part of `RuleInfo`: that type is the report's and SARIF's contract, and a
report has no use for two manifests per rule; `explain` and the generated docs pages read them
through `rule_examples`.

The docs link of a built-in rule can point elsewhere (`--docs-url`, `docs_url` in the config) for
an organisation that hosts the pages itself; custom rules keep the link their METADATA gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional

from llm_policy.policy.policy_set import DOCS_BASE, PolicyError, PolicySet
from llm_policy.findings import RULE_SCHEMA, RULE_XREF, RULE_YAML

# The evaluation date the examples are written for (DPA expiry rules depend on it); the test
# suite checks every example with `llm-policy check --date EXAMPLES_DATE`.
EXAMPLES_DATE = "2026-11-27"


@dataclass(frozen=True)
class Examples:
    """A minimal manifest that produces the rule's finding, and its compliant twin that does not."""

    failing: str
    passing: str


_QWEN = """\
apiVersion: llm-policy/v1
project:
  name: support-bot
  owner: support-team@example.com
data:
  classes: [public]
sources:
  - id: local-qwen
    sector: open_source
    model: Qwen/Qwen2.5-7B-Instruct
    license: Apache-2.0
"""

# Examples of the rules the Python stages report (load: LP000; validate: LP001, LP002).
PYTHON_EXAMPLES: dict[str, Examples] = {
    RULE_YAML: Examples(
        failing=_QWEN + "    license: MIT  # LP000: a key may appear only once\n",
        passing=_QWEN,
    ),
    RULE_SCHEMA: Examples(
        failing=_QWEN.replace("sector: open_source", "sector: self_hosted  # LP001: not a sector"),
        passing=_QWEN,
    ),
    RULE_XREF: Examples(
        failing=_QWEN + "routing:\n  strategy: single\n  routes:\n    - {name: all, to: qwen}  # LP002: no source has this id\n",
        passing=_QWEN + "routing:\n  strategy: single\n  routes:\n    - {name: all, to: local-qwen}\n",
    ),
}


def _annotation_examples(custom: Mapping[str, Any], file: str, line: int) -> Optional[Examples]:
    value = custom.get("examples")
    if value is None:
        return None
    if not isinstance(value, dict) or not all(isinstance(value.get(k), str) and value[k].strip() for k in ("failing", "passing")):
        raise PolicyError("METADATA custom.examples must map failing and passing to a manifest (a YAML block scalar)", file, line, 1)
    return Examples(failing=value["failing"], passing=value["passing"])


def rule_examples(policy_set: PolicySet) -> dict[str, Examples]:
    """Examples by rule id, for every rule of the set that has them."""
    examples = {rule_id: pair for rule_id, pair in PYTHON_EXAMPLES.items() if rule_id in policy_set.rules}
    for module in policy_set.modules:
        for annotation in module.annotations:
            rule_id = annotation.custom.get("id")
            pair = _annotation_examples(annotation.custom, module.path, annotation.line) if rule_id else None
            if pair is not None:
                examples[str(rule_id)] = pair
    return examples


def is_builtin(rule: Any) -> bool:
    """Whether a rule (RuleInfo or its dict form) ships with llm-policy, whose docs pages it links."""
    source = rule.get("source") if isinstance(rule, dict) else getattr(rule, "source", None)
    return source == "builtin" or str(source or "").startswith("builtin:")


def builtin_help_uri(rule_id: str, base: str = DOCS_BASE) -> str:
    """The docs page of a built-in rule under `base`: `{id}` in it is replaced, else `<base>/<ID>.md`."""
    if "{id}" in base:
        return base.replace("{id}", rule_id)
    return base.rstrip("/") + "/" + rule_id + ".md"


def check_docs_base(base: str) -> str:
    """A docs base must be an absolute http(s) URL: SARIF viewers and Markdown only link those."""
    if not re.match(r"^https?://[^\s/]+", base):
        raise ValueError(f"docs URL must start with http:// or https://, got {base!r}")
    return base


def rebase_help_uris(rules: Iterable[dict[str, Any]], base: Optional[str]) -> None:
    """Point each built-in rule (report dicts, in place) at its page under `base`; None keeps them."""
    if not base:
        return
    for rule in rules:
        if is_builtin(rule):
            rule["help_uri"] = builtin_help_uri(str(rule["id"]), base)


def defined_in(source: Optional[str]) -> str:
    """Where a rule lives, as a path in this repository for built-ins (`builtin:rules/x.rego`)."""
    if source == "builtin":
        return "llm-policy's Python pipeline (built-in)"
    if source and source.startswith("builtin:"):
        return "policies/" + source[len("builtin:"):] + " (built-in)"
    return source or "unknown"
