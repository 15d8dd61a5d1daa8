"""Differential conformance: the embedded engine (regorus) and real OPA give identical findings.

Evaluates the whole built-in pack (whatever policies/ holds when the test runs) against every
example and 3,000 generated manifests (sector x data class x hosting x region x DPA state) with
both engines, through the same Engine interface and result mapping, and compares rule id,
severity, message, path, source id and position. The pack's Rego unit tests must pass under both.
A rule that uses a construct the engines disagree on makes this fail; `test_divergence_is_reported`
shows that on the construct that actually bit the pack (a negated call on an undefined ref).

Real OPA runs in-process through opa-golib-python-bindings, a test-only dependency installed by
.ci/run; without it these tests skip and say why.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from conformance_cases import EVALUATION_DATE, example_cases, generated_cases
from llm_policy.engines import create_engine
from llm_policy.policy import load_policy_set
from llm_policy.engines.conformance import compare_engines, opa_test_outcomes
from llm_policy.policy.metadata import parse_annotations
from llm_policy.policy.policy_set import Module, PolicySet
from llm_policy.policy.verify import run_tests
from llm_policy.validate import validate_document

try:
    import opa_bindings  # noqa: F401
except Exception as exc:  # noqa: BLE001 - ImportError, or OSError loading the Go library
    pytest.skip(
        f"real OPA in-process is unavailable ({type(exc).__name__}: {exc}); "
        "install it with: pip install --ignore-requires-python opa-golib-python-bindings==0.4.4",
        allow_module_level=True,
    )

REPO = Path(__file__).resolve().parents[1]


def prepared(policy_set: PolicySet) -> list:
    engines = []
    for name in ("regorus", "opa-inprocess"):
        engine = create_engine(name)
        engine.prepare(policy_set)
        engines.append(engine)
    return engines


@pytest.fixture(scope="module")
def pack() -> PolicySet:
    return load_policy_set(context={"today": EVALUATION_DATE})


@pytest.fixture(scope="module")
def engines(pack: PolicySet) -> list:
    return prepared(pack)


@pytest.fixture(scope="module")
def cases() -> list:
    loaded = list(generated_cases())
    invalid = [name for name, document in loaded if validate_document(document, name)]
    assert not invalid, f"the generator made schema-invalid manifests: {invalid[:5]}"
    return loaded


def test_pack_is_not_empty(pack: PolicySet) -> None:
    assert any(m.package.startswith("llm_policy.rules.") for m in pack.modules), "no built-in rules found"


def test_every_example_gives_identical_findings(pack: PolicySet, engines: list) -> None:
    examples = [(name, doc) for name, doc in example_cases(REPO / "examples") if not validate_document(doc, name)]
    assert len(examples) >= 5
    divergences = compare_engines(engines, pack, examples)
    assert divergences == [], "\n".join(map(str, divergences))


def test_generated_manifests_give_identical_findings(pack: PolicySet, engines: list, cases: list) -> None:
    assert len(cases) == 3 * 8 * 5 * 5 * 5
    divergences = compare_engines(engines, pack, cases)
    assert divergences == [], f"{len(divergences)} divergences, first 20:\n" + "\n".join(map(str, divergences[:20]))


def test_generated_manifests_exercise_the_pack(pack: PolicySet, engines: list, cases: list) -> None:
    """Identical but empty results would prove nothing: most rules must fire somewhere."""
    from llm_policy.engines import policy_findings

    fired = set()
    for name, document in cases[::3]:
        fired.update(f.rule_id for f in policy_findings(pack, engines[0].evaluate(document.data), document, name))
    rego_rules = {rule for rule, info in pack.rules.items() if info.source.startswith("builtin:")}
    assert len(fired & rego_rules) >= min(8, len(rego_rules)), f"only {sorted(fired)} fired"


def test_rego_unit_tests_pass_under_both_engines() -> None:
    policy_set = load_policy_set(include_tests=True)
    tests = [m for m in policy_set.modules if m.is_test]
    if not tests:
        pytest.skip("the built-in pack has no *_test.rego files yet")
    embedded = {(t.package, t.name): t.outcome for t in run_tests(policy_set, tests).tests}
    opa = create_engine("opa-inprocess")
    opa.prepare(policy_set)
    real = opa_test_outcomes(opa.raw, tests)
    assert set(embedded) == set(real)
    failing = {key: (embedded[key], real[key]) for key in embedded if (embedded[key], real[key]) != ("pass", "pass")}
    assert failing == {}, json.dumps({".".join(k): v for k, v in failing.items()}, indent=1)


# --- the check catches a divergence -----------------------------------------------------------

DIVERGENT_RULE = """# METADATA
# title: Source without a region (divergent on purpose)
# custom:
#   id: LP999
#   severity: warning
package llm_policy.rules.lp999

import data.llm_policy.lib

findings contains f if {
	some [i, src] in lib.sources
	not is_string(src.region)
	f := {
		"id": "LP999",
		"severity": "warning",
		"msg": sprintf("Source %q declares no region.", [src.id]),
		"path": ["sources", i],
		"source_id": src.id,
	}
}
"""


def with_module(policy_set: PolicySet, path: str, text: str) -> PolicySet:
    package, annotations = parse_annotations(text)
    assert package
    return replace(policy_set, modules=[*policy_set.modules, Module(path, text, package, annotations)])


def test_divergence_is_reported(pack: PolicySet, cases: list) -> None:
    """A rule using `not f(undefined)` (true in regorus, undefined in OPA) breaks conformance.

    This is the construct the pack's LP401 used before it was caught here: OPA silently drops the
    finding for every source that does not declare a region."""
    changed = with_module(pack, "builtin:rules/lp999_divergent.rego", DIVERGENT_RULE)
    divergences = compare_engines(prepared(changed), changed, cases[:50])
    assert divergences, "the differential check missed a known divergence"
    assert all("only regorus: LP999 warning" in str(d) for d in divergences)
    assert any("declares no region" in str(d) for d in divergences)


SPRINTF_RULE = """package llm_policy.rules.lp998

import data.llm_policy.lib

findings contains f if {
	some [i, src] in lib.sources
	f := {"id": "LP998", "severity": "info", "msg": sprintf("%s: %s source(s)", [src.id, count(lib.sources)]), "path": ["sources", i]}
}
"""


def test_message_divergence_is_reported(pack: PolicySet, cases: list) -> None:
    """sprintf("%s", [number]) prints `%!s(int64=1)` in OPA but `1` in regorus: same finding,
    different message, and the check reports both sides."""
    changed = with_module(pack, "builtin:rules/lp998_sprintf.rego", SPRINTF_RULE)
    divergences = [str(d) for d in compare_engines(prepared(changed), changed, cases[:1])]
    assert any("only regorus: LP998" in d and "primary: 2 source(s)" in d for d in divergences), divergences
    assert any("only opa-inprocess: LP998" in d and "primary: %!s(int64=2) source(s)" in d for d in divergences), divergences


# --- the documented divergences (docs/engines.md) still hold ------------------------------------

# (name, Rego expression for `r := ...`, regorus value, OPA value). When an engine upgrade makes
# one of these agree, this fails: update docs/engines.md and drop the row.
KNOWN = [
    ("negated call on undefined", "true if not is_string(input.nope)", True, None),
    ("negated membership on undefined", "true if not input.nope in {1}", True, None),
    ("empty multi-value rule", '"empty" if { multi } else := "undefined"\n\nmulti[k] contains v if some [k, v] in input.none',
     "undefined", "empty"),
    ("sprintf %s of a number", 'sprintf("%s", [12])', "12", "%!s(int64=12)"),
    ("sprintf %v of nested floats", 'sprintf("%v", [[1.5, 2.0]])', "[1.5, 2]", "[1.5, 2.0]"),
    ("sprintf width", 'sprintf("%5s|", ["a"])', "a|", "    a|"),
    ("decimal arithmetic", "0.1 + 0.2", 0.30000000000000004, 0.3),
    ("large integers", "12345678901234567890 * 10", 1.2345678901234568e20, 123456789012345678900),
    ("time.add_date month overflow", 'time.add_date(time.parse_ns("2006-01-02", "2026-01-31"), 0, 1, 0)',
     1772236800000000000, 1772496000000000000),
    ("strings.count overlapping", 'strings.count("aaa", "aa")', 2, 1),
    ("upper of sharp s", 'upper("straße")', "STRASSE", "STRAßE"),
    ("regex \\w and Unicode", 'regex.match("^\\\\w+$", "héllo")', True, False),
    ("yaml.unmarshal yes", 'yaml.unmarshal("a: yes")', {"a": "yes"}, {"a": True}),
]


@pytest.mark.parametrize("name,expression,regorus_value,opa_value", KNOWN, ids=[k[0] for k in KNOWN])
def test_documented_divergence_still_holds(name: str, expression: str, regorus_value, opa_value) -> None:
    import regorus
    from opa_bindings import OpaEngine, OpaUndefinedError

    module = f"package t\n\nr := {expression}\n"
    os.environ["RUST_BACKTRACE"] = "0"
    embedded = regorus.Engine()
    embedded.add_policy("t.rego", module)
    embedded.set_input_json("{}")
    rows = json.loads(embedded.eval_query_as_json("data.t.r")).get("result") or []
    got_regorus = rows[0]["expressions"][0]["value"] if rows else None
    opa = OpaEngine()
    opa.add_policy("t.rego", module)
    try:
        got_opa = opa.eval_document("t.r", {})
    except OpaUndefinedError:
        got_opa = None
    assert (got_regorus, got_opa) == (regorus_value, opa_value)
    assert got_regorus != got_opa


def test_a_run_framework_selection_gives_identical_findings(cases: list) -> None:
    """`check --framework` reaches both engines as data.llm_policy.context.frameworks (issue 16)."""
    for selection in (["eu-ai-act"], ["ru-152fz", "pci-dss"]):
        policy_set = load_policy_set(context={"today": EVALUATION_DATE, "frameworks": selection})
        divergences = compare_engines(prepared(policy_set), policy_set, cases[::15])
        assert divergences == [], f"{selection}: " + "\n".join(map(str, divergences[:20]))
