"""Pick an engine by name: the only module that knows every engine.

Kept apart from `base` (the interface) so that each engine imports `base` and only this module
imports the engines, lazily: the default engine never pays for `requests` or the OPA bindings, and
no engine module imports its own factory (no import cycle).
"""

from __future__ import annotations

from typing import Any

from llm_policy.engines.base import Engine


def create_engine(name: str, **options: Any) -> Engine:
    if name == "regorus":
        from llm_policy.engines.regorus_engine import RegorusEngine

        return RegorusEngine(**options)
    if name == "opa":
        from llm_policy.engines.opa_server import OpaServerEngine

        return OpaServerEngine(**options)
    if name == "opa-inprocess":
        from llm_policy.engines.opa_inprocess import OpaInProcessEngine

        return OpaInProcessEngine(**options)
    raise KeyError(name)


# regorus: embedded (default); opa: an OPA server over REST; opa-inprocess: real OPA via the
# test-only Go bindings, the reference for differential conformance tests.
ENGINES = ("regorus", "opa", "opa-inprocess")
