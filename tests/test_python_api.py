"""The Python API as the README documents it (issue 14, item 11).

`from llm_policy import ManifestError` works without importing pydantic, and `load_manifest()`
raises ManifestError carrying the path for every failure: missing, unreadable or a directory (a
`reason`, no findings), or invalid (the located findings).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, MINIMAL, REPO, write


def test_manifest_error_is_importable_from_the_package_without_pydantic() -> None:
    code = "import sys; from llm_policy import ManifestError, load_manifest; print('pydantic' in sys.modules, ManifestError.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout
    assert out.split() == ["False", "ManifestError"]


def test_it_is_the_same_class_as_the_models_module_raises() -> None:
    import llm_policy
    from llm_policy import model

    assert llm_policy.ManifestError is model.ManifestError
    assert "ManifestError" in llm_policy.__all__


def test_a_missing_file_raises_manifest_error_with_the_path(tmp_path: Path) -> None:
    from llm_policy import ManifestError, load_manifest

    missing = tmp_path / "nope" / "llm-sourcing.yaml"
    with pytest.raises(ManifestError) as info:
        load_manifest(missing)
    assert info.value.path == str(missing)
    assert info.value.reason == "no such file"
    assert info.value.findings == []
    assert str(info.value) == f"{missing}: no such file"


def test_a_directory_raises_manifest_error(tmp_path: Path) -> None:
    from llm_policy import ManifestError, load_manifest

    with pytest.raises(ManifestError) as info:
        load_manifest(str(tmp_path))
    assert info.value.path == str(tmp_path) and "directory" in (info.value.reason or "")


def test_an_unreadable_file_raises_manifest_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated, so that it also holds when the suite runs as root (permissions do not apply)."""
    from llm_policy import ManifestError, load_manifest
    from llm_policy.load import yaml_loader

    path = write(tmp_path / "llm-sourcing.yaml", MINIMAL)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(yaml_loader, "open", refuse, raising=False)
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    assert info.value.path == str(path) and info.value.reason == "permission denied"


def test_an_invalid_manifest_raises_with_path_and_located_findings() -> None:
    from llm_policy import ManifestError, load_manifest

    path = EXAMPLES / "invalid" / "schema-errors" / "llm-sourcing.yaml"
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    assert info.value.path == str(path)
    assert info.value.findings and all(f.rule_id == "LP001" and f.line >= 1 for f in info.value.findings)


def test_a_valid_manifest_still_loads(tmp_path: Path) -> None:
    from llm_policy import load_manifest

    manifest = load_manifest(write(tmp_path / "llm-sourcing.yaml", MINIMAL))
    assert [s.id for s in manifest.sources] == ["s"]
