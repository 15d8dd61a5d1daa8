"""Walk the decision tree: answers in, a recommendation out (sectors, pattern, reasons, sources, table).

Everything that is a judgement lives in `decision_tree.json` and `choices.json`; this module only
derives the facts the tables are keyed on (traffic tier, residency, the compliance profile),
picks the first matching row of each table and fills the templates. `recommend` prints the
result; `init` renders its `sources` and `routing` as a manifest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from llm_policy.advisor.tree import all_question_ids, choices, condition_facts, decision_tree, first_match, matches

SCORE_MIN, SCORE_MAX = 1, 5
PERSONAL_CLASSES = ("personal", "special_category")


@dataclass
class Recommendation:
    """The outcome of one walk through the tree; `to_dict()` is the `--format json` document."""

    answers: dict[str, Any]
    facts: dict[str, Any]
    profile: dict[str, Any]
    pattern: dict[str, Any]
    reasons: list[dict[str, Any]]
    caveats: list[str]
    sources: list[dict[str, Any]]
    routing: dict[str, Any]
    evaluation: list[dict[str, Any]]
    cloud_terms: list[str] = field(default_factory=list)

    @property
    def sectors(self) -> list[str]:
        return list(self.pattern["sectors"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "answers": self.answers,
            "sectors": self.sectors,
            "pattern": {
                "id": self.pattern["id"],
                "title": self.pattern["title"],
                "description": self.pattern["description"],
                "hybrid": len(self.pattern["sectors"]) > 1,
                "next_step": self.pattern.get("next_step"),
            },
            "facts": {
                key: self.facts[key]
                for key in ("profile", "residency", "region", "traffic", "cloud_allowed", "private_allowed")
            },
            "reasons": self.reasons,
            "caveats": self.caveats,
            "sources": self.sources,
            "routing": self.routing,
            "evaluation": self.evaluation,
        }


def traffic_tier(requests_per_hour: int) -> str:
    for tier in decision_tree()["traffic_tiers"]:
        if tier["below"] is None or requests_per_hour < tier["below"]:
            return str(tier["id"])
    raise LookupError("traffic_tiers must end with a tier without an upper bound")


def high_traffic_threshold() -> int:
    bounds = [t["below"] for t in decision_tree()["traffic_tiers"] if t["below"] is not None]
    return int(bounds[-1])


def residency(jurisdictions: list[str]) -> str:
    """RU wins over EU: 152-FZ localisation is the stricter rule when both apply."""
    if "RU" in jurisdictions:
        return "RU"
    eu = set(decision_tree()["eu_members"]) | {"EU"}
    if any(code in eu for code in jurisdictions):
        return "EU"
    return "other"


def _facts(answers: Mapping[str, Any]) -> dict[str, Any]:
    # A question not asked (its `when` did not hold, or a caller passed only some answers) is a
    # fact with no value, so a row conditioned on it never matches by accident.
    facts = {question_id: None for question_id in all_question_ids()}
    facts.update(answers)
    facts["traffic"] = traffic_tier(int(answers["requests_per_hour"]))
    facts["residency"] = residency(list(answers["jurisdictions"]))
    eu = set(decision_tree()["eu_members"]) | {"EU"}
    facts["gdpr"] = any(code in eu for code in answers["jurisdictions"])
    facts["fz152"] = "RU" in answers["jurisdictions"]
    facts["frameworks"] = condition_facts(answers)["frameworks"]
    other = [code for code in answers["jurisdictions"] if code not in ("RU", "EU")]
    first = other[0] if other else answers["jurisdictions"][0]
    facts["region"] = choices()["regions"][facts["residency"]].format(first_jurisdiction=first)
    return facts


def _fill(template: str, facts: Mapping[str, Any]) -> str:
    return template.format(
        classes=", ".join(facts["data_classes"]),
        jurisdictions=", ".join(facts["jurisdictions"]),
        requests_per_hour=facts["requests_per_hour"],
        high_threshold=high_traffic_threshold(),
    )


def _reasons(facts: Mapping[str, Any], profile: Mapping[str, Any], notes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    tree = decision_tree()
    steps, texts = tree["steps"], tree["reasons"]
    data_text = " ".join([_fill(profile["reason"], facts)] + [_fill(n["reason"], facts) for n in notes])
    quality_text = " ".join(
        [texts["quality"][facts["quality"]], texts["customer_facing"][str(facts["customer_facing"]).lower()]]
    )
    return [
        {
            "step": 1,
            "topic": steps["1"],
            "answers": {"data_classes": facts["data_classes"], "jurisdictions": facts["jurisdictions"]},
            "text": data_text,
        },
        {"step": 2, "topic": steps["2"], "answers": {"team": facts["team"]}, "text": texts["team"][facts["team"]]},
        {
            "step": 3,
            "topic": steps["3"],
            "answers": {"quality": facts["quality"], "customer_facing": facts["customer_facing"]},
            "text": quality_text,
        },
        {
            "step": 4,
            "topic": steps["4"],
            "answers": {"requests_per_hour": facts["requests_per_hour"], "traffic": facts["traffic"]},
            "text": _fill(texts["traffic"][facts["traffic"]], facts),
        },
    ]


def _evaluation(facts: Mapping[str, Any], profile: Mapping[str, Any], pattern: Mapping[str, Any]) -> list[dict[str, Any]]:
    table = decision_tree()["evaluation"]
    criteria = list(table["criteria"])
    rows = []
    for option, base in table["options"].items():
        scores = {criterion: int(base[criterion]) for criterion in criteria}
        notes: dict[str, list[str]] = {criterion: [] for criterion in criteria}
        for adjustment in table["adjustments"]:
            if adjustment["option"] == option and matches(adjustment, facts):
                scores[adjustment["criterion"]] += int(adjustment["delta"])
                notes[adjustment["criterion"]].append(adjustment["note"])
        scores = {key: max(SCORE_MIN, min(SCORE_MAX, value)) for key, value in scores.items()}
        sector_rule = profile["sectors"][option]
        rows.append(
            {
                "option": option,
                "label": base["label"],
                "allowed": bool(sector_rule["allowed"]),
                "condition": sector_rule.get("condition", ""),
                "recommended": option in pattern["sectors"],
                "scores": scores,
                "notes": {key: value for key, value in notes.items() if value},
            }
        )
    return rows


def _open_model(tier: str) -> dict[str, Any]:
    return choices()["open_models"][tier]


def _plan_source(spec: Mapping[str, Any], facts: Mapping[str, Any], profile: Mapping[str, Any], terms: list[str]) -> dict[str, Any]:
    """A concrete, catalog-backed source for one role of the pattern."""
    catalog = choices()
    role = catalog["roles"][spec["role"]]
    quality, place = facts["quality"], facts["residency"]
    source: dict[str, Any] = {"id": spec["id"], "sector": role["sector"], "role": spec["role"]}
    if role["sector"] == "open_source":
        model = _open_model(role["model_by_quality"][quality])
        source.update(
            model=model["model"],
            license=model["license"],
            hosting=profile.get("hosting") or catalog["open_hosting"]["default"],
            region=facts["region"],
            why=model["why"],
        )
    elif role["sector"] == "cloud_api":
        api = catalog["cloud"][place][role["cloud"]]
        source.update(
            provider=api["provider"],
            model=api["models"][quality],
            hosting="provider",
            region=api["region"],
            why=api["why"],
            dpa_terms=sorted(set(terms) | {"dpa", "training_opt_out"}),
        )
    else:
        vendor = catalog["private"][place]
        source.update(provider=vendor["provider"], hosting=vendor["hosting"], region=facts["region"], why=vendor["why"])
        if "models" in vendor:
            source["model"] = vendor["models"][quality]
        else:
            model = _open_model(vendor["open_model_by_quality"][quality])
            source.update(model=model["model"], license=model["license"])
    source["specialization"] = "general"
    source["data_classes"] = list(facts["data_classes"])
    if spec.get("route"):
        source["route"] = spec["route"]
        source["route_description"] = spec.get("route_description", "")
    return source


def recommend(answers: Mapping[str, Any]) -> Recommendation:
    """Walk the tree for one set of validated answers (see `answers.collect`)."""
    tree = decision_tree()
    facts = _facts(answers)
    profile = first_match(tree["profiles"], facts)
    facts["profile"] = profile["id"]
    facts["cloud_allowed"] = bool(profile["sectors"]["cloud_api"]["allowed"])
    facts["private_allowed"] = bool(profile["sectors"]["private"]["allowed"])
    notes = [note for note in tree["data_notes"] if matches(note, facts)]
    terms = list(profile.get("cloud_terms", []))
    for note in notes:
        terms.extend(t for t in note.get("cloud_terms", []) if t not in terms)

    pattern = dict(first_match(tree["patterns"], facts))
    facts["pattern"] = pattern["id"]
    specs = list(pattern["sources"])
    fallbacks = [dict(f) for f in pattern.get("fallbacks", [])]
    strategy = pattern["strategy"]
    extra = pattern.get("customer_facing")
    if extra and facts["customer_facing"]:
        specs += extra["sources"]
        fallbacks += [dict(f) for f in extra["fallbacks"]]
        strategy = extra["strategy"]
    sources = [_plan_source(spec, facts, profile, terms) for spec in specs]
    routing = {
        "strategy": strategy,
        "routes": [
            {"name": s["route"], "to": s["id"], "description": s["route_description"]} for s in sources if "route" in s
        ],
        "fallbacks": fallbacks,
    }
    caveats = [caveat["text"] for caveat in tree["caveats"] if matches(caveat, facts)]
    return Recommendation(
        answers=dict(answers),
        facts=facts,
        profile=profile,
        pattern=pattern,
        reasons=_reasons(facts, profile, notes),
        caveats=caveats,
        sources=sources,
        routing=routing,
        evaluation=_evaluation(facts, profile, pattern),
        cloud_terms=terms,
    )
