"""Where the built-in pack spends its evaluation time, per manifest (regorus, in-process).

    python benchmarks/rego_profile.py [--count 100] [--top 25] [--json]

regorus has no profiler and its wheel is stripped, so this measures from the outside, the way an
author changes a policy: CPU time of one query per generated small, schema-valid manifest, minus
the cost of the trivial query `1` (setting the input and starting an evaluation), median of a few
passes. Three views:

- the pack as the CLI evaluates it (`data.llm_policy.rules`, one query per manifest);
- each rule package's findings alone (`count(data.llm_policy.rules.lpNNN.findings)`): inclusive
  of the library rules it needs, so the numbers overlap and do not add up to the pack;
- each library rule (not function) alone (`count(data.llm_policy.lib.NAME)`), inclusive of the
  rules it depends on. Every one of these is evaluated for every manifest: a rule that reads
  `lib.x` through the package import makes regorus evaluate the whole `lib` package (see
  policies/README.md, "Performance"), so an expensive library rule is paid by every manifest even
  when no rule needs it.

`count(...)` keeps JSON serialisation of large values out of the measurement.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

from llm_policy.engines.regorus_engine import RegorusEngine  # noqa: E402
from llm_policy.load import parse_document  # noqa: E402
from llm_policy.policy import load_policy_set  # noqa: E402

# A library rule is a line at column 0 that defines a name without arguments.
_LIB_RULE = re.compile(r"^(?P<name>[a-z_][A-Za-z0-9_]*)\s*(?::=|=|contains\b|if\b|\{)", re.MULTILINE)


def small_manifests(count: int, seed: int = 7) -> list[str]:
    """JSON texts of `count` schema-valid small manifests (1-4 sources) from the benchmark generator."""
    gen = generate.Generator(seed)
    docs: list[str] = []
    index = 0
    while len(docs) < count and index < count * 20:
        m = gen.manifest(index)
        index += 1
        if m.label != "valid":
            continue
        data = parse_document(m.text, Path("bench.yaml")).data
        if 1 <= len(data.get("sources", [])) <= 4:
            docs.append(json.dumps(data))
    return docs


def per_manifest_ms(engine, docs: list[str], query: str, passes: int) -> float:
    times = []
    for _ in range(passes):
        start = time.process_time()
        for doc in docs:
            engine.set_input_json(doc)
            engine.eval_query_as_json(query)
        times.append((time.process_time() - start) / len(docs) * 1000)
    return statistics.median(times)


def library_rules(policy_set) -> list[str]:
    names: dict[str, None] = {}
    for module in policy_set.modules:
        if module.package == "llm_policy.lib" and not module.is_test:
            for match in _LIB_RULE.finditer(module.text):
                if match.group("name") not in ("package", "import", "default"):
                    names[match.group("name")] = None
    return list(names)


def measure(count: int = 100, passes: int = 3) -> dict[str, Any]:
    """The three views of the module docstring, in ms per manifest."""
    policy_set = load_policy_set(context={"today": "2026-12-01"})
    engine = RegorusEngine()
    engine.prepare(policy_set)
    raw = engine.raw
    docs = small_manifests(count)
    per_manifest_ms(raw, docs, "data.llm_policy.rules", 1)  # warm-up: regorus' one-time setup is not a query's cost
    base = per_manifest_ms(raw, docs, "1", passes)
    pack = per_manifest_ms(raw, docs, "data.llm_policy.rules", passes)
    packages = sorted({m.package for m in policy_set.modules if m.package.startswith("llm_policy.rules.") and not m.is_test})
    rules = {p.rsplit(".", 1)[1]: per_manifest_ms(raw, docs, f"count(data.{p}.findings)", passes) - base for p in packages}
    lib = {n: per_manifest_ms(raw, docs, f"count([data.llm_policy.lib.{n}])", passes) - base for n in library_rules(policy_set)}
    whole_lib = per_manifest_ms(raw, docs, "count([data.llm_policy.lib])", passes) - base
    return {
        "manifests": len(docs),
        "query_overhead_ms": base,
        "pack_ms": pack,
        "whole_lib_ms": whole_lib,
        "rules_ms": rules,
        "lib_rules_ms": lib,
    }


def markdown(result: dict[str, Any], top: int = 25) -> list[str]:
    """`measure`'s result as Markdown tables (also used by benchmarks/run.py for a missed CPU target)."""
    lines = ["| measure | ms |", "|---|---:|",
             f"| the whole pack (`data.llm_policy.rules`) | {result['pack_ms']:.2f} |",
             f"| set input + an empty query (`1`) | {result['query_overhead_ms']:.2f} |",
             f"| the whole `lib` package, beyond that | {result['whole_lib_ms']:.2f} |"]
    for title, key in (("rule package's findings", "rules_ms"), ("library rule", "lib_rules_ms")):
        rows = sorted(result[key].items(), key=lambda kv: -kv[1])[:top]
        lines += ["", f"| {title} alone (costliest {len(rows)}, inclusive, beyond the empty query) | ms |", "|---|---:|"]
        lines += [f"| `{name}` | {ms:.2f} |" for name, ms in rows]
    return lines


MAX_COUNT = 100_000  # beyond this a typo, not a measurement: generating would run for hours


def positive(text: str) -> int:
    """A count for --count/--passes/--top: a whole number from 1 to MAX_COUNT (never 0, negative or runaway)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MAX_COUNT:,}")
    return value


def add_sample_options(parser: argparse.ArgumentParser, count: int) -> None:
    """--count and --passes, as every measuring script here takes them (go_opa.py, rvm_probe.py)."""
    parser.add_argument("--count", type=positive, default=count, help=f"small manifests to evaluate (default {count})")
    parser.add_argument("--passes", type=positive, default=3, help="passes; the median is kept (default 3)")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_sample_options(parser, count=100)
    parser.add_argument("--top", type=positive, default=25, help="rows per table (default 25)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    args = parser.parse_args(argv)

    result = measure(args.count, args.passes)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{result['manifests']} small manifests; per manifest, CPU, median of {args.passes} passes\n")
    print("\n".join(markdown(result, args.top)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
