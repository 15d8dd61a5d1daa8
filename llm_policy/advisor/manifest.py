"""Render a recommendation as a commented `llm-sourcing.yaml`, complete except for what only a person knows.

The text is built line by line rather than dumped by a YAML library because the comments are
the point: they say why each source is there and what a human still has to supply. Every value
is quoted whenever plain YAML could read it as something else.

What `init` was not told, it does not write as a fact. An owner it was not given is a TODO marker,
which `check` reports as LP003 until a person replaces it. A DPA is a contract nobody described
to it: the `dpa` block of a cloud source is written commented out, with a TODO reference and date
templates, and no `signed` date or contractual term (`training_opt_out`, `zero_retention`) is ever
asserted. Until a person fills it in, `check` reports the missing DPA (LP102/LP105) wherever the
data needs one, so a generated manifest fails the gate until it tells the truth.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from typing import Any, Optional

from llm_policy.advisor.decide import Recommendation
from llm_policy.advisor.tree import choices

SCHEMA_URL = "https://raw.githubusercontent.com/llm-policy/llm-policy/main/schemas/llm-sourcing.schema.json"
MODELINE = f"# yaml-language-server: $schema={SCHEMA_URL}"
API_VERSION = "llm-policy/v1"
WIDTH = 100

PERSONAL = ("personal", "special_category")
RKN_TODO = "TODO: Roskomnadzor registry number or notification reference (152-FZ Art. 22)"
ATTESTATION_TODO = "TODO: attestation of the state information system"
REGISTRY_TODO = "TODO: Unified Register of Russian Software entry of the serving software"

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9._/+@-]*$")
# Words some YAML 1.1 readers turn into booleans or null (NO is Norway, not false).
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def scalar(value: Any) -> str:
    """One YAML scalar that every YAML reader parses back to `value` exactly."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def flow_list(values: list[Any]) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def _comment(text: str, indent: str = "", first: str = "", hang: str = "") -> list[str]:
    """Wrap `text` into `# ` comment lines; `first` starts the first line, `hang` indents the rest."""
    wrapped = textwrap.wrap(
        " ".join(text.split()),
        WIDTH - len(indent) - 2,
        initial_indent=first,
        subsequent_indent=hang or " " * len(first),
    )
    return [f"{indent}# {line}".rstrip() for line in wrapped] or [f"{indent}#"]


def _with_comment(line: str, comment: Optional[str]) -> str:
    return f"{line}  # {comment}" if comment else line


def _header(rec: Recommendation, today: dt.date, filename: str) -> list[str]:
    lines = [MODELINE, "#"]
    lines += _comment(f"LLM sourcing manifest, written by `llm-policy init` on {today.isoformat()}.")
    lines += _comment(f"Recommended pattern: {rec.pattern['title']} ({' + '.join(rec.sectors)}).")
    lines += _comment(rec.pattern["description"], first="  ")
    if rec.pattern.get("next_step"):
        lines += _comment(rec.pattern["next_step"], first="  ")
    lines.append("# Why:")
    for reason in rec.reasons:
        lines += _comment(f"{reason['topic']}: {reason['text']}", first=f"  {reason['step']}. ")
    for caveat in rec.caveats:
        lines += _comment(caveat, first="  ! ")
    todo = [] if rec.answers.get("owner") else ["the owner"]
    if any(source["sector"] == "cloud_api" for source in rec.sources):
        todo.append("each cloud source's DPA, from the contract")
    todo += [item for item in ("the Roskomnadzor notification", "each 152-FZ processing instruction",
                               "the attestation of the state information system", "each software register entry")
             if any(item == _GROUP.get(t) for t in person_must_supply(rec))]
    if todo:
        lines += _comment(f"Until a person supplies {' and '.join(todo)}, `llm-policy check` fails: replace every TODO "
                          f"and fill in and uncomment each dpa block, then run: llm-policy check {filename}")
    else:
        lines += _comment(f"Check it with: llm-policy check {filename}")
    return lines


def _project(rec: Recommendation, owner_todo: str) -> list[str]:
    answers = rec.answers
    owner = answers.get("owner")
    lines = ["project:", f"  name: {scalar(answers['name'])}"]
    if owner:
        lines.append(f"  owner: {scalar(owner)}")
    else:
        lines.append(_with_comment(f"  owner: {scalar(owner_todo)}", "a human must name who answers for this"))
    lines += [
        _with_comment(f"  customer_facing: {scalar(answers['customer_facing'])}", "customers see the output"
                      if answers["customer_facing"] else "only internal users see the output"),
        f"  commercial: {scalar(answers['commercial'])}",
        f"  jurisdictions: {flow_list(answers['jurisdictions'])}",
        _with_comment(f"  requests_per_hour: {scalar(answers['requests_per_hour'])}", f"{rec.facts['traffic']} traffic"),
        f"  mlops_team: {scalar(answers['team'] == 'mlops')}",
    ]
    return lines + _ai_act(answers) + _russian(answers)


def _ai_act(answers: dict[str, Any]) -> list[str]:
    """The AI Act classification when the jurisdictions imply the EU AI Act (issue 16).

    Answered (`--ai-act-role`, `--ai-act-risk`), it is written as declared; the rules then ask
    for what the class requires (LP702-LP706). Unanswered, only a person can classify the use:
    init writes a commented template and `check` reports LP701 until it is filled in."""
    if "eu-ai-act" not in _frameworks(answers):
        return []
    role, risk, area = answers.get("ai_act_role"), answers.get("ai_act_risk"), answers.get("annex_iii_area")
    header = [
        "  # EU AI Act (LP701): your role (provider or deployer) and risk class (prohibited, high, limited,",
        "  # minimal; high with annex_iii_area for an Annex III use). docs/frameworks/eu-ai-act.md",
    ]
    if role and risk:
        fields = [f"role: {scalar(role)}", f"risk: {scalar(risk)}"] + ([f"annex_iii_area: {scalar(area)}"] if area else [])
        return header + [f"  ai_act: {{{', '.join(fields)}}}  # check asks for what this class requires (LP702-LP706)"]
    notice = ', transparency_notice: "TODO: where users are told they talk to an AI (Art. 50)"' if answers["customer_facing"] else ""
    return header + [
        f'  # ai_act: {{role: {role or "deployer"}, risk: "TODO: prohibited|high|limited|minimal"{notice}}}',
    ]


_GROUP = {"rkn": "the Roskomnadzor notification", "instruction": "each 152-FZ processing instruction",
          "attestation": "the attestation of the state information system", "registry": "each software register entry"}


def person_must_supply(rec: Recommendation) -> list[str]:
    """Kinds of the regulatory facts init leaves to a person (beyond the owner and the DPAs), in
    order: `rkn`, `instruction`, `attestation`, `registry` (see `todo_items` for their wording)."""
    return [kind for kind, _ in todo_items(rec)]


def todo_items(rec: Recommendation) -> list[tuple[str, str]]:
    """(kind, what a person must supply) for the regulatory facts init cannot know."""
    answers = rec.answers
    items: list[tuple[str, str]] = []
    if needs_rkn_notification(answers) and not answers.get("rkn_notification"):
        items.append(("rkn", "the Roskomnadzor notification"))
    items += [("instruction", f"the processing instruction of {s['id']}") for s in rec.sources if entrusted(s, answers)]
    if answers.get("ru_gis_class") not in (None, "none"):
        items.append(("attestation", "the attestation of the state information system"))
    if significant_cii(answers):
        items += [("registry", f"the software register entry of {s['id']}") for s in rec.sources if s["sector"] == "open_source"]
    return items


def _frameworks(answers: dict[str, Any]) -> set[str]:
    from llm_policy.compliance.frameworks import implied_frameworks

    return implied_frameworks(list(answers["jurisdictions"]), list(answers["data_classes"]))


def needs_rkn_notification(answers: dict[str, Any]) -> bool:
    """152-FZ applies and the data is personal: the operator's Roskomnadzor notification (LP407)."""
    return "ru-152fz" in _frameworks(answers) and any(c in PERSONAL for c in answers["data_classes"])


def significant_cii(answers: dict[str, Any]) -> bool:
    return answers.get("ru_cii_category") in ("1", "2", "3")


def _russian(answers: dict[str, Any]) -> list[str]:
    """The Russian declarations (issue 16): what was answered is written; what only a person knows
    is a TODO marker (LP003) or a commented template, never a value that would pass."""
    lines: list[str] = []
    if needs_rkn_notification(answers):
        rkn = answers.get("rkn_notification") or RKN_TODO
        lines.append(_with_comment(f"  ru_152fz: {{rkn_notification: {scalar(rkn)}}}", "152-FZ Art. 22 (LP407)"))
    if "RU" not in answers["jurisdictions"]:
        return lines
    category = answers.get("ru_cii_category")
    if category is None:
        lines.append("  # ru_cii: {category: 1|2|3|none}  # 187-FZ (LP409): only if the project runs on a CII object")
    else:
        value = int(category) if category in ("1", "2", "3") else "none"
        lines.append(_with_comment(f"  ru_cii: {{category: {scalar(value)}}}", "187-FZ (LP409)"))
    gis = answers.get("ru_gis_class")
    if gis is None:
        lines.append("  # ru_gis: {protection_class: K1|K2|K3, attestation: ...}  # only for a state information system (LP410)")
    elif gis != "none":
        lines.append(_with_comment(
            f"  ru_gis: {{protection_class: {gis.upper()}, attestation: {scalar(ATTESTATION_TODO)}}}", "LP410"
        ))
    return lines


def _dpa(source: dict[str, Any]) -> list[str]:
    """The DPA as a commented template: init knows of no contract, so it asserts none."""
    settings = choices()["dpa"]
    terms = source.get("dpa_terms", [])
    lines = _comment(
        "A person must supply the DPA from the signed contract: uncomment the block, fill in every field and "
        "delete each term the contract does not grant. Until then check reports the missing DPA.",
        "    ",
    )
    lines += [
        "    # dpa:",
        f"    #   reference: {scalar(settings['reference'])}",
        "    #   signed: YYYY-MM-DD  # the date the DPA was signed",
        "    #   expires: YYYY-MM-DD  # the date it ends; delete the line if open-ended",
        "    #   training_opt_out: true  # only if the contract forbids training on your data",
        "    #   zero_retention: true  # "
        + ("required for special-category data: only if the provider contractually keeps nothing"
           if "zero_retention" in terms else "only if the provider contractually keeps nothing"),
        "    #   retention_days: 0  # days the provider keeps prompts and outputs, abuse monitoring included (LP106):"
        " 0 with zero_retention, else the contract's period",
    ]
    return lines


def _stores(answers: dict[str, Any]) -> list[str]:
    """A commented `stores` template when GDPR or 152-FZ applies to personal data (issue 16): prompt
    logs and vector stores are databases of that data with a residency and retention of their own
    (LP107, LP108), and only a person knows where the project keeps them."""
    from llm_policy.compliance.frameworks import implied_by_jurisdictions

    personal = {"personal", "special_category"} & set(answers["data_classes"])
    if not personal or not {"gdpr", "ru-152fz"} & set(implied_by_jurisdictions(list(answers["jurisdictions"]))):
        return []
    lines = [""]
    lines += _comment(
        "Prompt and response logs, vector stores and caches keep copies of personal data: declare each with "
        "where it is and how long it keeps entries (LP107, LP108), and name it in the sources' `stores`. "
        "docs/frameworks/gdpr.md, docs/frameworks/ru-152fz.md"
    )
    lines += [
        "# stores:",
        "#   - id: prompt-log",
        "#     kind: prompt_log  # prompt_log, response_log, vector_store or cache",
        "#     region: TODO  # where it is stored (ISO code or EU)",
        "#     retention_days: 30  # when entries are deleted",
    ]
    return lines


def entrusted(source: dict[str, Any], answers: dict[str, Any]) -> bool:
    """A cloud source that receives personal data of a 152-FZ project: it needs the operator's
    processing instruction (LP408), which only a person can copy from the contract."""
    return (
        source["sector"] == "cloud_api"
        and needs_rkn_notification(answers)
        and any(c in PERSONAL for c in source["data_classes"])
    )


def _instruction() -> list[str]:
    """The 152-FZ Art. 6(3) instruction as a commented template, like the DPA: nothing asserted."""
    lines = _comment(
        "152-FZ Art. 6(3) (LP408): the operator's processing instruction to the provider, from the contract: "
        "uncomment, fill in, and list only the clauses the document contains.",
        "    ",
    )
    return lines + [
        "    # processing_instruction:",
        '    #   reference: "TODO: instruction reference (e.g. the contract annex)"',
        "    #   signed: YYYY-MM-DD",
        "    #   content: [data_list, actions, purposes, confidentiality, security_measures, compliance_evidence, incident_notification]",
    ]


def _source(source: dict[str, Any], answers: Optional[dict[str, Any]] = None) -> list[str]:
    lines = _comment(source["why"], "  ")
    lines.append(f"  - id: {scalar(source['id'])}")
    lines.append(f"    sector: {scalar(source['sector'])}")
    if source.get("provider"):
        lines.append(f"    provider: {scalar(source['provider'])}")
    lines.append(f"    model: {scalar(source['model'])}")
    if source.get("license"):
        lines.append(f"    license: {scalar(source['license'])}")
    hosting_note = choices()["open_hosting"]["why"] if source["hosting"] == "own_cloud" else None
    lines.append(_with_comment(f"    hosting: {scalar(source['hosting'])}", hosting_note))
    lines.append(f"    region: {scalar(source['region'])}")
    lines.append(f"    specialization: {scalar(source['specialization'])}")
    lines.append(f"    data_classes: {flow_list(source['data_classes'])}")
    if source["sector"] == "cloud_api":
        lines += _dpa(source)
    if answers is not None and entrusted(source, answers):
        lines += _instruction()
    if answers is not None and answers.get("ru_gis_class") not in (None, "none") and source["sector"] == "cloud_api":
        lines.append(f"    # certification: {{reference: \"TODO: attestation of the provider's infrastructure\", "
                     f"protection_class: {answers['ru_gis_class'].upper()}}}  # LP410")
    if answers is not None and significant_cii(answers) and source["sector"] == "open_source":
        lines.append(_with_comment(f"    ru_software_registry: {scalar(REGISTRY_TODO)}", "LP409"))
    return lines


def _routing(rec: Recommendation) -> list[str]:
    routing = rec.routing
    lines = ["routing:", f"  strategy: {scalar(routing['strategy'])}"]
    if routing["routes"]:
        lines.append("  routes:")
        for route in routing["routes"]:
            lines.append(f"    - name: {scalar(route['name'])}")
            lines.append(f"      to: {scalar(route['to'])}")
            if route.get("description"):
                lines.append(f"      description: {scalar(route['description'])}")
    if routing["fallbacks"]:
        lines.append("  fallbacks:")
        for fallback in routing["fallbacks"]:
            lines.append(f"    - from: {scalar(fallback['from'])}")
            lines.append(f"      to: {flow_list(fallback['to'])}")
    return lines


def render_manifest(rec: Recommendation, *, today: dt.date, filename: str = "llm-sourcing.yaml") -> str:
    """The complete manifest text for `rec` (requires the init answers: name, owner, commercial)."""
    catalog = choices()
    lines = _header(rec, today, filename)
    lines += ["", f"apiVersion: {API_VERSION}", ""]
    lines += _project(rec, catalog["owner_todo"])
    lines += ["", "data:", f"  classes: {flow_list(rec.answers['data_classes'])}", "", "sources:"]
    for source in rec.sources:
        lines += _source(source, rec.answers)
    lines.append("")
    lines += _routing(rec)
    lines += _stores(rec.answers)
    return "\n".join(lines) + "\n"
