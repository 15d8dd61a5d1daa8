"""Would regorus' compiled mode (RVM) make the pack fast, and does it give the same answers?

    python benchmarks/rvm_probe.py [--count 60] [--passes 3] [--json]

regorus 0.13 can compile policies into a program for its virtual machine (`regorus.Program`,
`regorus.Rvm`): serialisable, so a cold start could load the pack instead of parsing it, and
several times faster per evaluation than the tree-walking interpreter llm-policy uses. It is only
usable if it means the same thing. This probe answers both questions on the built-in pack, so the
answer can be re-checked on every regorus upgrade:

- every rule package's `findings`, gathered by one entry-point rule, compiled once; packages the
  compiler refuses (today: LP003, whose `walk` loop the RVM does not support) are left out of both
  sides and listed;
- CPU per manifest of the RVM program against the interpreter on the same modules and data, on
  small schema-valid generated manifests (median of passes);
- how many manifests get a different answer (sets compared sorted), per rule package, with the
  first difference shown. Any difference means the RVM cannot be llm-policy's engine: a verdict
  that depends on the evaluation mode is not a verdict.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

ENTRY = "data.llm_policy_rvm_probe.findings"


def _entry_module(packages: list[str]) -> str:
    """One rule holding every package's findings (regorus limits a line to 1,024 columns: one per line)."""
    rows = ",\n".join(f'\t"{p.rsplit(".", 1)[1]}": data.{p}.findings' for p in packages)
    return f"package llm_policy_rvm_probe\n\nfindings := {{\n{rows},\n}}\n"


def _without(modules: list[tuple[str, str]], packages: list[str]) -> list[tuple[str, str]]:
    return [m for m in modules if not any(f"package {p}\n" in m[1] for p in packages)]


def _compile(regorus: Any, data: str, modules: list[tuple[str, str]], packages: list[str]) -> tuple[Any, list[str]]:
    """The program over every package the compiler accepts (each tried alone), and those it refused."""
    refused: list[str] = []
    for package in packages:
        try:
            regorus.Program.compile_from_modules(data, modules, [f"data.{package}.findings"])
        except Exception:  # noqa: BLE001 - the compiler raises RuntimeError with its reason
            refused.append(package)
    kept = [p for p in packages if p not in refused]
    program = regorus.Program.compile_from_modules(data, _without(modules, refused) + [("rvm_probe.rego", _entry_module(kept))], [ENTRY])
    return program, refused


def probe(count: int = 60, passes: int = 3, date: str = "2026-11-27") -> dict[str, Any]:
    import regorus
    from go_opa import canonical
    from rego_profile import small_manifests

    from llm_policy.policy import load_policy_set

    policy_set = load_policy_set(context={"today": date})
    data = json.dumps(policy_set.data)
    modules = [(m.path, m.text) for m in policy_set.modules]
    packages = sorted({m.package for m in policy_set.modules if m.package.startswith("llm_policy.rules.")})
    start = time.process_time()
    program, refused = _compile(regorus, data, modules, packages)
    compile_ms = (time.process_time() - start) * 1000
    kept_modules = _without(modules, refused)
    kept = [p for p in packages if p not in refused]

    vm = regorus.Rvm()
    vm.load_program(program)
    vm.set_data_json(data)
    interpreter = regorus.Engine()
    for module in kept_modules + [("rvm_probe.rego", _entry_module(kept))]:
        interpreter.add_policy(*module)
    interpreter.add_data_json(data)

    def by_vm(doc: str) -> Any:
        vm.set_input_json(doc)
        return json.loads(vm.execute())

    def by_interpreter(doc: str) -> Any:
        interpreter.set_input_json(doc)
        return json.loads(interpreter.eval_query_as_json(ENTRY))["result"][0]["expressions"][0]["value"]

    docs = small_manifests(count)
    differing: dict[str, int] = {}
    first: Optional[dict[str, Any]] = None
    manifests_differing = 0
    for doc in docs:
        ours, theirs = by_interpreter(doc), by_vm(doc)
        bad = [k for k in ours if canonical(ours[k]) != canonical(theirs.get(k))] if isinstance(theirs, dict) else list(ours)
        manifests_differing += bool(bad)
        for k in bad:
            differing[k] = differing.get(k, 0) + 1
            if first is None:
                first = {"package": k, "interpreter": ours[k], "rvm": theirs.get(k) if isinstance(theirs, dict) else theirs}
    samples: dict[str, list[float]] = {"interpreter": [], "rvm": []}
    for index in range(passes):
        order = [("interpreter", by_interpreter), ("rvm", by_vm)]
        for name, run in order if index % 2 == 0 else order[::-1]:
            start = time.process_time()
            for doc in docs:
                run(doc)
            samples[name].append((time.process_time() - start) / len(docs) * 1000)
    return {
        "regorus": _version("regorus"),
        "manifests": len(docs),
        "passes": passes,
        "refused": [p.rsplit(".", 1)[1] for p in refused],
        "compile_ms": compile_ms,
        "per_manifest_ms": {name: statistics.median(values) for name, values in samples.items()},
        "manifests_differing": manifests_differing,
        "differing_by_package": dict(sorted(differing.items(), key=lambda kv: -kv[1])),
        "first_difference": first,
    }


def _version(distribution: str) -> str:
    import importlib.metadata

    for name in (distribution, "gordon-to-regorus"):
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "unknown"


def summary(result: dict[str, Any]) -> list[str]:
    """Markdown lines (also used by benchmarks/run.py beside a missed CPU target)."""
    own, vm = result["per_manifest_ms"]["interpreter"], result["per_manifest_ms"]["rvm"]
    lines = [f"regorus' compiled mode (RVM, `benchmarks/rvm_probe.py`, regorus {result['regorus']}, {result['manifests']} small "
             f"manifests, CPU per manifest): interpreter {own:.2f} ms, RVM {vm:.2f} ms ({own / vm:.1f}x faster), "
             f"without {', '.join(result['refused']) or 'no package'} (refused by the compiler)."]
    if result["manifests_differing"]:
        by_package = ", ".join(f"{k} {n}" for k, n in result["differing_by_package"].items())
        lines.append(f"It is not used: its answers differ on {result['manifests_differing']} of {result['manifests']} manifests "
                     f"({by_package}); a verdict that depends on the evaluation mode is not a verdict.")
    else:
        lines.append(f"Its answers agreed on all {result['manifests']} manifests: worth a full differential run before adopting it.")
    return lines


def main(argv: Optional[list[str]] = None) -> int:
    from rego_profile import add_sample_options

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_sample_options(parser, count=60)
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    result = probe(args.count, args.passes)
    if args.json:
        print(json.dumps(result, default=str))
    else:
        print("\n".join(summary(result)))
        if result["first_difference"]:
            print("first difference:", json.dumps(result["first_difference"], default=str)[:1000])
    return 1 if result["manifests_differing"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
