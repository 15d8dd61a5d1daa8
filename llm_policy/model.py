"""The manifest contract (`apiVersion: llm-policy/v1`) as pydantic models.

This module is the single source of truth for the manifest's shape: `schemas/llm-sourcing.schema.json`
is generated from it (`python -m llm_policy.schema_gen`), and a test fails when the committed schema
is stale. The checker itself validates against the generated JSON Schema (so other languages and
IDEs see exactly what we enforce); these models give Python users a typed API
(`llm_policy.load_manifest`). pydantic is imported only here, never on the `check` path.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

from llm_policy.errors import ManifestError

__all__ = ["Manifest", "ManifestError", "load_manifest"]

# Patterns are ECMA-262 (JSON Schema's dialect): `$` is the end of the value, never before a final
# newline (llm_policy/validate/ecma.py gives them that meaning in every validation path).
ID_PATTERN = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"
JURISDICTION_PATTERN = r"^[A-Z]{2}$"
# Identifiers that rules and the catalog compare as text (provider, license, model) are printable
# ASCII without surrounding spaces, so neither a look-alike letter (Cyrillic `о` in `оpenai`) nor
# padding (`"openai "`) can make a known name unknown.
ASCII_PATTERN = r"^[\x21-\x7E]([\x20-\x7E]*[\x21-\x7E])?$"

SourceId = Annotated[str, Field(pattern=ID_PATTERN)]
Jurisdiction = Annotated[str, Field(pattern=JURISDICTION_PATTERN)]
# ASCII only, so that comparing accounts case-insensitively means the same on every engine.
ACCOUNT_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$"
# Volumes beyond these are typos, and products of larger numbers leave the integers both Rego
# engines compute exactly.
MAX_REQUESTS_PER_HOUR = 1_000_000_000
MAX_USERS = 100_000_000_000


class DataClass(str, Enum):
    """Sensitivity classes of the data a project sends to its models."""

    public = "public"
    internal = "internal"
    confidential = "confidential"
    personal = "personal"
    special_category = "special_category"
    payment = "payment"
    financial = "financial"
    state_secret = "state_secret"


class Sector(str, Enum):
    open_source = "open_source"
    cloud_api = "cloud_api"
    private = "private"


class Hosting(str, Enum):
    on_prem = "on_prem"
    own_cloud = "own_cloud"
    vendor_perimeter = "vendor_perimeter"
    provider = "provider"


class Specialization(str, Enum):
    general = "general"
    code = "code"
    vision = "vision"
    math = "math"
    edge = "edge"
    reasoning = "reasoning"
    rag = "rag"
    domain = "domain"


class Strategy(str, Enum):
    single = "single"
    layered = "layered"
    fallback = "fallback"


class Stage(str, Enum):
    """Where the project is in its life: non-production licenses allow only research and development."""

    research = "research"
    development = "development"
    pilot = "pilot"
    production = "production"


class Purpose(str, Enum):
    """What a project uses its models for. Licenses' acceptable-use policies ban some of these
    (the catalog's `licenses[id].aup_bans` use the same ids)."""

    customer_support = "customer_support"
    content_generation = "content_generation"
    code_assistance = "code_assistance"
    search = "search"
    document_processing = "document_processing"
    translation = "translation"
    data_analysis = "data_analysis"
    research = "research"
    education = "education"
    medical_advice = "medical_advice"
    legal_advice = "legal_advice"
    financial_advice = "financial_advice"
    automated_adverse_decisions = "automated_adverse_decisions"
    surveillance = "surveillance"
    law_enforcement = "law_enforcement"
    critical_infrastructure = "critical_infrastructure"
    military = "military"
    weapons = "weapons"
    espionage = "espionage"
    political_campaigning = "political_campaigning"


class Role(str, Enum):
    """What a source does in the system; a fallback must be able to do the same job."""

    chat = "chat"
    completion = "completion"
    embedding = "embedding"
    reranker = "reranker"
    moderation = "moderation"
    guard = "guard"


class Framework(str, Enum):
    """Regulatory frameworks with rules in the pack (policies/data/frameworks.json lists their controls)."""

    gdpr = "gdpr"
    eu_ai_act = "eu-ai-act"
    ru_152fz = "ru-152fz"
    ru_187fz = "ru-187fz"
    ru_gis = "ru-gis"
    pci_dss = "pci-dss"


class AiActRole(str, Enum):
    """The project's role under the EU AI Act (Art. 3(3) provider, Art. 3(4) deployer)."""

    provider = "provider"
    deployer = "deployer"


class AiActRisk(str, Enum):
    """Risk class under the EU AI Act: Art. 5 prohibited, Art. 6 high-risk, Art. 50 limited (transparency), minimal."""

    prohibited = "prohibited"
    high = "high"
    limited = "limited"
    minimal = "minimal"


class AnnexIIIArea(str, Enum):
    """The high-risk area of EU AI Act Annex III (points 1-8; 5(b) and 5(c) named on their own: they need a FRIA)."""

    biometrics = "biometrics"
    critical_infrastructure = "critical_infrastructure"
    education = "education"
    employment = "employment"
    essential_services = "essential_services"
    credit_scoring = "credit_scoring"
    insurance_pricing = "insurance_pricing"
    law_enforcement = "law_enforcement"
    migration = "migration"
    justice = "justice"


class StoreKind(str, Enum):
    """What a data store keeps: prompts, responses, embeddings of documents or prompts, or cached answers."""

    prompt_log = "prompt_log"
    response_log = "response_log"
    vector_store = "vector_store"
    cache = "cache"


class RedactionMethod(str, Enum):
    """How a redaction control transforms data before a model call (GDPR Art. 4(5), Art. 25, Art. 32)."""

    pseudonymisation = "pseudonymisation"
    anonymisation = "anonymisation"
    masking = "masking"
    tokenisation = "tokenisation"
    generalisation = "generalisation"


class _Strict(BaseModel):
    # Unknown keys are errors: a typo such as `singed:` must never pass silently.
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class Project(_Strict):
    """Who owns the decision and the facts about the product that rules depend on."""

    name: str = Field(min_length=1, description="Project or product name.")
    owner: str = Field(
        min_length=1, description="Who answers for this sourcing decision: a team mailbox or a person."
    )
    description: Optional[str] = Field(default=None, description="Free-text summary of what the models are used for.")
    customer_facing: bool = Field(
        default=False, description="Whether end customers interact with the models' output (raises availability rules to errors)."
    )
    commercial: bool = Field(default=True, description="Intended commercial use; non-commercial licenses forbid it.")
    jurisdictions: list[Jurisdiction] = Field(
        default_factory=list,
        description="Where the data subjects and the business are: ISO 3166-1 alpha-2 codes or EU. Drives residency rules (152-FZ for RU, GDPR for EU).",
        json_schema_extra={"uniqueItems": True},
    )
    frameworks: Optional[list[Framework]] = Field(
        default=None,
        min_length=1,
        description="Regulatory frameworks whose rules run: gdpr, eu-ai-act, ru-152fz, ru-187fz, ru-gis, pci-dss. Default: those the jurisdictions, data classes and declarations imply (EU members: gdpr and eu-ai-act; IS, LI, NO: gdpr; RU: ru-152fz; payment data: pci-dss; ai_act: eu-ai-act; ru_cii: ru-187fz; ru_gis: ru-gis), or every framework when they imply none. Framework-neutral rules always run (docs/frameworks/README.md).",
        json_schema_extra={"uniqueItems": True},
    )
    ai_act: Optional[AiAct] = Field(
        default=None, description="Classification under the EU AI Act; required when eu-ai-act is in scope (LP701)."
    )
    ru_152fz: Optional[Ru152fz] = Field(
        default=None,
        description="Duties of a personal-data operator under Russian 152-FZ: the Roskomnadzor notification (LP407).",
    )
    ru_cii: Optional[RuCii] = Field(
        default=None,
        description="The project runs on an object of Russian critical information infrastructure (187-FZ): its category of significance. A significant object may not use foreign software (LP409).",
    )
    ru_gis: Optional[RuGis] = Field(
        default=None,
        description="The project is (part of) a Russian state information system: its protection class and attestation (LP410).",
    )
    human_oversight: Optional[str] = Field(
        default=None,
        min_length=1,
        description="Who is assigned to oversee the model's decisions and may override them (a team mailbox or a person): GDPR Art. 22, AI Act Art. 14 and 26(2).",
    )
    monthly_active_users: Optional[int] = Field(
        default=None, ge=0, description="Expected monthly active users; some licenses cap them (Llama: 700M, Qwen: 100M)."
    )
    requests_per_hour: Optional[int] = Field(
        default=None, ge=0, description="Sustained request volume; at high volume self-hosting is usually cheaper than an API."
    )
    organisation_monthly_active_users: Optional[int] = Field(
        default=None,
        ge=0,
        le=MAX_USERS,
        description="Monthly active users of every product of the licensee and its affiliates, in the month before a model's release date: what the Llama licenses' 700M cap counts (not the project's own users).",
    )
    stage: Optional[Stage] = Field(
        default=None,
        description="research, development, pilot or production. Non-production licenses (e.g. the Mistral Non-Production License) forbid pilot and production use.",
    )
    purposes: list[Purpose] = Field(
        default_factory=list,
        description="What the models are used for; checked against the acceptable-use bans of the models' licenses.",
        json_schema_extra={"uniqueItems": True},
    )
    mlops_team: Optional[bool] = Field(
        default=None, description="Whether a team can operate self-hosted models (GPU serving, updates, monitoring)."
    )
    tickets: list[str] = Field(
        default_factory=list, description="Links or ids of the review/approval tickets behind this decision."
    )


class AiAct(_Strict):
    """The project's classification and duties under the EU AI Act (issue 16)."""

    role: AiActRole = Field(description="provider (places the system on the market under its name, or fine-tunes a general-purpose model) or deployer (uses it under its authority).")
    risk: AiActRisk = Field(description="prohibited (Art. 5), high (Art. 6 and Annex III), limited (Art. 50 transparency) or minimal.")
    annex_iii_area: Optional[AnnexIIIArea] = Field(
        default=None, description="The Annex III area of a high-risk use (credit_scoring and insurance_pricing need a FRIA, Art. 27)."
    )
    transparency_notice: Optional[str] = Field(
        default=None, min_length=1, description="Reference of how people are told they interact with an AI system, or how generated content is marked (Art. 50)."
    )
    log_retention_days: Optional[int] = Field(
        default=None, ge=0, le=36500, description="How long the automatically generated logs are kept, in days; a high-risk deployer keeps them at least six months (Art. 26(6))."
    )
    fria: Optional[str] = Field(
        default=None, min_length=1, description="Reference of the fundamental rights impact assessment (Art. 27)."
    )
    modifies_gpai: bool = Field(
        default=False, description="The project fine-tunes or substantially modifies a general-purpose AI model, which makes it that model's provider (Art. 53)."
    )
    gpai_documentation: Optional[str] = Field(
        default=None, min_length=1, description="Reference of the Art. 53 technical documentation and training-content summary of the modified model."
    )


# A reference to a document: any text with a visible character, so neither an empty value nor
# blanks pass for evidence (LP003 catches TODO markers).
REFERENCE_PATTERN = r"\S"


class Ru152fz(_Strict):
    """What a personal-data operator under Federal Law 152-FZ declares (issue 16)."""

    rkn_notification: str = Field(
        min_length=1,
        max_length=500,
        pattern=REFERENCE_PATTERN,
        description="Registry number of the operator in Roskomnadzor's register, or the reference of the notification of the intention to process personal data (152-FZ Art. 22).",
    )


class RuCii(_Strict):
    """An object of Russian critical information infrastructure (187-FZ) the project runs on."""

    category: Union[Literal[1, 2, 3], Literal["none"]] = Field(
        description="Category of significance assigned by the categorisation (1 highest, 3 lowest), or none when the object was found not significant. Significant objects may not use foreign software (Presidential Decree No. 166, LP409).",
    )
    categorisation: Optional[str] = Field(
        default=None, min_length=1, pattern=REFERENCE_PATTERN, description="Reference of the categorisation act sent to FSTEC."
    )


class GisClass(str, Enum):
    """Protection class of a state information system (FSTEC Order No. 17): K1 highest, K3 lowest."""

    k1 = "K1"
    k2 = "K2"
    k3 = "K3"


class RuGis(_Strict):
    """A Russian state information system (GIS) the project is part of."""

    protection_class: GisClass = Field(description="The system's protection class: K1, K2 or K3 (FSTEC Order No. 17).")
    attestation: Optional[str] = Field(
        default=None,
        min_length=1,
        pattern=REFERENCE_PATTERN,
        description="Reference of the attestation of the system's compliance with the protection requirements, without which it may not be put into operation (LP410).",
    )


class InstructionClause(str, Enum):
    """Clauses of a 152-FZ Art. 6(3) processing instruction (policies/data/ru_sector.json lists the required ones)."""

    data_list = "data_list"
    actions = "actions"
    purposes = "purposes"
    confidentiality = "confidentiality"
    security_measures = "security_measures"
    compliance_evidence = "compliance_evidence"
    incident_notification = "incident_notification"


class ProcessingInstruction(_Strict):
    """The operator's instruction to a processor under 152-FZ Art. 6(3) ("поручение оператора")."""

    reference: str = Field(min_length=1, pattern=REFERENCE_PATTERN, description="Contract number or document link of the instruction.")
    signed: dt.date = Field(description="Date the instruction was given or signed (ISO date, YYYY-MM-DD).")
    content: list[InstructionClause] = Field(
        default_factory=list,
        description="The clauses the instruction contains: data_list, actions, purposes, confidentiality, security_measures, compliance_evidence, incident_notification.",
        json_schema_extra={"uniqueItems": True},
    )


class Certification(_Strict):
    """Evidence that the infrastructure a source runs on meets a Russian state information system's protection class."""

    reference: str = Field(min_length=1, pattern=REFERENCE_PATTERN, description="Attestation or certificate reference (e.g. the provider's attestation of its infrastructure for GIS).")
    protection_class: GisClass = Field(description="The protection class the infrastructure is attested for: K1, K2 or K3.")


class Data(_Strict):
    """The data the project sends to models."""

    classes: list[DataClass] = Field(
        min_length=1,
        description="Every class of data that reaches any model: public, internal, confidential, personal, special_category, payment, financial, state_secret.",
        json_schema_extra={"uniqueItems": True},
    )
    notes: Optional[str] = Field(default=None, description="Free-text notes on the data (sources, minimisation, anonymisation).")


class Dpa(_Strict):
    """The data processing agreement with a provider (GDPR Art. 28; a processing instruction under 152-FZ)."""

    reference: str = Field(min_length=1, description="Contract number or document link of the DPA.")
    signed: dt.date = Field(description="Date the DPA was signed (ISO date, YYYY-MM-DD).")
    expires: Optional[dt.date] = Field(default=None, description="Date the DPA ends (ISO date); omit for open-ended agreements.")
    training_opt_out: bool = Field(
        default=False, description="The provider contractually does not train on our inputs and outputs."
    )
    zero_retention: bool = Field(
        default=False, description="The provider retains no prompts or completions (zero data retention)."
    )
    transfer_mechanism: Optional[str] = Field(
        default=None, description="Legal basis for transfers out of the data subjects' jurisdiction (e.g. EU SCCs)."
    )
    transfer_impact_assessment: Optional[str] = Field(
        default=None,
        min_length=1,
        description="Reference (document id or link) of the transfer impact assessment behind transfer_mechanism, which a transfer to a country without an adequacy decision needs.",
    )
    retention_days: Optional[int] = Field(
        default=None,
        ge=0,
        le=36500,
        description="How many days the provider keeps prompts and outputs under this agreement, abuse monitoring included (0: nothing is kept). Without it the catalog's default period for the provider applies (LP106).",
    )


class Redaction(_Strict):
    """A control that redacts or pseudonymises data before it reaches the source (issue 16, LP109)."""

    method: RedactionMethod = Field(
        description="pseudonymisation, anonymisation, masking, tokenisation or generalisation. Pseudonymised data stays personal data for whoever holds the key (GDPR Recital 26)."
    )
    removes: list[DataClass] = Field(
        min_length=1,
        description="The data classes the control takes out of what the source receives; each must be in data.classes.",
        json_schema_extra={"uniqueItems": True},
    )
    leaves: DataClass = Field(
        description="The class the redacted data has when it reaches the source (e.g. internal); must be in data.classes and not among removes."
    )
    evidence: Optional[str] = Field(
        default=None,
        min_length=1,
        description="Reference (test report, DPIA section, tool configuration) that shows the control works. Without it the control lowers nothing (LP109).",
    )


class Store(_Strict):
    """A place where prompts, responses, embeddings or cached answers are kept: a data store with a residency and retention of its own (issue 16, LP107, LP108)."""

    id: str = Field(pattern=ID_PATTERN, max_length=63, description="Unique id of this store ([a-z0-9-]), referenced by sources[].stores.")
    kind: StoreKind = Field(description="prompt_log, response_log, vector_store or cache.")
    hosting: Optional[Hosting] = Field(
        default=None,
        description="Where the store runs: on_prem, own_cloud, vendor_perimeter, or provider (a provider's service, e.g. a hosted vector store).",
    )
    provider: Optional[str] = Field(
        default=None,
        pattern=ASCII_PATTERN,
        description="Who runs the store when it is a provider's service (hosting: provider); a provider the catalog knows brings its regions as facts.",
    )
    region: Optional[str] = Field(
        default=None, pattern=JURISDICTION_PATTERN, description="Where the data is stored: ISO 3166-1 alpha-2 code or EU. Unknown with personal data fails closed (LP107)."
    )
    retention_days: Optional[int] = Field(
        default=None, ge=0, le=36500, description="How many days entries are kept before deletion (LP108)."
    )
    data_classes: Optional[list[DataClass]] = Field(
        default=None,
        description="Which of data.classes the store holds; default: every class that reaches the sources naming it (declared, taken over as a backup or escalated), before any redaction, or all of data.classes when no source names it.",
        json_schema_extra={"uniqueItems": True},
    )
    dpa: Optional[Dpa] = Field(default=None, description="Data processing agreement with whoever runs the store, where one exists (transfer_mechanism applies to it).")
    notes: Optional[str] = Field(default=None, description="Free-text notes (what is logged, who may read it).")


class Source(_Strict):
    """One model and where it comes from."""

    id: str = Field(pattern=ID_PATTERN, max_length=63, description="Unique id of this source ([a-z0-9-]), used by routing.")
    sector: Sector = Field(
        description="open_source: open weights the project hosts; cloud_api: a provider's multi-tenant API; private: a vendor deployment inside the project's perimeter."
    )
    model: str = Field(
        min_length=1, pattern=ASCII_PATTERN, description="Hugging Face repo id (org/name) or the API's model name (ASCII)."
    )
    provider: Optional[str] = Field(
        default=None,
        pattern=ASCII_PATTERN,
        description="Who provides the API or deployment (openai, azure-openai, anthropic, google-vertex, google-gemini, aws-bedrock, mistral, yandex, gigachat, nvidia-nim, sbercloud, yandex-private, mts-ai, ...). Required for cloud_api and private.",
    )
    via: Optional[str] = Field(
        default=None,
        min_length=1,
        pattern=ASCII_PATTERN,
        description="Reseller or proxy the project contracts with when it is not the provider itself; `provider` stays the upstream that runs inference, whose catalog facts (regions, 152-FZ, availability) decide.",
    )
    license: Optional[str] = Field(
        default=None,
        pattern=ASCII_PATTERN,
        description="License id of the weights (SPDX id where one exists, e.g. Apache-2.0, or a catalog id such as llama3.1-community). Required for open_source.",
    )
    hosting: Optional[Hosting] = Field(
        default=None,
        description="Where inference runs: on_prem (own data centre), own_cloud (own cloud tenant), vendor_perimeter (vendor stack inside our perimeter), provider (the provider's infrastructure).",
    )
    region: Optional[str] = Field(
        default=None, pattern=JURISDICTION_PATTERN, description="Where inference runs: ISO 3166-1 alpha-2 code or EU."
    )
    specialization: Optional[Specialization] = Field(default=None, description="What the model is for.")
    role: Optional[Role] = Field(
        default=None,
        description="The job this source does: chat (default), completion, embedding, reranker, moderation or guard. A fallback must do the same job; an embedding source falls back only to the same model.",
    )
    account: Optional[str] = Field(
        default=None,
        max_length=200,
        pattern=ACCOUNT_PATTERN,
        description="The provider or cloud account the source runs under (e.g. aws:123456789012), compared case-insensitively. Sources on one account are not independent fallbacks of each other, whatever their sector.",
    )
    data_classes: Optional[list[DataClass]] = Field(
        default=None,
        description="Which of data.classes this source receives; default: all of them. Must be a subset of data.classes.",
        json_schema_extra={"uniqueItems": True},
    )
    dpa: Optional[Dpa] = Field(default=None, description="Data processing agreement with the provider, where one exists.")
    redaction: Optional[Redaction] = Field(
        default=None,
        description="A redaction or pseudonymisation control in front of this source that lowers the data classes it receives; shown in the findings (LP109), applied only with evidence.",
    )
    stores: Optional[list[SourceId]] = Field(
        default=None,
        description="Ids of the stores (top-level stores) where this source's prompts, responses or embeddings are kept.",
        json_schema_extra={"uniqueItems": True},
    )
    processing_instruction: Optional[ProcessingInstruction] = Field(
        default=None,
        description="The operator's processing instruction under 152-FZ Art. 6(3), needed when the source processes personal data of a Russian project on the operator's behalf (LP408).",
    )
    certification: Optional[Certification] = Field(
        default=None,
        description="Attestation of the infrastructure a third party runs the source on, for a Russian state information system (LP410).",
    )
    ru_software_registry: Optional[str] = Field(
        default=None,
        min_length=1,
        pattern=REFERENCE_PATTERN,
        description="Entry in the Unified Register of Russian Software of the software that serves this open-weights model, which a significant CII object needs (LP409).",
    )
    notes: Optional[str] = Field(default=None, description="Free-text notes (why this source, contacts, ticket links).")

    model_config = ConfigDict(
        extra="forbid",
        use_enum_values=True,
        json_schema_extra={
            "allOf": [
                {
                    "if": {"properties": {"sector": {"const": "open_source"}}, "required": ["sector"]},
                    "then": {"required": ["license"]},
                },
                {
                    "if": {"properties": {"sector": {"enum": ["cloud_api", "private"]}}, "required": ["sector"]},
                    "then": {"required": ["provider"]},
                },
            ]
        },
    )

    @model_validator(mode="after")
    def _sector_requirements(self) -> "Source":
        # Mirrors the schema's allOf/if/then above; the schema is what `check` enforces.
        if self.sector == Sector.open_source.value and not self.license:
            raise ValueError("an open_source source needs a license")
        if self.sector in (Sector.cloud_api.value, Sector.private.value) and not self.provider:
            raise ValueError(f"a {self.sector} source needs a provider")
        return self


class Route(_Strict):
    name: str = Field(min_length=1, description="Name of a class of requests (e.g. simple, complex, code).")
    to: str = Field(pattern=ID_PATTERN, description="Id of the source that serves these requests.")
    description: Optional[str] = Field(default=None, description="What requests take this route.")
    specialization: Optional[Specialization] = Field(
        default=None, description="The kind of requests on this route (default: general), e.g. code for a code-completion route."
    )
    requests_per_hour: Optional[int] = Field(
        default=None,
        ge=0,
        le=MAX_REQUESTS_PER_HOUR,
        description="Sustained requests per hour on this route (give this or share_percent, not both).",
    )
    share_percent: Optional[int] = Field(
        default=None, ge=0, le=100, description="Share of project.requests_per_hour on this route, in whole percent."
    )


class Fallback(_Strict):
    from_: str = Field(alias="from", pattern=ID_PATTERN, description="Id of the source that may fail.")
    to: list[SourceId] = Field(min_length=1, description="Ordered chain of source ids to try when it fails.")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Escalation(_Strict):
    """Hard requests sent from one source to a stronger one (not an outage: see fallbacks)."""

    from_: str = Field(alias="from", pattern=ID_PATTERN, description="Id of the source that escalates.")
    to: str = Field(pattern=ID_PATTERN, description="Id of the stronger source that receives the escalated requests.")
    data_classes: Optional[list[DataClass]] = Field(
        default=None,
        description="Which data classes escalated requests may carry; default: any class that reaches the escalating source (its own, and what it receives as a fallback).",
        json_schema_extra={"uniqueItems": True},
    )
    requests_per_hour: Optional[int] = Field(
        default=None,
        ge=0,
        le=MAX_REQUESTS_PER_HOUR,
        description="Sustained escalated requests per hour (give this or share_percent, not both).",
    )
    share_percent: Optional[int] = Field(
        default=None, ge=0, le=100, description="Escalated requests as a share of project.requests_per_hour, in whole percent."
    )
    description: Optional[str] = Field(default=None, description="Which requests are escalated.")

    model_config = ConfigDict(extra="forbid", use_enum_values=True, populate_by_name=True)


class Routing(_Strict):
    """How requests are spread over sources; required in practice when there are several."""

    strategy: Strategy = Field(description="single: one source; layered: routes by request class; fallback: primary plus backups.")
    routes: list[Route] = Field(default_factory=list, description="Which source serves which class of requests.")
    fallbacks: list[Fallback] = Field(default_factory=list, description="Backup chains used when a source is unavailable (failover).")
    escalations: list[Escalation] = Field(
        default_factory=list, description="Hard requests a source passes to a stronger source (the layered pattern's escalation)."
    )


class Manifest(_Strict):
    """llm-sourcing.yaml: where each of a project's LLMs comes from, and why that is allowed."""

    api_version: Literal["llm-policy/v1"] = Field(alias="apiVersion", description="Manifest format version; exactly llm-policy/v1.")
    project: Project
    data: Data
    sources: list[Source] = Field(min_length=1, description="Every model the project uses.")
    routing: Optional[Routing] = None
    stores: list[Store] = Field(
        default_factory=list,
        description="Data stores of prompts, responses, embeddings and cached answers, each with its own region and retention (prompt logs, vector stores, caches).",
    )

    model_config = ConfigDict(
        extra="forbid",
        use_enum_values=True,
        populate_by_name=True,
        title="llm-sourcing.yaml",
        json_schema_extra={
            "$id": "https://raw.githubusercontent.com/llm-policy/llm-policy/main/schemas/llm-sourcing.schema.json",
        },
    )


def load_manifest(path: Union[str, Path]) -> Manifest:
    """Load, validate (schema + cross-references) and return the typed manifest.

    Every failure is a ManifestError carrying the path: a missing, unreadable or directory path
    (`reason` says which), located LP000-LP002 findings, or a model that disagrees with the schema.
    """
    from pydantic import ValidationError

    from llm_policy.load import LoadError
    from llm_policy.validate import validate_file

    path = Path(path)
    try:
        document, findings = validate_file(path)
    except LoadError as error:  # the file could not be read at all
        raise ManifestError([], path=str(path), reason=error.message) from None
    errors = [f for f in findings if f.severity == "error"]
    if errors or document is None:
        raise ManifestError(errors, path=str(path))
    try:
        return Manifest.model_validate(document.data)
    except ValidationError as error:  # the schema and the models are generated from one source; never silent
        raise ManifestError([], path=str(path), reason=f"does not match the typed model: {error}") from error
