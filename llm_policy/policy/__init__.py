"""Stage 3 of the pipeline, the "what": the policy set and everything read from policy files.

`policy_set.load_policy_set` collects Rego modules, their `# METADATA` (`metadata`) and data
tables; `scope` decides which packages `check` evaluates; `strict` is `--strict`; `rule_docs`
holds rule examples and links; `bundle` packs a set as an OPA bundle; `verify` runs Rego unit
tests. Engine-neutral: the engines that evaluate a set live in `llm_policy.engines`.
"""

from llm_policy.policy.policy_set import PolicyError, PolicySet, load_policy_set

__all__ = ["PolicyError", "PolicySet", "load_policy_set"]
