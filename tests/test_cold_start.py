"""A cold `check` of a valid manifest stays cheap, and its shortcuts never change an answer (issue 17).

- No heavy module on the valid-manifest path: jsonschema, pydantic, ruamel.yaml, requests,
  multiprocessing, argparse and the like cost more than the whole check. Each is imported only
  where it is needed (an invalid manifest, a batch, an option) and this test names the import
  that crept back.
- `check [--] PATHS` gets argparse's namespace without argparse (`commands.check.simple_args`):
  identical for every such call, and every option `register` adds has its default in `DEFAULTS`.
- The built-in pack's METADATA comes from a generated table keyed by each block's exact text:
  the same annotations as a parse, and an edited block is parsed, never answered from the table.
- PyYAML's import-time patterns are compiled on first use: its pure-Python reader still rejects
  what it rejected.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO

# Never imported by `check` of a schema-valid manifest (parent process, default options).
HEAVY = (
    "jsonschema", "pydantic", "pydantic_core", "typing_extensions", "annotated_types", "ruamel", "requests", "urllib3",
    "opa_client", "opa", "multiprocessing", "concurrent", "asyncio", "subprocess", "socket", "ssl", "http", "email",
    "logging", "argparse", "gettext", "locale", "difflib", "shutil", "tempfile", "zipfile", "tomllib", "hashlib",
    "importlib.metadata", "cyclonedx", "lxml", "fastjsonschema", "regress", "dockerfile", "llm_policy.model",
    "llm_policy.validate.ecma", "llm_policy.waivers.apply", "llm_policy.output.sarif", "llm_policy.output.junit",
    "llm_policy.run.config_schema", "llm_policy.scan", "llm_policy.compliance.model", "llm_policy.review",
)
# ... nor with options (argparse is then needed), nor when the policies are prepared in-process.
HEAVY_WITH_OPTIONS = tuple(name for name in HEAVY if name not in ("argparse", "gettext", "locale", "shutil", "difflib"))

VALID = sorted(EXAMPLES.glob("valid/*/llm-sourcing.yaml"))

_PROBE = """
import json, sys
from llm_policy.cli import main
code = main(json.loads(sys.argv[1]))
sys.stdout.flush()
print("\\nMODULES " + json.dumps(sorted(sys.modules)))
sys.exit(code)
"""


def _modules_after(argv: list[str], cwd: Path) -> set[str]:
    result = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(argv)], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors, 0 warnings" in result.stdout, result.stdout
    return set(json.loads(result.stdout.rsplit("MODULES ", 1)[1]))


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(name for name in names if name in modules or any(m.startswith(name + ".") for m in modules))


@pytest.mark.parametrize("manifest", VALID, ids=lambda p: p.parent.name)
def test_a_valid_manifest_imports_no_heavy_module(tmp_path: Path, manifest: Path) -> None:
    target = tmp_path / "llm-sourcing.yaml"  # no configuration file or git checkout above it
    target.write_bytes(manifest.read_bytes())
    modules = _modules_after(["check", "--", str(target)], tmp_path)
    assert _loaded(modules, HEAVY) == [], "imported on the cold path of a valid manifest"
    assert "regorus" in modules and "yaml" in modules  # the check really ran: it compiled and loaded


def test_the_pre_commit_hook_imports_no_heavy_module(tmp_path: Path) -> None:
    """The hook's own command line (.pre-commit-hooks.yaml: `check --pre-commit --` and the changed files)."""
    target = tmp_path / "llm-sourcing.yaml"
    target.write_bytes(VALID[0].read_bytes())
    modules = _modules_after(["check", "--pre-commit", "--", str(target)], tmp_path)
    assert _loaded(modules, HEAVY) == [], "imported by the pre-commit hook's check of a valid manifest"
    assert "regorus" in modules and "llm_policy.commands.precommit" in modules


def test_options_and_in_process_preparation_import_no_heavy_module(tmp_path: Path) -> None:
    target = tmp_path / "llm-sourcing.yaml"
    target.write_bytes(VALID[0].read_bytes())
    modules = _modules_after(["check", "--timeout", "0", "--date", "2026-11-27", "-v", str(target)], tmp_path)
    assert _loaded(modules, HEAVY_WITH_OPTIONS) == []
    assert "argparse" in modules  # options go through argparse, as they always did


def test_the_simple_path_is_the_one_taken(tmp_path: Path) -> None:
    """The forms a pre-commit hook or an editor uses skip argparse; anything with an option does not."""
    from llm_policy.commands.check import simple_args

    assert simple_args(["--", "a.yaml"]) is not None and simple_args(["a.yaml", "b"]) is not None
    assert simple_args([]) is not None
    assert simple_args(["--pre-commit", "--", "a.yaml"]).pre_commit is True  # the hook's own command line
    for argv in (["-v", "a"], ["a", "--", "b"], ["--", "a", "--"], ["a", "-"], ["--format=json", "a"], ["a", "-h"],
                 ["--pre-commit", "a"], ["--pre-commit"], ["--pre", "--", "a"], ["--pre-commit=1", "--", "a"],
                 ["--pre-commit", "--pre-commit", "--", "a"], ["--pre-commit", "-v", "--", "a"], ["--pre-commit", "--", "a", "--"],
                 ["-v", "--pre-commit", "--", "a"]):
        assert simple_args(argv) is None, argv


ARGVS = [
    [], ["--"], ["a"], ["a", "b/c.yaml"], ["--", "a"], ["--", "-a", "--b"], [""], ["--", ""], ["a", ""],
    ["llm-sourcing.yaml"], ["./x y/ü.yaml"], ["--", "--pre-commit"],
    # The pre-commit hook's entry (.pre-commit-hooks.yaml): `--pre-commit`, its default args `--`, the changed files.
    ["--pre-commit", "--"], ["--pre-commit", "--", "a.yaml"], ["--pre-commit", "--", "a", "-b", "--pre-commit"],
]


@pytest.mark.parametrize("argv", ARGVS, ids=repr)
def test_simple_args_are_what_argparse_gives(argv: list[str]) -> None:
    from llm_policy.cli import build_parser
    from llm_policy.commands.check import simple_args

    expected, extras = build_parser("check").parse_known_args(["check", *argv])
    simple = simple_args(argv)
    assert simple is not None and extras == []
    assert vars(simple) == vars(expected)


def test_every_check_option_has_its_default_in_check_defaults() -> None:
    """A new `check` option needs its default in `commands.check.DEFAULTS` (argparse's, exactly)."""
    from llm_policy.cli import build_parser
    from llm_policy.commands.check import DEFAULTS

    parsed = vars(build_parser("check").parse_known_args(["check"])[0])
    assert {k: v for k, v in parsed.items() if k not in ("paths", "run")} == DEFAULTS


def test_simple_args_do_not_share_default_lists() -> None:
    from llm_policy.commands.check import simple_args

    first = simple_args(["a"])
    first.output.append("json=x")  # type: ignore[union-attr]
    assert simple_args(["a"]).output == []  # type: ignore[union-attr]


# --- the precomputed METADATA table ---------------------------------------------------------------


def _builtin_texts() -> list[tuple[str, str]]:
    return [(p.relative_to(REPO).as_posix(), p.read_text(encoding="utf-8")) for p in sorted((REPO / "policies").rglob("*.rego"))]


def _annotations(text: str) -> list[tuple[str, str, int, dict]]:
    from llm_policy.policy.metadata import parse_annotations

    return [(a.scope, a.target, a.line, a.data) for a in parse_annotations(text)[1]]


def test_the_metadata_table_is_current() -> None:
    from llm_policy.gen.metadata_table import metadata_table

    committed = (REPO / "llm_policy/policy/_metadata_table.json").read_text(encoding="utf-8")
    assert committed == metadata_table(), "run: python -m llm_policy.schema_gen"


def test_the_table_answers_exactly_what_a_parse_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    from llm_policy.policy import metadata

    from_table = {path: _annotations(text) for path, text in _builtin_texts()}
    rules = [p for p in (REPO / "policies/rules").glob("*.rego") if not p.name.endswith("_test.rego")]
    assert sum(len(a) for a in from_table.values()) >= len(rules) > 30  # one block per rule at least
    monkeypatch.setattr(metadata, "_table", {})  # as without the table: every block parsed
    assert {path: _annotations(text) for path, text in _builtin_texts()} == from_table


def test_the_table_is_used_for_the_builtin_pack(monkeypatch: pytest.MonkeyPatch) -> None:
    """A check parses no built-in METADATA block: the YAML loader is never asked for one."""
    from llm_policy.load import yaml_loader
    from llm_policy.policy import load_policy_set

    def refuse(text: str) -> None:
        raise AssertionError(f"METADATA parsed instead of read from the table: {text[:60]!r}")

    monkeypatch.setattr(yaml_loader, "parse_value", refuse)
    policy_set = load_policy_set(context={"today": "2026-11-27"})
    assert {"LP101", "LP301", "LP706"} <= set(policy_set.rules)


def test_an_edited_block_is_parsed_not_taken_from_the_table() -> None:
    text = (REPO / "policies/rules/lp102_dpa_missing.rego").read_text(encoding="utf-8")
    edited = text.replace("#   severity: error", "#   severity: warning", 1).replace(
        "# title: Cloud API receives non-public data without a DPA", "# title: Edited title", 1)
    assert edited != text
    (annotation,) = [a for a in _annotations(edited) if a[3].get("custom", {}).get("id") == "LP102"]
    assert annotation[3]["title"] == "Edited title" and annotation[3]["custom"]["severity"] == "warning"


def test_a_broken_block_is_still_an_error_with_its_line() -> None:
    from llm_policy.policy.metadata import MetadataError, parse_annotations

    text = "package p\n\n# METADATA\n# title: [unclosed\ndeny contains \"x\" if true\n"
    with pytest.raises(MetadataError) as caught:
        parse_annotations(text)
    assert caught.value.line == 5 and "invalid YAML in METADATA block" in str(caught.value)  # where libyaml notices


def test_each_module_gets_annotations_of_its_own() -> None:
    """Blocks answered from the table are fresh copies: changing one module's data changes no other's."""
    text = (REPO / "policies/rules/lp102_dpa_missing.rego").read_text(encoding="utf-8")
    first, second = _annotations(text), _annotations(text)
    first[0][3]["custom"]["id"] = "CHANGED"
    assert second[0][3]["custom"]["id"] == "LP102" and _annotations(text)[0][3]["custom"]["id"] == "LP102"


# --- PyYAML, imported with its patterns deferred --------------------------------------------------


def test_pyyaml_still_rejects_what_it_rejected() -> None:
    code = (
        "import re; compile = re.compile\n"
        "from llm_policy.load import parse_document\n"
        "from pathlib import Path\n"
        "parse_document('a: 1\\n', Path('x.yaml'))\n"  # imports PyYAML the cold path's way
        "import yaml\n"
        "assert re.compile is compile\n"
        "try:\n"
        "    yaml.safe_load('a: \\x07')\n"
        "    raise SystemExit('a non-printable character was accepted')\n"
        "except yaml.reader.ReaderError:\n"
        "    pass\n"
        "assert yaml.safe_load('a: yes\\nb: 2001-12-14\\nc: 0x1F') == {'a': True, 'b': __import__('datetime').date(2001, 12, 14), 'c': 31}\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stdout + result.stderr


# --- the engine's shortcuts: data documents as read, conftest built-ins only where named ------------


def _engine_data(engine: object) -> object:
    return json.loads(engine.eval_query_as_json("data"))["result"][0]["expressions"][0]["value"]  # type: ignore[attr-defined]


def test_the_builtin_tables_load_as_read_and_give_the_same_data() -> None:
    import regorus

    from llm_policy.engines.regorus_engine import _add_data
    from llm_policy.policy import load_policy_set

    policy_set = load_policy_set(context={"today": "2026-11-27", "frameworks": ["gdpr"]})
    assert policy_set.data_json_for(policy_set.data) is not None  # the fast route is the one taken
    fast, reference = regorus.Engine(), regorus.Engine()
    _add_data(fast, policy_set)
    reference.add_data_json(json.dumps(policy_set.data))
    assert _engine_data(fast) == _engine_data(reference) == json.loads(json.dumps(policy_set.data))


def test_data_files_and_edited_data_are_serialised_again(tmp_path: Path) -> None:
    from llm_policy.policy import load_policy_set

    extra = tmp_path / "extra.json"
    extra.write_text('{"llm_policy": {"tables": {"x": 1}}}', encoding="utf-8")
    assert load_policy_set(data_files=iter([extra])).data_json is None  # a generator of --data too
    policy_set = load_policy_set()
    policy_set.data = {"replaced": True}
    assert policy_set.data_json_for(policy_set.data) is None


def test_documents_that_disagree_fall_back_to_the_merged_data() -> None:
    """deep_merge lets a later document win where regorus refuses: the engine still gets `data`."""
    import regorus

    from llm_policy.engines.regorus_engine import _add_data
    from llm_policy.policy.policy_set import PolicySet, deep_merge

    first, second = {"t": {"a": 1, "b": 1}}, {"t": {"a": 2}}
    data = deep_merge(first, second)
    policy_set = PolicySet(modules=[], data=data, namespaces=[], rules={}, data_json=(json.dumps(first), json.dumps(second)))
    policy_set.__dict__["_data_json_of"] = data
    engine = regorus.Engine()
    _add_data(engine, policy_set)
    assert _engine_data(engine) == {"t": {"a": 2, "b": 1}}


def test_every_conftest_builtin_name_is_caught_by_the_engines_guard() -> None:
    from llm_policy.engines.conftest_builtins import NAMES

    assert all("parse_co" in name for name in NAMES)  # regorus_engine registers them only for texts naming one


# --- the console script ends the process without tearing Python down ------------------------------


def _console(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    code = "import sys; from llm_policy.cli import console; sys.argv = ['llm-policy', *sys.argv[1:]]; sys.exit(console())"
    return subprocess.run([sys.executable, "-c", code, *argv], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_console_script_is_console() -> None:
    assert 'llm-policy = "llm_policy.cli:console"' in (REPO / "pyproject.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("argv, expected", [
    (["check", "-v", "examples/valid"], 0),
    (["check", "-f", "json", "examples/invalid/personal-data-to-foreign-api"], 1),
    (["check", "--", "examples/no-such-dir/llm-sourcing.yaml"], 2),
    (["check", "--fromat", "json"], 2),
])
def test_console_exits_as_main_returns_with_all_output(argv: list[str], expected: int, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from llm_policy.cli import main

    monkeypatch.chdir(REPO)
    code = main(argv)
    captured = capsys.readouterr()
    result = _console(argv, REPO)
    assert (code, result.returncode) == (expected, expected)
    assert result.stdout == captured.out and result.stderr == captured.err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_console_fails_when_stdout_cannot_be_written() -> None:
    code = "import sys; from llm_policy.cli import console; sys.argv = ['llm-policy', 'check', '-v', 'examples/valid']; sys.exit(console())"
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-c", code], cwd=REPO, stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert result.returncode != 0, result.stderr  # never a silent pass with the report lost


# --- the evaluation on `{}` at prepare -----------------------------------------------------------


class _QuerySpy:
    """A regorus.Engine stand-in that records the queries `prepare` evaluates."""

    def __init__(self, engine: object, queries: list[str]) -> None:
        self._engine, self._queries = engine, queries

    def eval_query_as_json(self, query: str) -> str:
        self._queries.append(query)
        return self._engine.eval_query_as_json(query)  # type: ignore[attr-defined, no-any-return]

    def __getattr__(self, name: str) -> object:
        return getattr(self._engine, name)


def _prepared_queries(monkeypatch: pytest.MonkeyPatch, **load: object) -> list[str]:
    import regorus

    from llm_policy.engines.regorus_engine import RegorusEngine
    from llm_policy.policy import load_policy_set

    queries: list[str] = []
    real = regorus.Engine
    monkeypatch.setattr(regorus, "Engine", lambda: _QuerySpy(real(), queries))
    RegorusEngine().prepare(load_policy_set(context={"today": "2026-12-01"}, **load))  # type: ignore[arg-type]
    return queries


def test_the_builtin_pack_is_evaluated_once_at_prepare(monkeypatch: pytest.MonkeyPatch) -> None:
    # That first evaluation builds regorus' one-time state: in the time-limited worker it happens
    # while the manifest is read, instead of on the first manifest's clock.
    assert _prepared_queries(monkeypatch) == ["data.llm_policy.rules"]


def test_custom_data_or_modules_in_the_builtin_root_are_still_evaluated_at_prepare(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    data = tmp_path / "tables.json"
    data.write_text(json.dumps({"llm_policy": {"tables": {"public_classes": ["public"]}}}), encoding="utf-8")
    assert _prepared_queries(monkeypatch, data_files=[data]) == ["data.llm_policy.rules"]
    policy = tmp_path / "policy"
    policy.mkdir()
    (policy / "extra.rego").write_text("package llm_policy.rules.extra\n\nfindings contains {\"msg\": \"x\"} if input.never\n", encoding="utf-8")
    assert "data.llm_policy.rules" in _prepared_queries(monkeypatch, policy_dirs=[policy])


def test_an_evaluation_error_of_the_builtin_root_still_fails_the_run(cli: object, tmp_path: Path) -> None:
    # A custom module in the built-in root that calls an undefined function: a run fault, exit 2.
    policy = tmp_path / "policy"
    policy.mkdir()
    (policy / "broken.rego").write_text(
        "package llm_policy.rules.broken\n\nfindings contains {\"msg\": \"x\"} if no_such_function(input)\n", encoding="utf-8")
    manifest = EXAMPLES / "valid" / "cloud-api" / "llm-sourcing.yaml"
    result = cli("check", "--policy", str(policy), "--", str(manifest))  # type: ignore[operator]
    assert result.code == 2, result.out
