"""Generate varied, realistic llm-sourcing.yaml manifests, deterministically from a seed.

    python benchmarks/generate.py OUT_DIR --count 1000 [--seed 7]

Each manifest lands in `OUT_DIR/group-NNN/svc-NNNNN/llm-sourcing.yaml`, the layout of a monorepo,
so `llm-policy check OUT_DIR` also pays for discovery. The mix is what a platform team would see:

- every sector (open_source, cloud_api, private) and the patterns that combine them (single
  source, hybrid layered routing, fallback chains), with models, providers and licenses taken
  from the policy catalog so the rules look real facts up;
- small manifests mostly (1-4 sources), some medium (5-30) and a few large ones (100-300 sources);
- compliant and failing: about half of the well-formed manifests carry a policy problem (expired
  or missing DPA, no training opt-out, non-commercial license, state secrets in a cloud, data
  leaving its jurisdiction), and some are broken on purpose: YAML errors (LP000), schema errors
  (LP001) and dangling references (LP002).

Every manifest is labelled with the first stage that must reject it ("valid" when none does), so
tests can check the generator against the checker. Generation uses only the standard library.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional

REPO = Path(__file__).resolve().parent.parent
LABELS = ("valid", "LP000", "LP001", "LP002")
CLASSES = ["public", "internal", "confidential", "personal", "special_category", "payment", "financial", "state_secret"]
CLASS_WEIGHTS = [10, 30, 20, 20, 3, 4, 6, 2]
JURISDICTIONS = [["EU"], ["RU"], ["US"], ["DE", "FR"], ["GB"], ["NO"]]
REGION = {"EU": "EU", "RU": "RU", "US": "US", "DE": "EU", "GB": "GB", "NO": "EU"}  # where inference runs
# Cloud providers that offer each region (per the catalog), for manifests meant to comply.
REGION_PROVIDERS = {
    "EU": ["openai", "azure-openai", "aws-bedrock", "google-vertex", "mistral"],
    "RU": ["yandex", "gigachat", "sbercloud"],
    "US": ["openai", "azure-openai", "anthropic", "aws-bedrock", "google-vertex"],
    "GB": ["openai"],
}
CLOUD_MODELS = {
    "openai": ["gpt-4o", "gpt-4o-mini", "o3-mini", "gpt-4.1"],
    "azure-openai": ["gpt-4o", "gpt-4o-mini"],
    "anthropic": ["claude-sonnet-4", "claude-3-5-haiku"],
    "google-vertex": ["gemini-2.5-pro", "gemini-2.0-flash"],
    "google-gemini": ["gemini-2.5-flash"],
    "aws-bedrock": ["anthropic.claude-3-5-sonnet", "meta.llama3-1-70b-instruct"],
    "mistral": ["mistral-large-latest", "codestral-latest"],
    "yandex": ["yandexgpt-pro", "yandexgpt-lite"],
    "gigachat": ["GigaChat-Pro", "GigaChat-Max"],
    "sbercloud": ["Qwen/Qwen2.5-72B-Instruct"],
    "mts-ai": ["cotype-pro"],
}
PRIVATE_PROVIDERS = ["nvidia-nim", "yandex-private", "mts-ai", "sbercloud"]
FALLBACK_MODELS = [
    ("Qwen/Qwen2.5-7B-Instruct", "Apache-2.0"),
    ("meta-llama/Llama-3.1-8B-Instruct", "llama3.1-community"),
    ("mistralai/Mistral-7B-Instruct-v0.3", "Apache-2.0"),
    ("bigcode/starcoder2-15b", "bigcode-openrail-m"),
]
SPECIALIZATIONS = ["general", "code", "vision", "math", "edge", "reasoning", "rag"]
HEADER = "# yaml-language-server: $schema=https://raw.githubusercontent.com/llm-policy/llm-policy/main/schemas/llm-sourcing.schema.json\n"


def _catalog_models() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(Hugging Face repo id, license) pairs from the policy catalog, so rules look real facts up:
    all of them, and those under a permissive license without usage caps (for compliant manifests)."""
    try:
        catalog = json.loads((REPO / "policies" / "data" / "catalog.json").read_text(encoding="utf-8"))["llm_policy"]["catalog"]
    except (OSError, KeyError, ValueError):
        return FALLBACK_MODELS, FALLBACK_MODELS[:1]
    models = [(m["repo"], m["license"]) for _, m in sorted(catalog["models"].items()) if m.get("repo") and m.get("license")]
    safe = [(repo, lic) for repo, lic in models if lic.lower() in ("apache-2.0", "mit")]
    return (models or FALLBACK_MODELS), (safe or FALLBACK_MODELS[:1])


@dataclass
class Manifest:
    index: int
    label: str  # the first stage that must reject it: "valid", "LP000", "LP001" or "LP002"
    intent: str  # "compliant" or the policy problem built in (informational: rules decide)
    sources: int
    text: str

    @property
    def relpath(self) -> str:
        return f"group-{self.index // 100:03d}/svc-{self.index:05d}/llm-sourcing.yaml"


class Generator:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.models, self.safe_models = _catalog_models()

    def manifest(self, index: int) -> Manifest:
        rnd = random.Random(f"{self.seed}:{index}")  # each manifest on its own: any subset is reproducible
        roll = rnd.random()
        label = "valid" if roll < 0.80 else "LP001" if roll < 0.90 else "LP002" if roll < 0.95 else "LP000"
        size_roll = rnd.random()
        if size_roll < 0.005:
            count = rnd.randint(100, 300)
        elif size_roll < 0.08:
            count = rnd.randint(5, 30)
        else:
            count = rnd.choices([1, 2, 3, 4], weights=[40, 30, 20, 10])[0]
        intent = "compliant" if label != "valid" or rnd.random() < 0.5 else rnd.choice(
            ["dpa-expired", "dpa-missing", "no-training-opt-out", "non-commercial-license", "state-secret-in-cloud",
             "residency", "no-fallback", "any-model"]
        )
        doc = self._document(rnd, index, count, intent)
        text = _render(doc, rnd)
        if label != "valid":
            text = _break(text, doc, label, rnd)
        return Manifest(index, label, intent, count, text)

    def _document(self, rnd: random.Random, index: int, count: int, intent: str) -> dict[str, Any]:
        """A manifest that follows the built-in rules, then the one problem `intent` names."""
        jurisdictions = rnd.choice(JURISDICTIONS)
        region = REGION[jurisdictions[0]]
        classes = sorted(set(rnd.choices(CLASSES[:4], weights=CLASS_WEIGHTS[:4], k=rnd.randint(1, 3))), key=CLASSES.index)
        if intent == "state-secret-in-cloud":
            classes.append("state_secret")
        if intent in ("residency", "dpa-missing", "no-training-opt-out") and "personal" not in classes:
            classes.append("personal")
        if count == 1:  # a lone cloud API has no fallback (LP301): mostly self-hosted or private
            sectors = [rnd.choices(["open_source", "private", "cloud_api"], weights=[45, 40, 15])[0]]
        else:  # hybrid: clouds fall back to self-hosted models
            sectors = ["open_source"] + rnd.choices(["open_source", "cloud_api", "private"], weights=[40, 40, 20], k=count - 1)
            rnd.shuffle(sectors)
        if intent in ("dpa-expired", "dpa-missing", "no-training-opt-out", "residency", "state-secret-in-cloud") and "cloud_api" not in sectors:
            sectors[0] = "cloud_api"
        if intent == "non-commercial-license" and "open_source" not in sectors:
            sectors[0] = "open_source"
        sources = []
        problem_placed = False
        for i, sector in enumerate(sectors):
            own = intent if not problem_placed and _fits(intent, sector) else "compliant"
            problem_placed = problem_placed or own != "compliant"
            sources.append(self._source(rnd, i, sector, classes, region, own))
        self_hosted = any(s["sector"] == "open_source" for s in sources)
        project: dict[str, Any] = {
            "name": f"svc-{index:05d}",
            "owner": f"team-{index % 97:02d}@example.com",
            "description": rnd.choice(["Support assistant", "Internal search", "Code review bot", "Document summaries", "Sales email drafts"]),
            "customer_facing": rnd.random() < 0.4,
            "commercial": True if intent == "non-commercial-license" else rnd.random() < 0.9,
            "jurisdictions": jurisdictions,
            "monthly_active_users": rnd.choice([500, 3000, 40000, 250000, 2_000_000]),
            "requests_per_hour": rnd.choice([20, 200, 600]),
            "mlops_team": self_hosted or rnd.random() < 0.3,
        }
        if set(jurisdictions) & {"EU", "DE", "FR"}:  # the EU AI Act applies (LP701, LP702; issue 16)
            project["ai_act"] = {"role": "deployer", "risk": "limited" if project["customer_facing"] else "minimal"}
            if project["customer_facing"]:
                project["ai_act"]["transparency_notice"] = "UX-1 AI disclosure"
        ids = [s["id"] for s in sources]
        routing: dict[str, Any] = {"strategy": "single" if count == 1 else rnd.choice(["layered", "fallback"])}
        routing["routes"] = [{"name": "all" if count == 1 else "default", "to": ids[0]}]
        routing["routes"] += [{"name": f"class-{k}", "to": ids[k]} for k in range(1, min(count, 6))]
        backup = next((s["id"] for s in sources if s["sector"] == "open_source"), None)
        fallbacks = [
            {"from": s["id"], "to": [backup]}
            for s in sources if s["sector"] == "cloud_api" and backup and not (intent == "no-fallback" and s is sources[0])
        ]
        if fallbacks:
            routing["fallbacks"] = fallbacks
        return {"apiVersion": "llm-policy/v1", "project": project, "data": {"classes": classes}, "sources": sources, "routing": routing}

    def _source(self, rnd: random.Random, i: int, sector: str, classes: list[str], region: str, intent: str) -> dict[str, Any]:
        source: dict[str, Any] = {"id": f"{sector.replace('_', '-')}-{i}", "sector": sector}
        if sector == "cloud_api":
            provider = rnd.choice(REGION_PROVIDERS[region])
            if intent == "residency":
                provider, region = "openai", ("US" if region != "US" else "EU")
            source.update(provider=provider, model=rnd.choice(CLOUD_MODELS[provider]), hosting="provider", region=region)
            if intent != "dpa-missing":
                signed = f"{rnd.randint(2023, 2026)}-{rnd.randint(1, 10):02d}-{rnd.randint(1, 28):02d}"
                dpa: dict[str, Any] = {"reference": f"DPA-{rnd.randint(1000, 9999)}", "signed": signed}
                dpa["expires"] = "2026-01-31" if intent == "dpa-expired" else f"{rnd.randint(2028, 2030)}-{rnd.randint(1, 12):02d}-28"
                dpa["training_opt_out"] = intent != "no-training-opt-out"
                dpa["zero_retention"] = rnd.random() < 0.3
                if region == "EU" and rnd.random() < 0.5:
                    dpa["transfer_mechanism"] = "EU SCCs (Modules 2 and 3)"
                source["dpa"] = dpa
        else:
            model, license_id = rnd.choice(self.models if intent == "any-model" else self.safe_models)
            if intent == "non-commercial-license":
                model, license_id = "CohereForAI/c4ai-command-r-v01", "cc-by-nc-4.0"
            source.update(model=model, license=license_id)
            if sector == "private":
                source["provider"] = rnd.choice(["nvidia-nim", "yandex-private"])
            source["hosting"] = "on_prem"
            source["region"] = region
        source["specialization"] = rnd.choice(SPECIALIZATIONS)
        if len(classes) > 1 and rnd.random() < 0.3:
            source["data_classes"] = classes[: rnd.randint(1, len(classes))]
        if rnd.random() < 0.3:
            source["notes"] = rnd.choice(["Chosen after the Q3 review.", "See ticket AI-1234 for the approval.", "Backup for peak hours."])
        return source


def _fits(intent: str, sector: str) -> bool:
    """Whether a source of `sector` can carry the problem `intent` names."""
    if intent in ("non-commercial-license", "any-model"):
        return sector == "open_source"
    return intent != "compliant" and sector == "cloud_api"


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if text[:1] in "!&*?|>'\"%@`#-[]{},:" or ": " in text or " #" in text or text in ("yes", "no", "on", "off", "null", "true", "false"):
        return json.dumps(text)
    return text


def _render(doc: dict[str, Any], rnd: random.Random) -> str:
    """Block YAML as people write it: comments, flow lists for short lists, inline route maps."""
    out = [HEADER, f"# {doc['project']['description']}: {len(doc['sources'])} source(s).\n", f"apiVersion: {doc['apiVersion']}\n", "project:\n"]
    for key, value in doc["project"].items():
        if isinstance(value, dict):  # ai_act: a flow mapping
            out.append(f"  {key}: {{{', '.join(f'{k}: {_scalar(v)}' for k, v in value.items())}}}\n")
        else:
            out.append(f"  {key}: [{', '.join(value)}]\n" if isinstance(value, list) else f"  {key}: {_scalar(value)}\n")
    out.append("data:\n")
    out.append(f"  classes: [{', '.join(doc['data']['classes'])}]\n")
    out.append("sources:\n")
    for source in doc["sources"]:
        first = True
        for key, value in source.items():
            lead = "  - " if first else "    "
            first = False
            if key == "dpa":
                out.append(f"{lead}dpa:\n")
                out.extend(f"      {k}: {_scalar(v)}\n" for k, v in value.items())
            elif isinstance(value, list):
                out.append(f"{lead}{key}: [{', '.join(value)}]\n")
            else:
                out.append(f"{lead}{key}: {_scalar(value)}\n")
    routing = doc["routing"]
    out.append(f"routing:\n  strategy: {routing['strategy']}\n  routes:\n")
    out.extend(f"    - {{name: {r['name']}, to: {r['to']}}}\n" for r in routing["routes"])
    if routing.get("fallbacks"):
        out.append("  fallbacks:\n")
        for fallback in routing["fallbacks"]:
            if rnd.random() < 0.5:
                out.append(f"    - {{from: {fallback['from']}, to: [{', '.join(fallback['to'])}]}}\n")
            else:
                out.append(f"    - from: {fallback['from']}\n      to:\n")
                out.extend(f"        - {t}\n" for t in fallback["to"])
    return "".join(out)


def _break(text: str, doc: dict[str, Any], label: str, rnd: random.Random) -> str:
    """Introduce exactly the kind of mistake the label names."""
    first_id = doc["sources"][0]["id"]
    if label == "LP000":
        kind = rnd.choice(["duplicate", "tab", "flow"])
        if kind == "duplicate":
            return text.replace("  owner: ", "  owner: someone@example.com\n  owner: ", 1)
        if kind == "tab":
            return text.replace("\n  owner: ", "\n\towner: ", 1)
        return text.replace("  classes: [", "  classes: [unclosed, ", 1).replace("]\nsources:", "\nsources:", 1)
    if label == "LP001":
        kind = rnd.choice(["enum", "date", "unknown", "missing"])
        if kind == "date" and "      signed: " in text:
            head, tail = text.split("      signed: ", 1)
            return head + "      signed: 2027-13-01" + tail[tail.index("\n"):]  # month 13
        if kind in ("enum", "date"):
            return text.replace(f"    sector: {doc['sources'][0]['sector']}", "    sector: cloud", 1)
        if kind == "unknown":
            return text.replace("    model: ", "    modle: ", 1)
        return text.replace(f"  owner: {doc['project']['owner']}\n", "", 1)
    kind = rnd.choice(["route", "duplicate-id", "class"])
    if kind == "route":
        return text.replace(f"    - {{name: {doc['routing']['routes'][0]['name']}, to: {first_id}}}", f"    - {{name: {doc['routing']['routes'][0]['name']}, to: missing-source}}", 1)
    if kind == "duplicate-id" and len(doc["sources"]) > 1:
        second = doc["sources"][1]["id"]
        return text.replace(f"  - id: {second}\n", f"  - id: {first_id}\n", 1)
    if kind == "class" and "data_classes" not in doc["sources"][0]:
        unused = next(c for c in reversed(CLASSES) if c not in doc["data"]["classes"])
        return text.replace(f"  - id: {first_id}\n", f"  - id: {first_id}\n    data_classes: [{unused}]\n", 1)
    route = doc["routing"]["routes"][0]
    return text.replace(f"    - {{name: {route['name']}, to: {first_id}}}", f"    - {{name: {route['name']}, to: missing-source}}", 1)


def generate(out: Path, count: int, seed: int = 7, start: int = 0) -> Iterator[tuple[Path, Manifest]]:
    """Write manifests `start`..`start+count-1` under `out`; yields (path, manifest) as it goes."""
    generator = Generator(seed)
    for index in range(start, start + count):
        manifest = generator.manifest(index)
        path = out / manifest.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(manifest.text, encoding="utf-8")
        yield path, manifest


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="directory to write the manifests into")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    labels = dict.fromkeys(LABELS, 0)
    for _, manifest in generate(args.out, args.count, args.seed):
        labels[manifest.label] += 1
    print(f"wrote {args.count} manifests under {args.out}: " + ", ".join(f"{k} {v}" for k, v in labels.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
