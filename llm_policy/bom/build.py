"""Build a CycloneDX 1.6 (or 1.5) ML-BOM from checked manifests with cyclonedx-python-lib.

Mapping (one BOM for all manifests given):
- each manifest's project -> an `application` component (the BOM's metadata component when there is one);
- an open-weight source (sector open_source) -> a `machine-learning-model` component: name and group
  from the Hugging Face repo id, publisher from the catalog, a `pkg:huggingface` purl, the license as
  an SPDX id where it is one, else a named license with the catalog's URL, and a minimal model card;
- a cloud API or vendor deployment (cloud_api, private) -> a `service` with its provider, a trust zone,
  `data` flows classified by the data classes it receives, and `x-trust-boundary` when data leaves
  our perimeter;
- routes and fallbacks -> the dependency graph (project -> routed sources, source -> fallback targets);
- every component and service carries `llm-policy:*` properties: sector, hosting, region, data classes,
  DPA reference and expiry.

The library has no model for `modelCard` and service `trustZone` yet (both CycloneDX 1.5+ fields); they
are added to the library's JSON output by `_extend`, and the tests validate the result against the
official schema. The manifest has no field pinning a model revision or weight hashes, so components
carry no `version`/`hashes`: a BOM states only what the manifest or the catalog knows.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any, Optional

from llm_policy.bom import catalog

SPEC_VERSIONS = ("1.6", "1.5")
PROPERTY_PREFIX = "llm-policy:"
HF_REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")
NAMESPACE = uuid.UUID("6f1c3a52-6a0e-4c55-9a55-5c1d3a3e0b1f")  # serial numbers derive from content (reproducible)
TASKS = {"code": "text-generation", "vision": "image-text-to-text", "rag": "feature-extraction"}
TRUST_ZONES = {"provider": "external: provider infrastructure", "vendor_perimeter": "internal: vendor stack inside our perimeter",
               "own_cloud": "internal: our cloud tenant", "on_prem": "internal: our data centre"}


@dataclass
class Manifest:
    """One manifest to export: its repo-relative name and its (schema-valid) data."""

    path: str
    data: dict[str, Any]


def _ref(*parts: str) -> str:
    return ":".join(re.sub(r"[^A-Za-z0-9._/@-]", "_", p) for p in parts)


def _properties(source: dict[str, Any], file: str) -> list[Any]:
    from cyclonedx.model import Property

    props = [("source-id", source.get("id")), ("manifest", file), ("sector", source.get("sector")),
             ("hosting", source.get("hosting")), ("region", source.get("region")),
             ("specialization", source.get("specialization"))]
    for data_class in source.get("_classes", []):
        props.append(("data-class", data_class))
    dpa = source.get("dpa") or {}
    props += [("dpa:reference", dpa.get("reference")), ("dpa:signed", dpa.get("signed")), ("dpa:expires", dpa.get("expires"))]
    if dpa:
        props += [("dpa:training-opt-out", str(bool(dpa.get("training_opt_out"))).lower()),
                  ("dpa:zero-retention", str(bool(dpa.get("zero_retention"))).lower())]
    return [Property(name=PROPERTY_PREFIX + k, value=str(v)) for k, v in props if v not in (None, "")]


def _license(license_id: str) -> Any:
    from cyclonedx.model import XsUri
    from cyclonedx.model.license import DisjunctiveLicense

    entry = catalog.license_entry(license_id)
    spdx = (entry or {}).get("spdx_id") or _spdx(license_id)
    url = (entry or {}).get("source")
    if spdx:
        return DisjunctiveLicense(id=spdx, url=XsUri(url) if url else None)
    return DisjunctiveLicense(name=license_id, url=XsUri(url) if url else None)


def _spdx(license_id: str) -> Optional[str]:
    """The canonical SPDX id when `license_id` is one (case-insensitively), else None."""
    from cyclonedx.spdx import fixup_id

    return fixup_id(license_id)


def _model_component(source: dict[str, Any], file: str) -> Any:
    from cyclonedx.model import ExternalReference, ExternalReferenceType, XsUri
    from cyclonedx.model.component import Component, ComponentType
    from packageurl import PackageURL

    repo = str(source["model"])
    facts = catalog.model(repo) or {}
    references = []
    if facts.get("source"):
        references.append(ExternalReference(type=ExternalReferenceType.DISTRIBUTION, url=XsUri(facts["source"])))
    purl, group, name = None, None, repo
    if HF_REPO.match(repo):  # org/name as on the Hugging Face Hub: group, name and a pkg:huggingface purl
        group, name = repo.split("/")
        purl = PackageURL(type="huggingface", namespace=group, name=name)
    return Component(
        type=ComponentType.MACHINE_LEARNING_MODEL,
        bom_ref=_ref("model", file, source["id"]),
        name=name,
        group=group,
        publisher=facts.get("vendor") or group,
        purl=purl,
        licenses=[_license(source["license"])] if source.get("license") else None,
        external_references=references,
        description=source.get("notes"),
        properties=_properties(source, file),
    )


def _service(source: dict[str, Any], file: str) -> Any:
    from cyclonedx.model import DataClassification, DataFlow, ExternalReference, ExternalReferenceType, XsUri
    from cyclonedx.model.contact import OrganizationalEntity
    from cyclonedx.model.service import Service

    provider = str(source.get("provider") or "")
    facts = catalog.provider(provider) or {}
    references = [ExternalReference(type=ExternalReferenceType.DOCUMENTATION, url=XsUri(url))
                  for url in (facts.get("sources") or [])[:3] if isinstance(url, str)]
    leaves = source.get("hosting") in (None, "provider")
    return Service(
        bom_ref=_ref("service", file, source["id"]),
        name=str(source["model"]),
        provider=OrganizationalEntity(name=provider) if provider else None,
        group=provider or None,
        description=source.get("notes"),
        x_trust_boundary=leaves,
        data=[DataClassification(flow=DataFlow.INBOUND, classification=c) for c in source.get("_classes", [])],
        external_references=references,
        properties=_properties(source, file),
    )


def _project(manifest: Manifest) -> Any:
    from cyclonedx.model import Property
    from cyclonedx.model.component import Component, ComponentType

    project = manifest.data.get("project") or {}
    props = [("manifest", manifest.path), ("owner", project.get("owner")),
             ("customer-facing", str(bool(project.get("customer_facing"))).lower()),
             ("commercial", str(bool(project.get("commercial", True))).lower())]
    props += [("jurisdiction", j) for j in project.get("jurisdictions") or []]
    props += [("data-class", c) for c in (manifest.data.get("data") or {}).get("classes") or []]
    return Component(
        type=ComponentType.APPLICATION,
        bom_ref=_ref("project", manifest.path),
        name=str(project.get("name") or manifest.path),
        description=project.get("description"),
        properties=[Property(name=PROPERTY_PREFIX + k, value=str(v)) for k, v in props if v not in (None, "")],
    )


def build(manifests: list[Manifest], spec_version: str = "1.6", timestamp: Optional[dt.datetime] = None) -> dict[str, Any]:
    """The BOM as a JSON-ready dict (library output plus the fields the library cannot express)."""
    from cyclonedx.model.bom import Bom, BomMetaData
    from cyclonedx.model.component import Component, ComponentType
    from cyclonedx.model.tool import ToolRepository
    from cyclonedx.output.json import JsonV1Dot5, JsonV1Dot6

    from llm_policy import __version__

    if spec_version not in SPEC_VERSIONS:
        raise ValueError(f"unsupported CycloneDX version {spec_version!r} (choose from {', '.join(SPEC_VERSIONS)})")
    bom = Bom(serial_number=uuid.uuid5(NAMESPACE, json.dumps([[m.path, m.data] for m in manifests], sort_keys=True, default=str)),
              metadata=BomMetaData(tools=ToolRepository(components=[Component(  # 1.5+: tools are components
                  type=ComponentType.APPLICATION, name="llm-policy", version=__version__, bom_ref="tool:llm-policy")]),
                                   timestamp=timestamp))
    extras: dict[str, dict[str, Any]] = {}  # bom-ref -> fields the library does not model
    for manifest in manifests:
        data = manifest.data
        project = _project(manifest)
        if len(manifests) == 1:
            bom.metadata.component = project
        else:
            bom.components.add(project)
        declared = list((data.get("data") or {}).get("classes") or [])
        nodes: dict[str, Any] = {}
        routes = (data.get("routing") or {}).get("routes") or []
        for source in data.get("sources") or []:
            source = {**source, "_classes": list(source.get("data_classes") or declared)}
            if source.get("sector") == "open_source":
                node = _model_component(source, manifest.path)
                bom.components.add(node)
                extras[str(node.bom_ref)] = {"modelCard": _model_card(source, routes)}
            else:
                node = _service(source, manifest.path)
                bom.services.add(node)
                extras[str(node.bom_ref)] = {"trustZone": TRUST_ZONES.get(source.get("hosting") or "provider", "external")}
            nodes[source["id"]] = node
        routed = [nodes[r["to"]] for r in routes if r.get("to") in nodes]
        bom.register_dependency(project, list(dict.fromkeys(routed or nodes.values())))
        for fallback in (data.get("routing") or {}).get("fallbacks") or []:
            origin = nodes.get(fallback.get("from"))
            targets = [nodes[t] for t in fallback.get("to") or [] if t in nodes]
            if origin is not None and targets:
                bom.register_dependency(origin, targets)
        for node in nodes.values():
            bom.register_dependency(node, [])  # every node appears in the graph, leaves included
    outputter = (JsonV1Dot6 if spec_version == "1.6" else JsonV1Dot5)(bom)
    document = json.loads(outputter.output_as_string())
    return _extend(document, extras)


def _model_card(source: dict[str, Any], routes: list[dict[str, Any]]) -> dict[str, Any]:
    """A minimal model card: the task and text in/out, and the use cases the routes name."""
    card: dict[str, Any] = {"modelParameters": {"task": TASKS.get(source.get("specialization") or "", "text-generation"),
                                                "inputs": [{"format": "text"}], "outputs": [{"format": "text"}]}}
    uses = [str(r.get("description") or r.get("name")) for r in routes if r.get("to") == source.get("id")]
    if uses:
        card["considerations"] = {"useCases": uses}
    return card


def _extend(document: dict[str, Any], extras: dict[str, dict[str, Any]]) -> dict[str, Any]:
    for item in [*document.get("components", []), *document.get("services", [])]:
        item.update(extras.get(item.get("bom-ref", ""), {}))
    return document
