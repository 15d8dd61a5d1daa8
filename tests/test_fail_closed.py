"""Fail closed on every bad input: a clear message naming the file (and line), a non-zero exit, no
traceback, bounded time, and the other manifest of the same run still checked.

Every run below checks a broken input next to a good manifest. The good one is "still checked"
when the custom policy's `warn` fired for it, which proves it went all the way through evaluation.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import MINIMAL, write

GOOD = MINIMAL.replace("name: p", "name: good")
BAD_NAME = GOOD.replace("name: good", "name: bad")
EVALUATED = 'package main\n\nimport rego.v1\n\nwarn contains "evaluated" if input.project.name == "good"\n'

GOOD_PATH = "good/llm-sourcing.yaml"
BAD_PATH = "bad/llm-sourcing.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    write(tmp_path / GOOD_PATH, GOOD)
    write(tmp_path / "policy" / "evaluated.rego", EVALUATED)
    return tmp_path


def run(cli, project: Path, *args: str, paths=(BAD_PATH, GOOD_PATH)):
    return cli("check", *paths, "--no-builtin", "--policy", "policy", "--format", "json", *args, cwd=project)


def files(result) -> dict[str, dict]:
    return {r["path"]: r for r in result.report["files"]}


def assert_good_still_checked(result) -> None:
    good = files(result)[GOOD_PATH]
    assert [(f["rule_id"], f["message"]) for f in good["findings"]] == [("main.warn", "evaluated")]
    assert good["faults"] == []


def assert_no_traceback(result) -> None:
    assert "Traceback" not in result.err and "Traceback" not in result.out
    assert "internal error" not in result.err


def bomb() -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdefgh"):
        lines.append(f"{name}: &{name} [{', '.join(['*' + 'abcdefgh'[i]] * 10)}]")
    return "\n".join(lines) + "\n"


# --- manifests the loader refuses: an LP000 finding at the offending line (exit 1) --------------


@pytest.mark.parametrize(
    ("content", "line", "column", "message"),
    [
        pytest.param(b"apiVersion: [llm-policy/v1\nproject: x\n", 2, 8, "YAML syntax error", id="syntax"),
        pytest.param(b"apiVersion: llm-policy/v1\nproject:\n\tname: x\n", 3, 1, "tab character", id="tabs"),
        pytest.param(b"- apiVersion\n- project\n", 1, 1, "must be a YAML mapping, got a sequence", id="not-a-mapping"),
        pytest.param(b"just a string\n", 1, 1, "must be a YAML mapping, got str", id="scalar"),
        pytest.param(GOOD.encode() + b"---\n" + GOOD.encode(), 14, 1, "several YAML documents in one file", id="multi-doc"),
        pytest.param(b"", 1, 1, "file is empty", id="empty"),
        pytest.param(b"# nothing but a comment\n", 1, 1, "file is empty", id="comment-only"),
        pytest.param(bomb().encode(), 1, 35, "alias/anchor bomb", id="alias-bomb"),
        pytest.param(b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n", 1, 68, "nested more than 64 levels deep", id="deep-nesting"),
        pytest.param(b"a: 1\n" + b"b: " + b"{c: " * 200 + b"1" + b"}" * 200 + b"\n", 2, 260, "nested more than 64 levels deep", id="deep-mapping"),
        pytest.param(b"a: 1\nb: \x00\x01\x02\n", 1, 1, "binary content", id="binary"),
        pytest.param(b"apiVersion: llm-policy/v1\nproject:\n  name: caf\xe9\n", 3, 12, "not valid UTF-8", id="latin-1"),
        pytest.param(b"\xef\xbb\xbf" + GOOD.encode(), 1, 1, "byte order mark", id="bom"),
        pytest.param(b"\xff\xfea\x00:\x00", 1, 1, "binary content", id="utf-16"),
        pytest.param(GOOD.encode() + b"project: again\n", 14, 1, "duplicate key 'project' (first defined at line 2)", id="duplicate-key"),
        pytest.param(b"apiVersion: llm-policy/v1\n2024: x\n", 2, 1, "mapping keys must be strings, got int '2024'", id="int-key"),
        pytest.param(b"apiVersion: llm-policy/v1\n? {a: 1}\n: x\n", 2, 3, "mapping keys must be strings, got a mapping", id="mapping-key"),
        pytest.param(b"apiVersion: !!python/object/apply:os.system ['touch pwned']\n", 1, 13,
                     "YAML tag '!!python/object/apply:os.system' is not allowed", id="python-tag"),
        pytest.param(b"apiVersion: !!python/name:os.system\n", 1, 13, "YAML tag '!!python/name:os.system' is not allowed", id="python-name"),
        pytest.param(b"apiVersion: !ruby/object:Gem::Installer\n  a: 1\n", 1, 13, "YAML tag '!ruby/object:Gem::Installer' is not allowed", id="ruby-tag"),
        pytest.param(b"apiVersion: !!set {a, b}\n", 1, 13, "YAML tag '!!set' is not allowed", id="set-tag"),
        pytest.param(b"apiVersion: !!binary aGVsbG8=\n", 1, 13, "YAML tag '!!binary' is not allowed", id="binary-tag"),
    ],
)
def test_unparseable_manifest_is_a_located_error_and_the_other_is_still_checked(cli, project, content, line, column, message):
    (project / "bad").mkdir()
    (project / BAD_PATH).write_bytes(content)
    result = run(cli, project)
    assert result.code == 1
    bad = files(result)[BAD_PATH]
    assert bad["status"] == "failed"
    assert [(f["rule_id"], f["line"], f["column"]) for f in bad["findings"]] == [("LP000", line, column)]
    assert message in bad["findings"][0]["message"]
    assert_good_still_checked(result)
    assert_no_traceback(result)
    assert not (project / "pwned").exists()
    text = cli("check", BAD_PATH, GOOD_PATH, "--no-builtin", "--policy", "policy", cwd=project)
    assert text.out.startswith(f"{BAD_PATH}:{line}:{column}: error LP000 ")


def test_huge_manifest_is_refused_before_parsing(cli, project):
    write(project / BAD_PATH, GOOD + "notes: " + "x" * 50_000 + "\n")
    started = time.monotonic()
    result = run(cli, project, "--max-file-size", "4096")
    assert time.monotonic() - started < 10
    assert result.code == 1
    finding = files(result)[BAD_PATH]["findings"][0]
    assert (finding["rule_id"], finding["line"], finding["column"]) == ("LP000", 1, 1)
    assert finding["message"] == "file is larger than the 4096-byte limit (--max-file-size)"
    assert_good_still_checked(result)


def test_default_size_limit_is_one_mebibyte(cli, project):
    write(project / BAD_PATH, "a: 1\n" + "# padding\n" * 110_000)
    result = run(cli, project)
    assert "1048576-byte limit" in files(result)[BAD_PATH]["findings"][0]["message"]


# --- files that cannot be read at all: a tool fault (exit 2) ------------------------------------


def _fault(result, path=BAD_PATH) -> dict:
    [fault] = files(result)[path]["faults"]
    return fault


def test_directory_named_like_a_manifest(cli, project):
    (project / BAD_PATH).mkdir(parents=True)
    result = run(cli, project)
    assert result.code == 2
    assert _fault(result)["message"] == "is a directory, not a manifest file"
    assert files(result)[BAD_PATH]["status"] == "error"
    assert_good_still_checked(result)
    assert_no_traceback(result)


def test_broken_symlink(cli, project):
    (project / "bad").mkdir()
    (project / BAD_PATH).symlink_to(project / "nowhere.yaml")
    result = run(cli, project)
    assert result.code == 2
    assert _fault(result) == {"kind": "io", "message": "is a broken symbolic link", "file": BAD_PATH, "line": None, "column": None}
    assert_good_still_checked(result)
    text = cli("check", BAD_PATH, GOOD_PATH, "--no-builtin", "--policy", "policy", cwd=project)
    assert f"{BAD_PATH}: error [io] is a broken symbolic link" in text.out


def test_broken_symlink_found_by_directory_search(cli, project):
    (project / "bad").mkdir()
    (project / BAD_PATH).symlink_to(project / "nowhere.yaml")
    result = cli("check", ".", "--no-builtin", "--policy", "policy", "--format", "json", cwd=project)
    assert result.code == 2
    assert _fault(result)["message"] == "is a broken symbolic link"
    assert_good_still_checked(result)


def test_symlink_loop(cli, project):
    (project / "bad").mkdir()
    os.symlink("llm-sourcing.yaml", project / BAD_PATH)  # points at itself
    result = run(cli, project)
    assert result.code == 2
    assert _fault(result)["message"] == "cannot read: Too many levels of symbolic links"
    assert_good_still_checked(result)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="other systems refuse file names that are not UTF-8")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_file_name_that_is_not_utf8_is_checked_and_shown_escaped(cli, project, jobs):
    """A name with bytes that are not UTF-8 used to make every report fail to encode (exit 2, no report)."""
    directory = os.fsencode(project) + b"/bad\xff\xfename"
    os.makedirs(directory)
    with open(directory + b"/llm-sourcing.yaml", "w", encoding="utf-8") as handle:
        handle.write(GOOD)
    for i in range(50 if jobs == "2" else 0):  # enough manifests for --jobs 2 to fork check workers
        write(project / f"more{i:02d}" / "llm-sourcing.yaml", GOOD)
    result = run(cli, project, "--jobs", jobs, paths=(".",))
    assert result.code == 0, result.err
    shown = files(result)["bad\\xff\\xfename/llm-sourcing.yaml"]
    assert [(f["rule_id"], f["message"]) for f in shown["findings"]] == [("main.warn", "evaluated")]
    assert shown["faults"] == []
    sarif = cli("check", ".", "--no-builtin", "--policy", "policy", "--format", "sarif", "--jobs", jobs, cwd=project)
    assert sarif.code == 0, sarif.err
    assert json.loads(sarif.out)["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_permission_error_in_process(cli, project, monkeypatch):
    """Root ignores file modes, so make `open` refuse the one file as the kernel would for a user."""
    import builtins
    import io

    write(project / BAD_PATH, BAD_NAME)
    real_open = builtins.open
    target = os.path.realpath(project / BAD_PATH)

    def guarded_open(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and os.path.realpath(os.fspath(file)) == target:
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    result = run(cli, project)
    assert result.code == 2
    assert _fault(result)["message"] == "permission denied"
    assert_good_still_checked(result)
    assert_no_traceback(result)


def _unprivileged() -> list[str]:
    """A command prefix under which file modes apply, even when the tests run as root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make file modes apply (the in-process test covers it)")
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}"]


def test_permission_error_for_real(project):
    """chmod 000 and a process that cannot bypass it (as root: capabilities dropped with setpriv)."""
    write(project / BAD_PATH, BAD_NAME).chmod(0)
    command = [*_unprivileged(), sys.executable, "-m", "llm_policy", "check", BAD_PATH, GOOD_PATH,
               "--no-builtin", "--policy", "policy", "--format", "json"]
    proc = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    report = json.loads(proc.stdout)
    results = {r["path"]: r for r in report["files"]}
    assert results[BAD_PATH]["faults"][0]["message"] == "permission denied"
    assert [f["message"] for f in results[GOOD_PATH]["findings"]] == ["evaluated"]
    assert "Traceback" not in proc.stderr


def test_manifest_that_vanishes_between_discovery_and_reading(cli, project, monkeypatch):
    import llm_policy.run.discovery as discovery

    write(project / BAD_PATH, BAD_NAME)
    real = discovery.find_manifests

    def find_then_delete(paths, *args, **kwargs):
        found = real(paths, *args, **kwargs)
        (project / BAD_PATH).unlink()  # e.g. a concurrent `git checkout`
        return found

    monkeypatch.setattr(discovery, "find_manifests", find_then_delete)
    result = cli("check", ".", "--no-builtin", "--policy", "policy", "--format", "json", cwd=project)
    assert result.code == 2
    assert _fault(result) == {"kind": "io", "message": "no such file", "file": BAD_PATH, "line": None, "column": None}
    assert_good_still_checked(result)
    assert_no_traceback(result)


def test_read_error_mid_file(cli, project, monkeypatch):
    """An I/O error (a disk or network file system failing) while reading is a fault, not a crash."""
    import builtins
    import io

    write(project / BAD_PATH, BAD_NAME)
    real_open = builtins.open
    target = os.path.realpath(project / BAD_PATH)

    class Failing:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self, *args):
            raise OSError(5, "Input/output error")

    def failing_open(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and os.path.realpath(os.fspath(file)) == target:
            return Failing()
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", failing_open)
    monkeypatch.setattr(io, "open", failing_open)
    result = run(cli, project)
    assert result.code == 2
    assert _fault(result)["message"] == "cannot read: Input/output error"
    assert_good_still_checked(result)


# --- policies that loop, eat memory, or break ---------------------------------------------------


SLOW = """\
package main

import rego.v1

deny contains msg if {
	input.project.name == "bad"
	n := count([1 | some i in numbers.range(1, 5000); some j in numbers.range(1, 5000)])
	msg := sprintf("counted %d", [n])
}
"""


def test_policy_that_runs_too_long_is_stopped_and_the_next_manifest_still_evaluated(cli, project):
    write(project / BAD_PATH, BAD_NAME)
    write(project / "policy" / "slow.rego", SLOW)
    started = time.monotonic()
    result = run(cli, project, "--timeout", "1")
    elapsed = time.monotonic() - started
    assert elapsed < 8, elapsed  # 25 million iterations would take far longer
    assert result.code == 2
    fault = _fault(result)
    assert fault["kind"] == "engine"
    assert fault["message"] == ("policy evaluation failed: timed out after 1 s (--timeout): "
                                "a policy loops or does far too much work")
    assert_good_still_checked(result)  # evaluated after the stuck worker was replaced
    assert_no_traceback(result)


def test_policy_that_loops_while_loading_is_stopped(cli, project):
    write(project / BAD_PATH, BAD_NAME)
    write(project / "policy" / "slow.rego", SLOW.replace('\tinput.project.name == "bad"\n', ""))
    started = time.monotonic()
    result = run(cli, project, "--timeout", "1")
    assert time.monotonic() - started < 8
    assert result.code == 2
    assert result.report["faults"] == [{
        "kind": "engine", "file": None, "line": None, "column": None,
        "message": "timed out after 1 s while loading the policies (--timeout): a policy loops or does far too much work",
    }]
    assert set(files(result)) == {BAD_PATH, GOOD_PATH}  # both still schema-validated and listed


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the memory cap uses RLIMIT_AS and /proc")
def test_policy_that_allocates_without_bound_is_stopped(cli, project):
    write(project / BAD_PATH, BAD_NAME)
    write(project / "policy" / "greedy.rego", SLOW.replace(
        "count([1 | some i in numbers.range(1, 5000); some j in numbers.range(1, 5000)])",
        "count([x | some x in numbers.range(1, 100000000)])"))
    result = run(cli, project, "--timeout", "60")
    assert result.code == 2
    assert _fault(result)["message"].startswith("policy evaluation failed: evaluation worker was killed by SIGABRT (out of memory?")
    assert_good_still_checked(result)


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        pytest.param('package main\n\nimport rego.v1\n\ndeny contains "x" if {\n\tinput.a ==\n}\n', 7, 1,
                     "expecting expression", id="syntax-error"),
        pytest.param('package main\n\nimport rego.v1\n\ndeny contains "x" if {\n\tnot_a_builtin(input.a)\n}\n', 6, 18,  # regorus: tab = 4
                     "could not find function not_a_builtin", id="undefined-function"),
        pytest.param('package main\n\nimport rego.v1\n\ndeny contains "x" if {\n\tinput.a := 1\n}\n', 6, 10,
                     "requires left-hand side to have bindable variables", id="assign-to-input"),
    ],
)
def test_broken_custom_policy_is_a_located_fault(cli, project, text, line, column, message):
    write(project / BAD_PATH, BAD_NAME)
    write(project / "policy" / "broken.rego", text)
    result = run(cli, project)
    assert result.code == 2
    [fault] = result.report["faults"]
    assert (fault["kind"], fault["file"], fault["line"], fault["column"]) == ("policy", "policy/broken.rego", line, column)
    assert message in fault["message"]
    assert_no_traceback(result)
    text_out = cli("check", BAD_PATH, GOOD_PATH, "--no-builtin", "--policy", "policy", cwd=project)
    assert text_out.out.startswith(f"policy/broken.rego:{line}:")


def test_undefined_function_behind_a_condition_fails_the_manifest_that_reaches_it(cli, project):
    """regorus resolves functions lazily: only manifests that reach the call see the error, but they
    see it as a fault (exit 2), never as a pass."""
    write(project / BAD_PATH, BAD_NAME)
    write(project / "policy" / "lazy.rego",
          'package main\n\nimport rego.v1\n\ndeny contains "x" if {\n\tinput.project.name == "bad"\n\tnot_a_builtin(1)\n}\n')
    result = run(cli, project)
    assert result.code == 2
    message = _fault(result)["message"]
    assert message.startswith("policy evaluation failed: could not find function not_a_builtin (at policy/lazy.rego:7:")
    assert_good_still_checked(result)


def test_policy_result_that_breaks_the_contract_is_a_fault(cli, project):
    write(project / BAD_PATH, BAD_NAME)
    write(project / "policy" / "odd.rego", 'package main\n\nimport rego.v1\n\ndeny contains 42 if input.project.name == "bad"\n')
    result = run(cli, project)
    assert result.code == 2
    assert "produced int; expected a string or an object with `msg`" in _fault(result)["message"]
    assert_good_still_checked(result)


@pytest.mark.parametrize(
    ("name", "content", "line", "column", "message"),
    [
        pytest.param("bad.json", '{"limits": {"days": 30,}}\n', 1, 24, "invalid JSON", id="json"),
        pytest.param("bad.json", '[1, 2]\n', 1, 1, "a data file must contain an object", id="json-array"),
        pytest.param("bad.yaml", "limits:\n  days: 30\n  days: 31\n", 3, 3, "duplicate key 'days'", id="yaml-duplicate"),
        pytest.param("bad.yaml", "limits: [30\n", 2, 1, "YAML syntax error", id="yaml-syntax"),
        pytest.param("bad.yaml", "limits: !!python/object:os.system x\n", 1, 9, "is not allowed", id="yaml-tag"),
    ],
)
def test_malformed_data_file_is_a_located_fault(cli, project, name, content, line, column, message):
    write(project / BAD_PATH, BAD_NAME)
    write(project / name, content)
    result = run(cli, project, "--data", name)
    assert result.code == 2
    [fault] = result.report["faults"]
    assert (fault["kind"], fault["file"], fault["line"], fault["column"]) == ("policy", name, line, column)
    assert message in fault["message"]
    assert set(files(result)) == {BAD_PATH, GOOD_PATH}
    assert_no_traceback(result)


def test_missing_data_file_is_a_fault(cli, project):
    result = run(cli, project, "--data", "nope.json", paths=(GOOD_PATH,))
    assert result.code == 2
    [fault] = result.report["faults"]
    assert fault["file"] == "nope.json" and "cannot read data file" in fault["message"]


# --- what a custom policy may do under regorus (see docs/security.md) ---------------------------


def _policy_result(cli, project, body: str):
    write(project / BAD_PATH, BAD_NAME)
    write(project / "policy" / "probe.rego", "package main\n\nimport rego.v1\n\n" + body)
    return run(cli, project)


def test_http_send_fails_closed(cli, project):
    """regorus evaluates http.send to undefined, which would silently skip a rule; we make it an error."""
    result = _policy_result(cli, project, (
        'deny contains "server says no" if {\n\tinput.project.name == "bad"\n'
        '\tresp := http.send({"method": "GET", "url": "http://127.0.0.1:9/"})\n\tresp.status_code != 200\n}\n'))
    assert result.code == 2
    message = _fault(result)["message"]
    assert "http.send is disabled: llm-policy policies may not make network calls" in message
    assert "(at policy/probe.rego:7:" in message
    assert_good_still_checked(result)


def test_http_send_outside_any_condition_is_refused_at_load_time(cli, project):
    result = _policy_result(cli, project, 'reachable := http.send({"method": "GET", "url": "http://127.0.0.1:9/"})\n')
    assert result.code == 2
    [fault] = result.report["faults"]
    assert fault["file"] == "policy/probe.rego" and "http.send is disabled" in fault["message"]


def test_environment_is_not_visible_to_policies(cli, project, monkeypatch):
    monkeypatch.setenv("LLM_POLICY_SECRET", "hunter2")
    result = _policy_result(cli, project, (
        'deny contains msg if {\n\tenv := opa.runtime().env\n\tmsg := sprintf("env: %v", [env])\n}\n'
        'deny contains "secret" if opa.runtime().env.LLM_POLICY_SECRET\n'))
    assert result.code == 0
    assert "hunter2" not in result.out


def test_network_lookups_are_not_implemented(cli, project):
    result = _policy_result(cli, project, 'deny contains "resolved" if {\n\tinput.project.name == "bad"\n\tnet.lookup_ip_addr("localhost")\n}\n')
    assert result.code == 2
    assert "net.lookup_ip_addr" in _fault(result)["message"]
    assert_good_still_checked(result)


def test_print_in_a_policy_never_corrupts_the_report(project, capfd, monkeypatch):
    """print() output goes to stderr (also from the evaluation worker), so stdout stays a clean report."""
    write(project / BAD_PATH, BAD_NAME)
    write(project / "policy" / "chatty.rego",
          'package main\n\nimport rego.v1\n\nwarn contains "chatty" if {\n\tprint("debug:", input.project.name)\n\tinput.project.name == "bad"\n}\n')
    from llm_policy.cli import main

    monkeypatch.chdir(project)
    code = main(
        ["check", str(project / BAD_PATH), str(project / GOOD_PATH), "--no-builtin", "--policy", str(project / "policy"),
         "--format", "json", "--root", str(project)])
    captured = capfd.readouterr()
    report = json.loads(captured.out)
    assert code == 0
    assert {f["message"] for r in report["files"] for f in r["findings"]} == {"chatty", "evaluated"}
    assert "debug: bad" in captured.err
