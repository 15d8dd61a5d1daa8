"""Stage 3 of the pipeline: evaluate Rego policies against a schema-valid manifest.

`PolicySet` (what to evaluate) -> an `Engine` (how) -> `policy_findings` (located results).
"""

from llm_policy.evaluate.engine import ENGINES, Engine, EngineError, create_engine
from llm_policy.evaluate.policies import PolicyError, PolicySet, load_policy_set
from llm_policy.evaluate.results import policy_findings

__all__ = [
    "ENGINES",
    "Engine",
    "EngineError",
    "PolicyError",
    "PolicySet",
    "create_engine",
    "load_policy_set",
    "policy_findings",
]
