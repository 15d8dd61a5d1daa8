"""The pre-commit hooks this repository offers, exercised with the real `pre-commit` and `git commit`.

Two end-to-end tests: a fast one that runs the hooks file's own id/entry/files/pass_filenames as a
`repo: local` hook (language `system`, the installed console script), and a slow one that installs
the hook exactly as a user does (`repo: <this repository>`, `language: python`, pip-installed into
pre-commit's own environment) and commits through the installed git hook.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from llm_policy.cli import build_parser

REPO = Path(__file__).resolve().parents[1]
HOOKS_FILE = REPO / ".pre-commit-hooks.yaml"
COMPLIANT_EXAMPLE = REPO / "examples" / "valid" / "open-source-self-hosted" / "llm-sourcing.yaml"
MANIFEST = "services/hr/llm-sourcing.yaml"

clientlib = pytest.importorskip("pre_commit.clientlib")


def hooks() -> dict[str, dict]:
    return {hook["id"]: hook for hook in clientlib.load_manifest(str(HOOKS_FILE))}


# --- the hooks file itself -------------------------------------------------------------------------

def test_hooks_file_is_valid_for_pre_commit_and_offers_both_hooks():
    offered = hooks()
    assert set(offered) == {"llm-policy", "llm-policy-verify", "llm-policy-drift"}
    check, verify = offered["llm-policy"], offered["llm-policy-verify"]
    assert check["entry"] == "llm-policy check --pre-commit" and check["language"] == "python"
    assert check["args"] == ["--"]  # ends option parsing before the file names (issue 11.1)
    assert check["pass_filenames"] is True and check["require_serial"] is False
    assert verify["entry"] == "llm-policy verify" and verify["language"] == "python"
    assert verify["pass_filenames"] is False
    for hook in offered.values():
        assert hook["additional_dependencies"] == []  # everything ships in the package: no network at run time


@pytest.mark.parametrize("path, matches", [
    ("llm-sourcing.yaml", True),
    ("llm-sourcing.yml", True),
    ("services/hr/llm-sourcing.yaml", True),
    ("my-llm-sourcing.yaml", False),
    ("llm-sourcing.yaml.bak", False),
    ("llm-sourcing.json", False),
    ("docs/llm-sourcing.md", False),
    # what changes a manifest's verdict also runs the hook (issue 14.14)
    (".llm-policy.yaml", True),
    (".llm-policy.yml", True),
    ("pyproject.toml", True),
    ("llm-policy-waivers.yaml", True),
    ("policy/deny.rego", True),
    ("my.llm-policy.yaml", False),
    ("setup.cfg", False),
    ("README.md", False),
])
def test_check_hook_selects_manifests_and_what_decides_them(path, matches):
    assert bool(re.search(hooks()["llm-policy"]["files"], path)) is matches


@pytest.mark.parametrize("path, matches", [
    ("policies/data.rego", True), ("policy/custom/deny_test.rego", True), ("policies/data.json", False),
])
def test_verify_hook_runs_when_rego_changes(path, matches):
    assert bool(re.search(hooks()["llm-policy-verify"]["files"], path)) is matches


@pytest.mark.parametrize("hook_id", ["llm-policy", "llm-policy-verify"])
def test_hook_entries_are_real_subcommands(hook_id):
    program, subcommand, *options = hooks()[hook_id]["entry"].split()
    assert program == "llm-policy"
    args = build_parser().parse_args([subcommand, *options, *hooks()[hook_id]["args"]])
    assert callable(args.run)


# --- end to end: a throwaway repository and real commits -------------------------------------------

def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    bindir = str(Path(sys.executable).parent)  # the venv that has `llm-policy` and `pre-commit`
    env.update(
        PATH=bindir + os.pathsep + env.get("PATH", ""),
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.com",
        GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.com",
        GIT_CONFIG_NOSYSTEM="1", NO_COLOR="1",
    )
    env.pop("LLM_POLICY_DEBUG", None)
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _git(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    result = _run(["git", *args], cwd, env)
    assert result.returncode == 0, result.stderr
    return result


def _failing_variant(compliant: str) -> tuple[str, str]:
    """The compliant manifest with one schema violation, and the `path:line:col` it must be reported at."""
    lines = compliant.splitlines(keepends=True)
    for number, line in enumerate(lines, start=1):
        match = re.match(r"(\s*customer_facing:\s*)(\S+)", line)
        if match:
            lines[number - 1] = match.group(1) + "maybe\n"
            return "".join(lines), f"{MANIFEST}:{number}:{len(match.group(1)) + 1}"
    raise AssertionError(f"{COMPLIANT_EXAMPLE} has no customer_facing line to break")


def _new_repo(tmp_path: Path, env: dict[str, str], config: dict) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    work = tmp_path / "work"
    work.mkdir()
    _git(work, env, "init", "-q", "-b", "main")
    _git(work, env, "config", "commit.gpgsign", "false")
    # JSON is YAML: pre-commit reads this config as written.
    (work / ".pre-commit-config.yaml").write_text(json.dumps(config, indent=2), encoding="utf-8")
    installed = _run([sys.executable, "-m", "pre_commit", "install"], work, env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return work


def _commit(work: Path, env: dict[str, str], message: str, timeout: int = 60) -> subprocess.CompletedProcess:
    _git(work, env, "add", "-A")
    return _run(["git", "commit", "-m", message], work, env, timeout=timeout)


def _commit_count(work: Path, env: dict[str, str]) -> int:
    result = _run(["git", "rev-list", "--count", "HEAD"], work, env)
    return int(result.stdout) if result.returncode == 0 else 0


def _assert_blocks_failing_and_passes_compliant(work: Path, env: dict[str, str], timeout: int = 60) -> None:
    compliant = COMPLIANT_EXAMPLE.read_text(encoding="utf-8")
    failing, position = _failing_variant(compliant)
    manifest = work / MANIFEST
    manifest.parent.mkdir(parents=True)

    manifest.write_text(failing, encoding="utf-8")
    blocked = _commit(work, env, "add a non-compliant manifest", timeout)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert f"{position}: error LP001" in output, output
    assert "llm-policy check" in output and "Failed" in output
    assert _commit_count(work, env) == 0  # nothing was committed

    manifest.write_text(compliant, encoding="utf-8")
    passed = _commit(work, env, "add a compliant manifest", timeout)
    output = passed.stdout + passed.stderr
    assert passed.returncode == 0, output
    assert re.search(r"llm-policy check\.+Passed", output), output
    assert _commit_count(work, env) == 1


def test_local_hook_from_the_hooks_file_blocks_a_failing_manifest(tmp_path):
    """The hooks file's own fields, run through `git commit` with the installed console script."""
    if shutil.which("llm-policy", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("the llm-policy console script is not installed in this environment")
    hook = dict(hooks()["llm-policy"])
    local = {key: hook[key] for key in ("id", "name", "entry", "args", "files", "pass_filenames", "require_serial")}
    local["language"] = "system"
    env = _env(tmp_path)
    work = _new_repo(tmp_path, env, {"repos": [{"repo": "local", "hooks": [local]}]})
    _assert_blocks_failing_and_passes_compliant(work, env)


@pytest.mark.slow
def test_hook_installed_from_this_repository_blocks_a_failing_manifest(tmp_path):
    """As a user installs it: `repo:` this repository at its HEAD, pre-commit builds the Python env."""
    env = _env(tmp_path)
    head = _run(["git", "rev-parse", "HEAD"], REPO, env)
    if head.returncode != 0:
        pytest.skip(f"{REPO} is not a git checkout: pre-commit can only install hooks from a repository")
    rev = head.stdout.strip()
    for needed in (".pre-commit-hooks.yaml", "policies", "schemas", "pyproject.toml"):
        if _run(["git", "cat-file", "-e", f"{rev}:{needed}"], REPO, env).returncode != 0:
            pytest.skip(f"{needed} is not committed at HEAD yet; pre-commit installs the committed tree")
    config = {"repos": [{"repo": str(REPO), "rev": rev, "hooks": [{"id": "llm-policy"}]}]}
    work = _new_repo(tmp_path, env, config)
    installed = _run([sys.executable, "-m", "pre_commit", "install-hooks"], work, env, timeout=600)
    log = tmp_path / "pre-commit-home" / "pre-commit.log"
    assert installed.returncode == 0, (installed.stdout + installed.stderr
                                       + (log.read_text(encoding="utf-8")[-4000:] if log.exists() else ""))
    _assert_blocks_failing_and_passes_compliant(work, env)


# --- file names are never options; options in args end with `--` (issue 11.1) ----------------------

def _local_hook(**overrides) -> dict:
    """The hooks file's `llm-policy` hook as a `repo: local` hook running the installed console script."""
    if shutil.which("llm-policy", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("the llm-policy console script is not installed in this environment")
    hook = dict(hooks()["llm-policy"])
    local = {key: hook[key] for key in ("id", "name", "entry", "args", "files", "pass_filenames", "require_serial")}
    local["language"] = "system"
    local.update(overrides)
    return local


def _repo_with(tmp_path: Path, hook: dict) -> tuple[Path, dict[str, str]]:
    env = _env(tmp_path)
    return _new_repo(tmp_path, env, {"repos": [{"repo": "local", "hooks": [hook]}]}), env


@pytest.mark.parametrize("attack, content", [
    # with `entry: llm-policy check` this file became `--config x/llm-sourcing.yaml`: the gate read
    # `fail_on: never` from the pull request and the commit passed
    ("--config=x/llm-sourcing.yaml", "fail_on: never\n"),
    ("--fail-on=never/llm-sourcing.yaml", None),
    ("-j1/--no-builtin/llm-sourcing.yaml", None),
])
def test_file_names_that_look_like_options_cannot_switch_the_gate_off(tmp_path, attack, content):
    work, env = _repo_with(tmp_path, _local_hook())
    compliant = COMPLIANT_EXAMPLE.read_text(encoding="utf-8")
    failing, position = _failing_variant(compliant)
    (work / MANIFEST).parent.mkdir(parents=True)
    (work / MANIFEST).write_text(failing, encoding="utf-8")
    (work / attack).parent.mkdir(parents=True)
    (work / attack).write_text(content or compliant, encoding="utf-8")
    blocked = _commit(work, env, "try to switch the gate off with a file name")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert f"{position}: error LP001" in output, output  # the real manifest was checked, with the defaults
    if content is not None:
        assert f"{attack}:" in output  # ... and the look-alike is a path: a manifest, and not a valid one
    assert _commit_count(work, env) == 0


def test_args_without_the_separator_are_refused(tmp_path):
    """A user who overrides `args:` and forgets `--` is told so at once, instead of running a hook
    that file names could steer."""
    work, env = _repo_with(tmp_path, _local_hook(args=["--fail-on", "warning"]))
    (work / MANIFEST).parent.mkdir(parents=True)
    shutil.copy(COMPLIANT_EXAMPLE, work / MANIFEST)
    blocked = _commit(work, env, "hook args without --")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0 and "needs `--` before the file names" in output, output
    assert _commit_count(work, env) == 0


def test_options_in_args_and_verbose_output(tmp_path):
    """The documented way to tighten the hook: `args: [--fail-on, ..., --]`; `verbose: true` shows
    the findings of a passing hook, which pre-commit otherwise hides."""
    work, env = _repo_with(tmp_path, _local_hook(args=["--fail-on", "info", "--"]))
    (work / MANIFEST).parent.mkdir(parents=True)
    shutil.copy(COMPLIANT_EXAMPLE, work / MANIFEST)  # has one info finding (LP204)
    blocked = _commit(work, env, "info findings fail with --fail-on info")
    assert blocked.returncode != 0 and "info LP204" in blocked.stdout + blocked.stderr
    (work / ".pre-commit-config.yaml").write_text(json.dumps(
        {"repos": [{"repo": "local", "hooks": [_local_hook(verbose=True)]}]}), encoding="utf-8")
    passed = _commit(work, env, "default threshold, verbose")
    output = passed.stdout + passed.stderr
    assert passed.returncode == 0, output
    assert "info LP204" in output and re.search(r"llm-policy check\.+Passed", output)


# --- a change to what decides the verdict re-checks the manifests (issue 14.14) ----------------------

def test_configuration_and_waivers_changes_recheck_the_repository(tmp_path):
    work, env = _repo_with(tmp_path, _local_hook())
    (work / MANIFEST).parent.mkdir(parents=True)
    shutil.copy(COMPLIANT_EXAMPLE, work / MANIFEST)
    first = _commit(work, env, "a compliant manifest")
    assert first.returncode == 0, first.stdout + first.stderr

    (work / "llm-policy-waivers.yaml").write_text("waivers: [oops\n", encoding="utf-8")
    broken = _commit(work, env, "a broken waivers file alone")
    output = broken.stdout + broken.stderr
    assert broken.returncode != 0, output
    assert "Skipped" not in output and "llm-policy-waivers.yaml" in output, output
    (work / "llm-policy-waivers.yaml").unlink()

    (work / ".llm-policy.yaml").write_text("fail_on: info\n", encoding="utf-8")
    stricter = _commit(work, env, "a stricter threshold alone")
    output = stricter.stdout + stricter.stderr
    assert stricter.returncode != 0, output
    assert f"{MANIFEST}:" in output and "info LP204" in output  # the unchanged manifest was re-checked
    (work / ".llm-policy.yaml").unlink()

    (work / "pyproject.toml").write_text('[project]\nname = "app"\nversion = "1"\n', encoding="utf-8")
    unrelated = _commit(work, env, "a pyproject.toml that does not configure llm-policy")
    output = unrelated.stdout + unrelated.stderr
    assert unrelated.returncode == 0, output  # passed to the hook, but never checked as a manifest
    assert _commit_count(work, env) == 2


# --- --pre-commit in-process: which changed files re-check the repository -------------------------

def _repo_with_failing_manifest(tmp_path: Path) -> Path:
    from conftest import MINIMAL, write

    (tmp_path / ".git").mkdir()
    write(tmp_path / "svc" / "llm-sourcing.yaml", MINIMAL.replace("owner: o@example.com", "owner: 7"))
    write(tmp_path / "policy" / "limits.yaml", "acme: {max: 3}\n")
    write(tmp_path / "policy" / "acme.rego", "package acme\n")
    write(tmp_path / "pyproject.toml", '[project]\nname = "app"\n')
    write(tmp_path / "docs" / "notes.md", "hello\n")
    write(tmp_path / "custom-waivers.yaml", "waivers: []\n")
    write(tmp_path / ".llm-policy.yaml", "data: [policy/limits.yaml]\nwaivers: custom-waivers.yaml\n")
    return tmp_path


@pytest.mark.parametrize("changed, code", [
    (["pyproject.toml"], 0),            # not llm-policy's configuration: nothing to check, and not a manifest
    (["docs/notes.md"], 0),             # unrelated file passed by a widened `files:` pattern
    (["policy/limits.yaml"], 1),        # a configured data file: the manifests are re-checked
    (["custom-waivers.yaml"], 1),       # the configured waivers file
    (["policy/acme.rego"], 1),          # any policy
    ([".llm-policy.yaml"], 1),          # the configuration itself
    (["svc/llm-sourcing.yaml"], 1),     # the manifest itself
    ([], 1),                            # no file names (pass_filenames: false): the whole repository, not nothing
])
def test_pre_commit_mode_rechecks_when_what_decides_changes(cli, tmp_path, changed, code):
    repo = _repo_with_failing_manifest(tmp_path)
    result = cli("check", "--pre-commit", "-f", "json", "--", *changed, cwd=repo)
    assert result.code == code, result.out + result.err
    checked = [f["path"] for f in result.report["files"]]
    assert checked == ([] if code == 0 else ["svc/llm-sourcing.yaml"])
