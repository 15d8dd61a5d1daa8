"""Streamed formats (issue 17): `check --format json|sarif|junit` written as results arrive give
the very bytes of the same format rendered from the whole report, valid against the vendored
schemas, with faults, waivers and baseline states; and a run that breaks mid-stream still ends in
a complete document stating the fault, with exit 2.

The whole-report path is forced by also asking for a format that does not stream (Markdown).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any, Iterator

import pytest

from batch_helpers import DATE, generator, run_check, write_waivers
from conftest import MINIMAL, REPO
from report_builders import ALL_REPORTS, MANIFEST_A, MANIFEST_B, finding, reference_file, report

COUNT = 240  # a few hundred, above llm_policy.run.batch.MIN_PARALLEL: --jobs 2 forks workers
FORMATS = ("json", "sarif", "junit", "text")


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_check(root, "--jobs", "2", *args)


def _streamed(report_dict: dict[str, Any], fmt: str, options: Any) -> str:
    """`report_dict` written through the format's sink, one entry of `files` at a time."""
    import io

    from llm_policy.output.stream import make_sink

    sink = make_sink(fmt, options)
    head = {**report_dict, "files": []}
    sink.begin(head)
    for entry in report_dict["files"]:
        sink.add(json.loads(json.dumps(entry)))
    out = io.StringIO()
    sink.finish(head, out)
    sink.close()
    return out.getvalue()


def _edge_report() -> dict[str, Any]:
    """Rules a finding names but the report lacks (with and without a title), identical
    fingerprints within a file, waiver findings placed in the waivers file by two manifests, a
    baseline with absent findings, and run and file faults."""
    from llm_policy.findings import Fault, FileResult

    waivers = "llm-policy-waivers.yaml"
    unused = dict(file=waivers, pointer="/waivers/0", source_id=None, line=3, column=5)
    data = report([
        FileResult(MANIFEST_A, findings=[
            finding(), finding(message="the same node, a second message"),
            finding("LPX01", title=None), finding("LPX01", message="again", title="Only the second has a title"),
            finding("LP901", "warning", "waiver 0 matched nothing", **unused),
        ]),
        FileResult(MANIFEST_B, findings=[
            finding("LP901", "warning", "waiver 0 matched nothing here too", **unused),
            finding(file=MANIFEST_B), finding("LPX02", "info", "custom", file=MANIFEST_B),
        ], faults=[Fault("engine", "evaluation timed out")]),
    ], faults=[Fault("waiver", "waivers file: entry 2 has no approver", file=waivers, line=9)])
    from llm_policy.review.baseline import apply

    apply(data, [dict(finding().__dict__, waiver=None, pointer="/gone"), {"rule_id": "LPX09", "file": MANIFEST_A,
                                                                          "severity": "error", "message": "gone rule"}], "base.json")
    return data


@pytest.mark.parametrize("name", [*ALL_REPORTS, "edge"])
@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "text"])
@pytest.mark.parametrize("fail_on", ["error", "info"])
def test_each_sink_writes_the_bytes_of_its_renderer(name: str, fmt: str, fail_on: str) -> None:
    from llm_policy.output import RenderOptions, get_renderer

    data = _edge_report() if name == "edge" else ALL_REPORTS[name]()
    options = RenderOptions(verbose=True, fail_on=fail_on)
    assert _streamed(data, fmt, options) == get_renderer(fmt)(data, options)
    if fmt == "sarif":
        _sarif_valid(_streamed(data, fmt, options))
    if fmt == "junit":
        _junit_valid(_streamed(data, fmt, options))


def _all_formats(root: Path, out: Path, *args: str, whole: bool) -> dict[str, str]:
    """Every format of one run: json on stdout, the others as --output files (all streamed, or all
    rendered from the whole report when a Markdown output is added)."""
    out.mkdir()
    extra = ["-o", f"markdown={out / 'report.md'}"] if whole else []
    run = _run(root, "--format", "json", *(f"-o{fmt}={out / fmt}" for fmt in FORMATS[1:]), *extra, *args)
    assert run.returncode in (1, 2), run.stderr
    texts = {"json": run.stdout, **{fmt: (out / fmt).read_text(encoding="utf-8") for fmt in FORMATS[1:]}}
    texts["code"] = str(run.returncode)
    return texts


@pytest.fixture(scope="module")
def monorepo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """COUNT generated manifests (valid, failing, LP000-LP002), three that cannot be read (binary,
    too large: LP000; a symbolic link out of the root: a fault), and a waivers file with an active, an expired and an unused waiver."""
    root = tmp_path_factory.mktemp("stream-monorepo")
    (root / ".git").mkdir()
    manifests = list(generator().generate(root / "services", COUNT, seed=5))
    assert {m.label for _, m in manifests} == {"valid", "LP000", "LP001", "LP002"}
    broken = root / "services" / "zz-broken"
    (broken / "binary").mkdir(parents=True)
    (broken / "binary" / "llm-sourcing.yaml").write_bytes(b"apiVersion: \xff\xfe\x00 llm-policy/v1\n")
    (broken / "huge").mkdir()
    (broken / "huge" / "llm-sourcing.yaml").write_text(MINIMAL + "# " + "x" * 3000 + "\n", encoding="utf-8")
    (broken / "outside").mkdir()
    (broken / "outside" / "llm-sourcing.yaml").symlink_to(REPO / "examples" / "valid" / "cloud-api" / "llm-sourcing.yaml")
    write_waivers(root, "--jobs", "2", "--max-file-size", "3000")
    return root


def _same(streamed: dict[str, str], whole: dict[str, str]) -> None:
    for fmt in ("code", *FORMATS):
        assert streamed[fmt] == whole[fmt], f"{fmt}: the streamed output differs from the whole-report rendering"


def _sarif_valid(text: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(reference_file("sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(json.loads(text))


def _junit_valid(text: str) -> None:
    etree = pytest.importorskip("lxml.etree")
    xsd = etree.XMLSchema(etree.parse(str(reference_file("junit.xsd"))))
    assert xsd.validate(etree.fromstring(text.encode("utf-8"))), xsd.error_log


def test_streamed_formats_equal_the_whole_report_with_faults_and_waivers(monorepo: Path, tmp_path: Path) -> None:
    args = (".", "no-such-dir", "--max-file-size", "3000", "--verbose")
    streamed = _all_formats(monorepo, tmp_path / "streamed", *args, whole=False)
    whole = _all_formats(monorepo, tmp_path / "whole", *args, whole=True)
    _same(streamed, whole)
    assert streamed["code"] == "2"  # the unreadable manifests are faults
    report = json.loads(streamed["json"])
    assert report["summary"]["files"] == COUNT + 4
    faulted = {r["path"] for r in report["files"] if r["faults"]}
    assert faulted == {"services/zz-broken/outside/llm-sourcing.yaml", "no-such-dir"}
    rules = {f["rule_id"] for r in report["files"] for f in r["findings"]}
    assert {"LP000", "LP001", "LP002", "LP900"} <= rules and report["summary"]["waived"] >= 1
    paths = [r["path"] for r in report["files"]]
    assert paths == sorted(paths[:-1]) + ["no-such-dir"]  # the order of today's report: arguments, then sorted discovery
    sarif = json.loads(streamed["sarif"])
    assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is False
    assert any(r.get("suppressions") for r in sarif["runs"][0]["results"])
    _sarif_valid(streamed["sarif"])
    _junit_valid(streamed["junit"])
    assert "<error" in streamed["junit"] and "<skipped" in streamed["junit"]


def test_streamed_formats_equal_the_whole_report_with_a_baseline(monorepo: Path, tmp_path: Path) -> None:
    """New, unchanged and absent findings: a baseline that lacks some of today's findings and has
    one that is gone."""
    report = json.loads(_run(monorepo, "--format", "json").stdout)
    with_findings = [r for r in report["files"] if r["findings"]]
    for result in with_findings[:5]:
        result["findings"] = []  # today's findings there are new
    gone = dict(with_findings[6]["findings"][0], pointer="/sources/99", rule_id="LP101")
    with_findings[6]["findings"].append(gone)  # in the baseline only: absent
    (tmp_path / "baseline.json").write_text(json.dumps(report), encoding="utf-8")
    args = ("--baseline", str(tmp_path / "baseline.json"))
    streamed = _all_formats(monorepo, tmp_path / "streamed", *args, whole=False)
    whole = _all_formats(monorepo, tmp_path / "whole", *args, whole=True)
    _same(streamed, whole)
    marked = json.loads(streamed["json"])
    states = {f.get("baseline_state") for r in marked["files"] for f in r["findings"]}
    assert states == {"new", "unchanged"} and marked["baseline"]["absent"]
    assert marked["summary"]["baseline"] > 0
    assert '"baselineState": "absent"' in streamed["sarif"]
    assert "[baseline]" in streamed["text"]
    _sarif_valid(streamed["sarif"])
    _junit_valid(streamed["junit"])


def test_an_empty_run_streams_the_same_documents(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "empty").mkdir()
    for whole in (False, True):
        out = tmp_path / ("whole" if whole else "streamed")
        out.mkdir()
        extra = ["-o", f"markdown={out / 'report.md'}"] if whole else []
        run = _run(tmp_path, "empty", "--format", "junit", "-o", f"json={out / 'json'}", "-o", f"sarif={out / 'sarif'}", *extra)
        assert run.returncode == 2  # nothing checked
        (out / "junit").write_text(run.stdout, encoding="utf-8")
    for fmt in ("json", "sarif", "junit"):
        assert (tmp_path / "streamed" / fmt).read_text() == (tmp_path / "whole" / fmt).read_text(), fmt
    assert "/>" in (tmp_path / "streamed" / "junit").read_text()


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "text"])
def test_a_failure_mid_stream_is_a_fault_in_a_complete_document(tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch,
                                                                  fmt: str) -> None:
    """Fail closed: the batch breaking after two manifests must not read as a pass of those two."""
    from llm_policy.run import batch

    (tmp_path / ".git").mkdir()
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "llm-sourcing.yaml").write_text(MINIMAL, encoding="utf-8")
    real = batch.iter_results

    def breaking(checker: Any, files: list[Path], jobs: int) -> Iterator[Any]:
        results = real(checker, files, jobs)
        yield next(results)
        yield next(results)
        raise OSError("a worker died")

    monkeypatch.setattr(batch, "iter_results", breaking)
    run = cli("check", "--date", DATE, "--format", fmt, "--jobs", "1", cwd=tmp_path)
    assert run.code == 2, run.out + run.err
    assert "the run stopped after 2 of 3 manifests: OSError: a worker died" in run.out
    if fmt == "json":
        report = json.loads(run.out)
        assert report["summary"]["files"] == 2 and report["summary"]["faults"] == 1
        assert report["faults"][0]["kind"] == "internal"
    elif fmt == "sarif":
        _sarif_valid(run.out)
        assert json.loads(run.out)["runs"][0]["invocations"][0]["executionSuccessful"] is False
    elif fmt == "junit":
        _junit_valid(run.out)
        assert 'errors="1"' in run.out.splitlines()[1]
    else:
        assert run.out.splitlines()[-1].endswith("1 tool error")


def test_a_stream_that_cannot_be_written_leaves_no_file(tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sink that breaks while spooling is an error (exit 2), and no half document reaches a file."""
    from llm_policy.output import stream

    (tmp_path / ".git").mkdir()
    (tmp_path / "llm-sourcing.yaml").write_text(MINIMAL, encoding="utf-8")

    def broken(self: Any, entry: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(stream.SarifSink, "add", broken)
    run = cli("check", "--date", DATE, "--format", "json", "-o", f"sarif={tmp_path / 'out.sarif'}", cwd=tmp_path)
    assert run.code == 2
    assert run.out == ""
    assert not (tmp_path / "out.sarif").exists()
