"""`llm-policy report` / `check --format compliance-md|compliance-html` (issue 16): per framework,
each control with its status, the findings behind it, the evidence cited and the waivers."""

from __future__ import annotations

import html.parser
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXED_DATE, write

EU_CHATBOT = """\
apiVersion: llm-policy/v1
project:
  name: support-chat
  owner: cx@example.com
  customer_facing: true
  jurisdictions: [DE]
  ai_act: {role: deployer, risk: limited}
data:
  classes: [personal]
sources:
  - id: gpt4o
    sector: cloud_api
    provider: azure-openai
    model: gpt-4o-2024-08-06
    region: EU
    dpa: {reference: DPA-2025-014, signed: 2025-01-10, training_opt_out: true}
"""

CREDIT_SCORING = """\
apiVersion: llm-policy/v1
project:
  name: credit-scoring
  owner: risk@example.com
  jurisdictions: [FR]
  ai_act: {role: deployer, risk: high, annex_iii_area: credit_scoring, log_retention_days: 365}
data:
  classes: [financial]
sources:
  - id: local-qwen
    sector: open_source
    model: Qwen/Qwen2.5-7B-Instruct
    license: Apache-2.0
    hosting: on_prem
"""

RU_BANK = """\
apiVersion: llm-policy/v1
project:
  name: bank-assistant
  owner: it@bank.example
  jurisdictions: [RU]
  ru_152fz: {rkn_notification: "RKN-2019-0412"}
data:
  classes: [personal, financial]
sources:
  - id: gigachat
    sector: cloud_api
    provider: gigachat
    model: GigaChat-Pro
    region: RU
    dpa: {reference: "PORUCHENIE-6-3/2025", signed: 2025-03-01, training_opt_out: true}
    processing_instruction: {reference: "PORUCHENIE-6-3/2025", signed: 2025-03-01, content: [data_list, actions, purposes, confidentiality, security_measures, compliance_evidence, incident_notification]}
"""


def rows(markdown: str, section: str) -> dict[str, str]:
    """Control id -> status of one framework's table in the Markdown report."""
    part = markdown.split(f"### {section}", 1)[1].split("\n### ", 1)[0]
    found = {}
    for line in part.splitlines():
        if line.startswith("| Art.") or line.startswith("| Req."):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            found[cells[0].split(":", 1)[0]] = cells[1]
    return found


def report(cli, tmp_path: Path, text: str, *args: str):
    path = write(tmp_path / "llm-sourcing.yaml", text)
    return cli("report", str(path), "--date", FIXED_DATE, *args)


def test_an_eu_chatbot_gets_art_50_and_gdpr_controls(cli, tmp_path):
    result = report(cli, tmp_path, EU_CHATBOT)
    assert result.code == 1  # the exit code of check: LP702 is an error
    ai_act = rows(result.out, "EU Artificial Intelligence Act")
    assert ai_act["Art. 50"] == "FAIL" and ai_act["Art. 6"] == "PASS" and ai_act["Art. 27"] == "N/A"
    gdpr = rows(result.out, "EU General Data Protection Regulation")
    assert gdpr["Art. 28(3)"] == "PASS" and gdpr["Art. 44"] == "PASS"
    assert "sources[gpt4o].dpa.reference = `DPA-2025-014`" in result.out
    assert "| Federal Law No. 152-FZ" in result.out and "NOT IN SCOPE" in result.out
    fixed = report(cli, tmp_path, EU_CHATBOT.replace("risk: limited}", "risk: limited, transparency_notice: UX-12}"))
    assert rows(fixed.out, "EU Artificial Intelligence Act")["Art. 50"] == "PASS"
    # LP301 (no independent fallback for a customer-facing cloud API) implements no control: listed apart.
    assert "### Findings of framework-neutral rules" in fixed.out and "LP301" in fixed.out
    assert "project.ai_act.transparency_notice = `UX-12`" in fixed.out


def test_credit_scoring_is_high_risk_and_fails_without_fria_and_oversight(cli, tmp_path):
    result = report(cli, tmp_path, CREDIT_SCORING)
    assert result.code == 1
    ai_act = rows(result.out, "EU Artificial Intelligence Act")
    assert ai_act["Art. 27"] == "FAIL" and ai_act["Art. 14"] == "FAIL" and ai_act["Art. 26"] == "FAIL"
    assert ai_act["Art. 6"] == "PASS"
    fixed = report(cli, tmp_path, CREDIT_SCORING.replace("log_retention_days: 365}", "log_retention_days: 365, fria: FRIA-3}\n  human_oversight: credit-review@example.com"))
    assert fixed.code == 0, fixed.out
    ai_act = rows(fixed.out, "EU Artificial Intelligence Act")
    assert ai_act["Art. 27"] == ai_act["Art. 14"] == ai_act["Art. 26"] == "PASS"
    assert "project.ai_act.fria = `FRIA-3`" in fixed.out


def test_a_russian_bank_gets_its_152fz_controls(cli, tmp_path):
    result = report(cli, tmp_path, RU_BANK)
    ru = rows(result.out, "Federal Law No. 152-FZ")
    assert ru["Art. 18(5)"] == "PASS" and ru["Art. 6(3)"] == "PASS" and ru["Art. 22"] == "PASS", result.out
    assert "sources[gigachat].dpa.reference = `PORUCHENIE-6-3/2025`" in result.out
    assert "project.ru_152fz.rkn_notification = `RKN-2019-0412`" in result.out
    # Without the Roskomnadzor notification and the Art. 6(3) instruction (LP407, LP408), both fail.
    bare = RU_BANK.replace('  ru_152fz: {rkn_notification: "RKN-2019-0412"}\n', "")
    bare = "\n".join(line for line in bare.splitlines() if "processing_instruction" not in line) + "\n"
    undeclared = rows(report(cli, tmp_path, bare).out, "Federal Law No. 152-FZ")
    assert undeclared["Art. 22"] == "FAIL" and undeclared["Art. 6(3)"] == "FAIL"
    assert "### EU General Data Protection Regulation" not in result.out  # not in scope
    abroad = report(cli, tmp_path, RU_BANK.replace("region: RU", "region: US").replace("provider: gigachat", "provider: openai").replace("GigaChat-Pro", "gpt-4o-2024-08-06"))
    assert rows(abroad.out, "Federal Law No. 152-FZ")["Art. 18(5)"] == "FAIL"


def test_the_framework_flag_shapes_the_report(cli, tmp_path):
    result = report(cli, tmp_path, RU_BANK, "--framework", "pci-dss")
    assert "Frameworks selected on the command line: pci-dss" in result.out
    assert "### PCI DSS v4.0" in result.out and "### Federal Law No. 152-FZ" not in result.out
    # 152-FZ is what RU implies: leaving it out is visible, not silent.
    assert '| Federal Law No. 152-FZ "On Personal Data" (Russian Federation) (`ru-152fz`) | NOT SELECTED (implied by the manifest; its rules did not run) |' in result.out
    manifest = report(cli, tmp_path, RU_BANK.replace("jurisdictions: [RU]", "jurisdictions: [RU]\n  frameworks: [gdpr]"))
    assert "(`ru-152fz`) | NOT SELECTED" in manifest.out and "### EU General Data Protection Regulation" in manifest.out


def test_waivers_show_their_justification_and_expiry(cli, tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path / "a" / "llm-sourcing.yaml", EU_CHATBOT)
    write(tmp_path / "llm-policy-waivers.yaml", "waivers:\n  - rule: LP702\n    manifest: a/llm-sourcing.yaml\n"
          "    justification: disclosure ships in release 4.2\n    approved_by: DPO-7\n    expires: 2027-01-31\n")
    result = cli("report", "a", "--date", FIXED_DATE, cwd=tmp_path)
    assert rows(result.out, "EU Artificial Intelligence Act")["Art. 50"] == "PASS"
    assert "LP702 waived by DPO-7, expires 2027-01-31: disclosure ships in release 4.2" in result.out


def test_an_invalid_manifest_fails_every_control(cli, tmp_path):
    result = report(cli, tmp_path, EU_CHATBOT.replace("risk: limited", "risk: unknown"))
    assert result.code == 1
    assert "the policies did not run, so every control fails" in result.out
    assert set(rows(result.out, "EU Artificial Intelligence Act").values()) == {"FAIL"}


class _Audit(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href") and value and not value.startswith("#"):
                self.external.append(value)


def test_html_is_one_self_contained_printable_file(cli, tmp_path):
    hostile = EU_CHATBOT.replace("DPA-2025-014", '"<script>alert(1)</script><img src=x>"')
    result = report(cli, tmp_path, hostile, "--format", "compliance-html")
    audit = _Audit()
    audit.feed(result.out)
    assert "script" not in audit.tags and "img" not in audit.tags and audit.external == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in result.out
    assert result.out.startswith("<!DOCTYPE html>") and "@media print" in result.out
    assert 'class="status fail"' in result.out and 'class="status pass"' in result.out


def _chromium() -> str | None:
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


@pytest.mark.skipif(_chromium() is None, reason="no chromium on PATH (apt-get install -y chromium): the HTML report is checked structurally only")
def test_html_renders_in_headless_chromium(cli, tmp_path):
    page = tmp_path / "report.html"
    result = cli("report", str(write(tmp_path / "llm-sourcing.yaml", CREDIT_SCORING)), "--date", FIXED_DATE,
                 "--format", "compliance-html", "--output", f"compliance-html={page}")
    assert page.is_file(), result.err
    shot, pdf = tmp_path / "report.png", tmp_path / "report.pdf"
    common = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    subprocess.run([*common, f"--screenshot={shot}", "--window-size=1280,1600", page.as_uri()], check=True, capture_output=True, timeout=120)
    subprocess.run([*common, f"--print-to-pdf={pdf}", page.as_uri()], check=True, capture_output=True, timeout=120)
    assert shot.stat().st_size > 10_000 and pdf.read_bytes().startswith(b"%PDF")
    artifacts = os.environ.get("LLM_POLICY_TEST_ARTIFACTS")  # CI keeps the screenshot and the PDF here
    if artifacts:
        Path(artifacts).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(artifacts) / "compliance-report.png")
        shutil.copy(pdf, Path(artifacts) / "compliance-report.pdf")
    dom = subprocess.run([*common, "--dump-dom", page.as_uri()], check=True, capture_output=True, text=True, timeout=120).stdout
    assert "Fundamental rights impact assessment" in dom and "FAIL" in dom


def test_from_a_subdirectory_the_evidence_is_still_found(cli, tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path / "svc" / "llm-sourcing.yaml", RU_BANK)
    result = cli("report", ".", "--date", FIXED_DATE, cwd=tmp_path / "svc")
    assert "sources[gigachat].dpa.reference = `PORUCHENIE-6-3/2025`" in result.out, result.out


def test_a_manifest_the_report_cannot_read_again_needs_evidence_everywhere():
    from llm_policy.compliance.model import build

    report = {"files": [{"path": "gone/llm-sourcing.yaml", "status": "passed", "findings": [], "faults": []}]}
    (manifest,) = build(report)
    assert "could not be read again" in manifest.scope_note
    assert {c.status for fw in manifest.frameworks for c in fw.controls} == {"needs evidence"}
