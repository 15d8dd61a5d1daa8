"""`--output FORMAT=FILE`: parsing the spec and writing every file atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from llm_policy.output import RenderOptions, get_renderer
from llm_policy.output.writer import OutputError, parse_output_spec, write_outputs
from report_builders import failing_report


@pytest.mark.parametrize("spec, expected", [
    ("sarif=results.sarif", ("sarif", Path("results.sarif"))),
    ("JUnit=out/report.xml", ("junit", Path("out/report.xml"))),
    ("markdown=a=b.md", ("markdown", Path("a=b.md"))),  # only the first '=' separates
    ("json=/tmp/report.json", ("json", Path("/tmp/report.json"))),
])
def test_parse_valid_specs(spec, expected):
    assert parse_output_spec(spec) == expected


@pytest.mark.parametrize("spec, message", [
    ("results.sarif", "expects FORMAT=FILE"),
    ("=results.sarif", "names no format"),
    ("sarif=", "names no file"),
    ("sarif=  ", "names no file"),
    ("xml=report.xml", "unknown format 'xml'; formats: compliance-html, compliance-md, github, json, junit, markdown, sarif, text"),
])
def test_parse_rejects_malformed_specs_with_a_clear_message(spec, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        parse_output_spec(spec)


def test_writes_each_format_creating_directories(tmp_path):
    report = failing_report()
    specs = [f"sarif={tmp_path}/ci/results.sarif", f"junit={tmp_path}/ci/deep/report.xml", ("markdown", tmp_path / "c.md")]
    written = write_outputs(report, specs, RenderOptions(color=True, fail_on="warning"))
    assert written == [tmp_path / "ci/results.sarif", tmp_path / "ci/deep/report.xml", tmp_path / "c.md"]
    assert json.loads(written[0].read_text(encoding="utf-8"))["version"] == "2.1.0"
    files_options = RenderOptions(color=False, fail_on="warning")
    assert written[1].read_text(encoding="utf-8") == get_renderer("junit")(report, files_options)
    assert "at or above `warning`" in written[2].read_text(encoding="utf-8")
    leftovers = [p.name for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_files_never_contain_colour(tmp_path):
    (path,) = write_outputs(failing_report(), [f"text={tmp_path}/out.txt"], RenderOptions(color=True))
    assert "\033[" not in path.read_text(encoding="utf-8")


def test_replaces_an_existing_file_and_keeps_normal_permissions(tmp_path):
    target = tmp_path / "report.xml"
    target.write_text("old", encoding="utf-8")
    write_outputs(failing_report(), [("junit", target)], RenderOptions())
    assert target.read_text(encoding="utf-8").startswith("<?xml")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_same_file_twice_is_rejected_before_anything_is_written(tmp_path):
    with pytest.raises(ValueError, match="already the sarif output"):
        write_outputs(failing_report(), [f"sarif={tmp_path}/x", f"json={tmp_path}/./x"], RenderOptions())
    assert list(tmp_path.iterdir()) == []


def test_unwritable_destination_is_an_output_error(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(OutputError, match="cannot write the sarif output to"):
        write_outputs(failing_report(), [f"sarif={blocker}/results.sarif"], RenderOptions())
