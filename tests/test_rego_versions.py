"""`--rego-version v0|v1` (conftest's flag): pre-1.0 conftest policies load, and a version mismatch says which flag fixes it (#14.1)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import FIXED_DATE, REPO, write
from llm_policy.policy.bundle import read_bundle

V0 = REPO / "tests" / "fixtures" / "rego_v0" / "conftest"

MANIFEST = """\
apiVersion: llm-policy/v1
project:
  name: p
  owner: platform-team
  customer_facing: true
  jurisdictions: [DE]
data:
  classes: [internal]
sources:
  - id: local
    sector: open_source
    model: mistralai/Mistral-7B-Instruct-v0.2
    license: Apache-2.0
    hosting: on_prem
    region: DE
  - id: api
    sector: cloud_api
    provider: openai
    model: gpt-4o
    region: US
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(V0, tmp_path / "legacy")
    write(tmp_path / "llm-sourcing.yaml", MANIFEST)
    return tmp_path


def _check(cli, project: Path, *args: str):
    return cli("check", "llm-sourcing.yaml", "--policy", "legacy/policy", "--policy", "legacy/lib", "--no-builtin",
               "--format", "json", "--date", FIXED_DATE, *args, cwd=project)


def test_v0_policies_under_the_default_v1_name_the_flag(cli, project):
    result = _check(cli, project)
    assert result.code == 2
    fault = result.report["faults"][0]
    assert fault["kind"] == "policy" and fault["file"].endswith(".rego") and fault["line"]
    assert "this file is Rego v0" in fault["message"] and "--rego-version v0" in fault["message"]


def test_v0_conftest_policies_run_with_rego_version_v0(cli, project):
    result = _check(cli, project, "--rego-version", "v0")
    assert result.code == 1, result.out
    found = {(f["rule_id"], f["message"], f["line"], f["source_id"]) for f in result.findings()}
    assert found == {
        ("main.deny", "source api is a cloud API without a DPA", 16, "api"),
        ("main.deny_region", 'source "api" runs outside the EU (US)', 16, "api"),
        ("main.warn", "a customer-facing project should declare routing fallbacks", 1, None),
        ("main.violation", "the owner must be an e-mail address", 4, None),
    }


def test_v0_custom_policies_beside_the_v1_builtin_pack(cli, project):
    result = cli("check", "llm-sourcing.yaml", "--policy", "legacy/policy", "--policy", "legacy/lib", "--rego-version", "v0",
                 "--format", "json", "--date", FIXED_DATE, cwd=project)
    ids = {f["rule_id"] for f in result.findings()}
    assert {"main.deny", "main.warn"} <= ids and any(i.startswith("LP") for i in ids)


def test_per_directory_versions_in_the_configuration(cli, project):
    write(project / "modern" / "owner.rego", 'package main\n\nwarn_ticket contains "name a ticket" if not input.project.ticket\n')
    write(project / ".llm-policy.yaml",
          "policy: [legacy/policy, legacy/lib, modern]\nno_builtin: true\nrego_versions:\n  legacy/policy: v0\n  legacy/lib: v0\n")
    result = cli("check", "--format", "json", "--date", FIXED_DATE, cwd=project)
    assert result.code == 1, result.out
    assert {"main.deny", "main.warn_ticket"} <= {f["rule_id"] for f in result.findings()}


def test_v1_policies_read_as_v0_name_the_version_too(cli, project):
    write(project / "modern" / "owner.rego", 'package main\n\nwarn contains "name a ticket" if not input.project.ticket\n')
    result = cli("check", "llm-sourcing.yaml", "--policy", "modern", "--no-builtin", "--rego-version", "v0", "--format", "json", cwd=project)
    assert result.code == 2
    assert "this file is Rego v1" in result.report["faults"][0]["message"]


def test_verify_runs_v0_tests(cli, project):
    result = cli("verify", "legacy/policy", "legacy/lib", "--rego-version", "v0", cwd=project)
    assert result.code == 0, result.out + result.err
    assert "2 passed, 0 failed" in result.out


def test_bundle_records_each_files_rego_version(cli, project):
    out = project / "b.tar.gz"
    result = cli("bundle", "build", "-o", str(out), "--policy", "legacy/policy", "--policy", "legacy/lib", "--rego-version", "v0", cwd=project)
    assert result.code == 0, result.err
    files = read_bundle(out.read_bytes())
    manifest = json.loads(files[".manifest"])
    assert manifest["rego_version"] == 1
    assert manifest["file_rego_versions"] == {"/custom/2/lib.rego": 0, "/custom/1/sourcing.rego": 0}
    v1_only = project / "v1.tar.gz"
    assert cli("bundle", "build", "-o", str(v1_only), cwd=project).code == 0
    assert "file_rego_versions" not in json.loads(read_bundle(v1_only.read_bytes())[".manifest"])  # same bytes as before


def test_engines_that_cannot_read_v0_refuse_it(cli, project):
    pytest.importorskip("opa_bindings", reason="real OPA in-process (opa-golib-python-bindings) is not installed")
    result = _check(cli, project, "--rego-version", "v0", "--engine", "opa-inprocess")
    assert result.code == 2
    assert "reads Rego v1 only" in result.report["faults"][0]["message"]


def test_unknown_versions_are_usage_errors(cli, project):
    assert cli("check", "--rego-version", "v2", cwd=project).code == 2
    write(project / ".llm-policy.yaml", "rego_versions:\n  legacy/policy: 0\n")
    result = cli("check", "--format", "json", cwd=project)
    assert result.code == 2 and "rego_versions maps policy directories to v0 or v1" in result.err


def test_a_bundle_with_v0_files_round_trips_through_extract(cli, project):
    out = project / "b.tar.gz"
    assert cli("bundle", "build", "-o", str(out), "--policy", "legacy/policy", "--policy", "legacy/lib",
               "--rego-version", "v0", cwd=project).code == 0
    extracted = cli("bundle", "extract", str(out), "-d", "x", cwd=project)
    assert extracted.code == 0 and "2 of them are Rego v0" in extracted.err
    # rego_versions names a directory above the v0 files: the nearest named directory decides
    write(project / ".llm-policy.yaml", "rego_versions:\n  x/custom: v0\n")
    pinned = cli("check", "llm-sourcing.yaml", "--no-builtin", "--policy", "x", "--data", "x/data.json",
                 "--format", "json", "--date", FIXED_DATE, cwd=project)
    direct = cli("check", "llm-sourcing.yaml", "--policy", "legacy/policy", "--policy", "legacy/lib", "--rego-version", "v0",
                 "--format", "json", "--date", FIXED_DATE, cwd=project)
    key = sorted((f["rule_id"], f["line"], f["message"]) for f in pinned.findings())
    assert pinned.code == direct.code == 1
    assert key == sorted((f["rule_id"], f["line"], f["message"]) for f in direct.findings())
