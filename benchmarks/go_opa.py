"""Go OPA in-process: the same pack, data and manifests evaluated by real OPA (Go) instead of regorus.

    python benchmarks/go_opa.py [--count 100] [--passes 3] [--json]

No registry this project can reach ships an `opa` binary, but OPA itself is installable as a
library: opa-golib-python-bindings (the CI installs it for the conformance tests) embeds OPA's Go
packages in a shared library and keeps a prepared query per document path. This is the Go OPA
baseline issue 17 asks for wherever the binary is missing, measured two ways:

- cold (`benchmarks/run.py` times it beside `llm-policy check`): a fresh Python process that loads
  OPA, adds the exported pack and data, and evaluates one manifest (already JSON) for every root:
  what a pre-commit hook built on OPA-as-a-library would pay, interpreter start included;
- per manifest (this script, run as its own process so the Go runtime never shares the benchmark's
  process): CPU time per evaluation after preparation, both engines behind llm-policy's `Engine`
  interface on the same small, schema-valid manifests, interleaved passes, medians. Both answers
  must agree; a disagreement is counted and reported, never averaged away.

The exported pack is exactly what `llm-policy check` evaluates: every module of the built-in
policy set and its data, with the evaluation date in `data.llm_policy.context`.
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

# A fresh process: import the bindings, add the exported modules and data, evaluate every root once.
COLD_SCRIPT = """
import json, sys
from pathlib import Path
from opa_bindings import OpaEngine, OpaUndefinedError
pack = Path(sys.argv[1])
engine = OpaEngine()
for path in sorted((pack / "modules").glob("*.rego")):
    engine.add_policy(path.name, path.read_text(encoding="utf-8"))
engine.add_data(json.loads((pack / "data.json").read_text(encoding="utf-8")))
document = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
for root in json.loads((pack / "roots.json").read_text(encoding="utf-8")):
    try:
        engine.eval_document(root, document)
    except OpaUndefinedError:
        pass
"""


def version() -> Optional[str]:
    """`OPA v1.x.y via opa-golib-python-bindings N` when the bindings import, else None.

    The bindings do not report which OPA they embed; the Go module path compiled into the library
    (`open-policy-agent/opa@v1.20.2`) does.
    """
    try:
        import importlib.metadata

        import opa_bindings
    except ImportError:
        return None
    embedded = "an unknown version"
    library = Path(opa_bindings.__file__).parent / "libopabridge.so"
    try:
        found = re.search(rb"open-policy-agent/opa@(v\d+\.\d+\.\d+)", library.read_bytes())
        if found:
            embedded = found.group(1).decode()
    except OSError:
        pass
    return f"OPA {embedded} (Go) in-process, opa-golib-python-bindings {importlib.metadata.version('opa-golib-python-bindings')}"


def export_pack(directory: Path, date: str) -> Path:
    """Write the built-in policy set as the cold script reads it: modules/, data.json, roots.json."""
    from llm_policy.policy import load_policy_set

    policy_set = load_policy_set(context={"today": date})
    modules = directory / "modules"
    modules.mkdir(parents=True, exist_ok=True)
    for index, module in enumerate(policy_set.modules):
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", module.path.rsplit("/", 1)[-1])
        (modules / f"{index:03d}-{name}").write_text(module.text, encoding="utf-8")
    (directory / "data.json").write_text(json.dumps(policy_set.data), encoding="utf-8")
    (directory / "roots.json").write_text(json.dumps(policy_set.roots), encoding="utf-8")
    return directory


def cold_argv(pack: Path, document: Path) -> list[str]:
    return [sys.executable, "-c", COLD_SCRIPT, str(pack), str(document)]


def canonical(value: Any) -> Any:
    """Sets come back as arrays in each engine's own order: compare them sorted."""
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return value


def per_manifest(count: int = 100, passes: int = 3, date: str = "2026-11-27") -> dict[str, Any]:
    """CPU per manifest of both engines on the same manifests, and how often their answers differ."""
    from rego_profile import small_manifests

    from llm_policy.engines.opa_inprocess import OpaInProcessEngine
    from llm_policy.engines.regorus_engine import RegorusEngine
    from llm_policy.policy import load_policy_set

    policy_set = load_policy_set(context={"today": date})
    docs = [json.loads(text) for text in small_manifests(count)]
    engines: dict[str, Any] = {"regorus": RegorusEngine(), "opa": OpaInProcessEngine()}
    prepare_ms: dict[str, float] = {}
    for name, engine in engines.items():
        start = time.process_time()
        engine.prepare(policy_set)
        prepare_ms[name] = (time.process_time() - start) * 1000
        engine.evaluate(docs[0])  # one-time state on both sides is not a manifest's cost
    disagreements = sum(
        canonical(engines["regorus"].evaluate(doc)) != canonical(engines["opa"].evaluate(doc)) for doc in docs
    )
    samples: dict[str, list[float]] = {name: [] for name in engines}
    for index in range(passes):
        order = list(engines.items())
        for name, engine in order if index % 2 == 0 else order[::-1]:  # interleaved, alternating: load hits both alike
            start = time.process_time()
            for doc in docs:
                engine.evaluate(doc)
            samples[name].append((time.process_time() - start) / len(docs) * 1000)
    return {
        "manifests": len(docs),
        "passes": passes,
        "prepare_ms": prepare_ms,
        "per_manifest_ms": {name: statistics.median(values) for name, values in samples.items()},
        "disagreements": disagreements,
    }


def _date(text: str) -> str:
    """An ISO date, as `llm-policy check --date` takes it: anything else would evaluate expiry rules on garbage."""
    import datetime

    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def main(argv: Optional[list[str]] = None) -> int:
    from rego_profile import add_sample_options

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_sample_options(parser, count=100)
    parser.add_argument("--date", type=_date, default="2026-11-27", help="evaluation date (default: the benchmark's)")
    parser.add_argument("--json", action="store_true", help="print JSON (what benchmarks/run.py reads)")
    args = parser.parse_args(argv)
    found = version()
    if found is None:
        print("opa-golib-python-bindings is not installed: "
              "pip install --ignore-requires-python opa-golib-python-bindings==0.4.4", file=sys.stderr)
        return 2
    result = {"version": found, **per_manifest(args.count, args.passes, args.date)}
    if args.json:
        print(json.dumps(result))
        return 1 if result["disagreements"] else 0
    own, go = result["per_manifest_ms"]["regorus"], result["per_manifest_ms"]["opa"]
    print(f"{found}\n{result['manifests']} small manifests, CPU per manifest, median of {args.passes} passes")
    print(f"  regorus {own:.2f} ms, Go OPA {go:.2f} ms (regorus / OPA: {own / go:.2f}x)")
    print(f"  prepare: regorus {result['prepare_ms']['regorus']:.0f} ms, Go OPA {result['prepare_ms']['opa']:.0f} ms")
    print(f"  answers that differ: {result['disagreements']}")
    return 1 if result["disagreements"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
