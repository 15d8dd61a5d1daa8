"""Stage 3 of the pipeline, the "how": Rego engines behind one interface, and their answers mapped to findings.

`base.Engine` is the interface; `factory.create_engine` picks one (`regorus_engine` embedded,
`opa_server` over REST, `opa_inprocess` real OPA for conformance tests); `deadline` and
`http_deadline` bound their time and memory; `results.policy_findings` maps any engine's raw
documents to located findings; `conformance` compares two engines. *What* is evaluated (the
policy set, its metadata and scope) lives in `llm_policy.policy`.
"""

from llm_policy.engines.base import Engine, EngineError
from llm_policy.engines.factory import ENGINES, create_engine
from llm_policy.engines.results import policy_findings

__all__ = ["ENGINES", "Engine", "EngineError", "create_engine", "policy_findings"]
