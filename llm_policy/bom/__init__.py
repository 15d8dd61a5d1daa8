"""CycloneDX ML-BOM export of manifests (`llm-policy bom`); needs the `bom` extra (cyclonedx-python-lib)."""
