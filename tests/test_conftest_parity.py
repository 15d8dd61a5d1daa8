"""conftest parity for policy authors (issue 18): conftest-style policies and tests, run the way
conftest runs them, give the outcomes conftest gives.

Fixtures in tests/fixtures/conftest/ follow conftest's examples (see the README there).
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import MINIMAL

FIXTURES = Path(__file__).parent / "fixtures" / "conftest"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- --data directories ----------------------------------------------------------------------------


def test_conftest_examples_data_verify_passes_one_of_one(cli):
    """`conftest verify -p policy -d exclusions` in examples/data: 1 test, passing."""
    result = cli("verify", "-p", "policy", "-d", "exclusions", cwd=FIXTURES / "data")
    assert result.code == 0, result.out + result.err
    assert result.out.strip().splitlines()[-1] == "1 passed, 0 failed"


def test_without_the_data_directory_the_data_test_fails(cli):
    result = cli("verify", "-p", "policy", cwd=FIXTURES / "data")
    assert result.code == 1
    assert "FAIL  policy/base_test.rego:3: main.test_service_denied" in result.out


def test_data_directory_is_read_recursively_and_merged(cli, tmp_path):
    write(tmp_path / "d" / "a.yaml", "org:\n  regions: [DE]\n")
    write(tmp_path / "d" / "nested" / "deeper" / "b.json", '{"org": {"limit": 10}}')
    write(tmp_path / "d" / "ignored.txt", "org: nonsense")
    write(tmp_path / "d" / "policy.rego", "package x\n")  # not data: conftest filters by extension too
    write(tmp_path / "p" / "q.rego", 'package main\n\ndeny contains "too many" if input.project.requests_per_hour > data.org.limit\n'
          '\ndeny contains "region" if not "DE" in data.org.regions\n')
    manifest = write(tmp_path / "llm-sourcing.yaml", MINIMAL.replace("  owner: o@example.com\n", "  owner: o@example.com\n  requests_per_hour: 50\n"))
    result = cli("check", str(manifest), "--no-builtin", "-p", str(tmp_path / "p"), "-d", str(tmp_path / "d"), "--format", "json")
    assert result.code == 1, result.out + result.err
    assert [f["message"] for f in result.findings()] == ["too many"]


def test_conflicting_keys_in_a_data_directory_are_an_error_naming_both_files(cli, tmp_path):
    write(tmp_path / "d" / "a.yaml", "org:\n  limit: 5\n")
    write(tmp_path / "d" / "z" / "b.json", '{"org": {"limit": 10}}')
    write(tmp_path / "p" / "q.rego", 'package main\n\ndeny contains "x" if data.org.limit > 1\n')
    manifest = write(tmp_path / "llm-sourcing.yaml", MINIMAL)
    result = cli("check", str(manifest), "--no-builtin", "-p", str(tmp_path / "p"), "-d", str(tmp_path / "d"), "--format", "json")
    assert result.code == 2
    [fault] = result.report["faults"]
    assert fault["file"].endswith("d/z/b.json") and "data.org.limit" in fault["message"] and "a.yaml" in fault["message"]
    assert (fault["line"], fault["column"]) == (1, 19)  # the conflicting value of "limit" in b.json


def test_an_empty_data_directory_is_an_error(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    result = cli("verify", str(FIXTURES / "data" / "policy"), "-d", str(tmp_path / "empty"))
    assert result.code == 2 and "has no .json, .yaml, .yml file" in result.err


def test_bundle_build_packs_a_data_directory(cli, tmp_path):
    out = tmp_path / "b.tar.gz"
    result = cli("bundle", "build", "-o", str(out), "--no-builtin", "-p", "policy", "-d", "exclusions", cwd=FIXTURES / "data")
    assert result.code == 0, result.err
    import tarfile

    with tarfile.open(out) as archive:
        member = next(m for m in archive.getmembers() if m.name.lstrip("/") == "data.json")
        data = json.load(archive.extractfile(member))  # type: ignore[arg-type]
    assert data["services"]["ports"] == [22, 21]


# --- conftest built-ins ----------------------------------------------------------------------------


def test_conftest_examples_kubernetes_combine_passes_two_of_two(cli):
    result = cli("verify", "-p", "combine", "-v", cwd=FIXTURES)
    assert result.code == 0, result.out + result.err
    assert "PASS  combine/combine_test.rego:3: main.test_parse_combined_config_file" in result.out
    assert result.out.strip().splitlines()[-1] == "2 passed, 0 failed"


PARSERS_TEST = '''package parsers

test_yaml if parse_config("yaml", "a: 1\\nb: [x]\\n") == {"a": 1, "b": ["x"]}

test_yaml_documents if count(parse_config("yaml", "a: 1\\n---\\nb: 2\\n")) == 2

test_json if parse_config("json", "{\\"a\\": true}") == {"a": true}

test_toml if parse_config("toml", "[server]\\nport = 8080\\n").server.port == 8080

test_ini if parse_config("ini", "[db]\\nport = 5432\\ntls = true\\nname = main\\n") == {"db": {"port": 5432, "tls": true, "name": "main"}}

test_dotenv if parse_config("dotenv", "# c\\nexport A=1\\nB=\\"two words\\"\\nC=x # note\\n") == {"A": "1", "B": "two words", "C": "x"}

test_file_relative_to_the_policy if parse_config_file("conf/app.yaml").app.name == "shop"

test_toml_file if parse_config_file("conf/app.toml").owner.since == "2024-01-02"
'''


@pytest.fixture
def parser_pack(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    write(pack / "rules" / "parsers_test.rego", PARSERS_TEST)
    write(pack / "rules" / "conf" / "app.yaml", "app:\n  name: shop\n")
    write(pack / "rules" / "conf" / "app.toml", "[owner]\nsince = 2024-01-02\n")
    return pack


def test_every_supported_parser(cli, parser_pack):
    result = cli("verify", str(parser_pack), "-v")
    assert result.code == 0, result.out + result.err
    assert result.out.strip().splitlines()[-1] == "8 passed, 0 failed"


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ('parse_config("hcl2", "a = 1")', "parser 'hcl2' is not supported by llm-policy (conftest has it)"),
        ('parse_config("xml", "<a/>")', "parser 'xml' is not supported"),
        ('parse_config("yml2", "a: 1")', "unknown parser 'yml2'"),
        ('parse_config("json", "{")', "the text is not valid json"),
        ('parse_config_file("../outside.yaml")', "outside the policy directory"),
        ('parse_config_file("missing.yaml")', "cannot read missing.yaml"),
        ('parse_config_file("main.tf")', "its parser 'hcl2' is not supported"),
    ],
)
def test_unsupported_or_broken_input_is_a_located_error(cli, tmp_path, call, expected):
    write(tmp_path / "outside.yaml", "a: 1\n")
    write(tmp_path / "pack" / "main.tf", 'resource "x" "y" {}\n')
    write(tmp_path / "pack" / "t_test.rego", f"package t\n\ntest_it if {{\n\tx := {call}\n\tx.a == 1\n}}\n")
    result = cli("verify", str(tmp_path / "pack"))
    assert result.code == 2, result.out + result.err
    assert "t_test.rego:3: t.test_it" in result.out and "t_test.rego:4:" in result.out and expected in result.out
    assert "__cf" not in result.out and "Python error" not in result.out


def test_check_evaluates_policies_that_use_the_builtins_in_the_deadline_worker(cli, tmp_path):
    """Extensions are registered where the engine is prepared: in the forked, time-limited worker."""
    write(tmp_path / "p" / "allowed.yaml", "regions: [FR]\n")
    write(tmp_path / "p" / "q.rego", 'package main\n\nallowed := parse_config_file("allowed.yaml").regions\n\n'
          'deny contains {"msg": sprintf("region %v is not allowed", [s.region]), "path": ["sources", i, "region"]} if {\n'
          '\tsome i, s in input.sources\n\tnot s.region in allowed\n}\n')
    manifest = write(tmp_path / "llm-sourcing.yaml", MINIMAL)
    result = cli("check", str(manifest), "--no-builtin", "-p", str(tmp_path / "p"), "--format", "json", "--timeout", "5")
    assert result.code == 1, result.out + result.err
    [finding] = result.findings()
    assert finding["message"] == "region DE is not allowed" and finding["line"] == 13


def test_opa_engines_refuse_the_builtins_before_evaluating(cli, tmp_path):
    write(tmp_path / "p" / "q.rego", 'package main\n\ncfg := parse_config("yaml", "a: 1")\n\ndeny contains "x" if cfg.a == 2\n')
    manifest = write(tmp_path / "llm-sourcing.yaml", MINIMAL)
    # An unreachable server: the refusal comes first, so the message is about the function, not the network.
    result = cli("check", str(manifest), "--no-builtin", "-p", str(tmp_path / "p"), "--format", "json",
                 "--engine", "opa", "--opa-url", "http://127.0.0.1:9")
    assert result.code == 2
    [fault] = result.report["faults"]
    assert "parse_config is a conftest built-in" in fault["message"] and fault["line"] == 3
    bundle = cli("bundle", "build", "-o", str(tmp_path / "b.tar.gz"), "--no-builtin", "-p", str(tmp_path / "p"))
    assert bundle.code == 2 and "q.rego:3: parse_config is a conftest built-in" in bundle.err


def test_calls_in_strings_and_comments_are_not_rewritten():
    from llm_policy.engines.conftest_builtins import calls, engine_text
    from llm_policy.policy.policy_set import Module

    text = '# parse_config_file("a")\nx := "parse_config_file(1)"\ny := parse_config_file("b")\nz := m.parse_config_file("c")\n'
    assert [(n, line) for n, _, line in calls(text)] == [("parse_config_file", 3)]
    rewritten = engine_text(Module("m.rego", text, "m"), 7)
    assert len(rewritten) == len(text) and rewritten.splitlines()[0] == text.splitlines()[0]
    assert rewritten.splitlines()[2] == 'y := __cf1700000000007("b")'


# --- namespaces ------------------------------------------------------------------------------------

NAMESPACED = {
    "main.rego": 'package main\n\ndeny contains "main" if true\n',
    "mark.rego": 'package mark\n\ndeny contains "mark" if true\n',
    "org.rego": 'package org.llm\n\nwarn contains "org" if true\n',
}


@pytest.fixture
def namespaced(tmp_path: Path) -> Path:
    for name, text in NAMESPACED.items():
        write(tmp_path / "p" / name, text)
    write(tmp_path / "llm-sourcing.yaml", MINIMAL)
    return tmp_path


def _messages(result) -> list[str]:
    return sorted(f["message"] for f in result.findings())


def test_namespace_glob_selects_matching_packages(cli, namespaced):
    base = ["check", "llm-sourcing.yaml", "--no-builtin", "-p", "p", "--format", "json"]
    result = cli(*base, "-n", "ma*", "-n", "org.*", cwd=namespaced)
    assert result.code == 1 and _messages(result) == ["main", "mark", "org"]
    only = cli(*base, "-n", "m[a]?n", "-n", "mar?", "-n", "org.llm", cwd=namespaced)
    assert only.code == 1 and _messages(only) == ["main", "mark", "org"]


def test_a_glob_does_not_bypass_the_unevaluated_package_check(cli, namespaced):
    result = cli("check", "llm-sourcing.yaml", "--no-builtin", "-p", "p", "-n", "mar*", "--format", "json", cwd=namespaced)
    assert result.code == 2 and "package main defines deny, but it is not evaluated" in result.report["faults"][0]["message"]


@pytest.mark.parametrize(("pattern", "message"), [("zz*", "matches no package"), ("ma[", "unclosed '['")])
def test_a_glob_matching_nothing_or_malformed_is_an_error(cli, namespaced, pattern, message):
    result = cli("check", "llm-sourcing.yaml", "--no-builtin", "-p", "p", "-n", pattern, "--format", "json", cwd=namespaced)
    assert result.code == 2 and message in (result.err + result.out)


def test_verify_takes_namespace_globs_and_all_namespaces(cli, namespaced):
    write(namespaced / "p" / "mark_test.rego", 'package mark_test\n\nimport data.mark\n\ntest_mark if "mark" in mark.deny\n')
    assert cli("verify", "-p", "p", "-n", "ma*", "-n", "org.*", cwd=namespaced).code == 0
    assert cli("verify", "-p", "p", "--all-namespaces", cwd=namespaced).code == 0
    assert cli("verify", "-p", "p", cwd=namespaced).code == 2  # mark and org.llm would never run under check


# --- verify output ---------------------------------------------------------------------------------

FAILING = '''package main

deny contains msg if {
	input.kind == "Service"
	msg := "no services"
}

test_denies_services if {
	count(deny) == 1 with input as {"kind": "Service"}
}

test_prints_then_fails if {
	print("checking kind", "Pod")
	count(deny) == 1 with input as {"kind": "Pod"}
}
'''


@pytest.fixture
def failing(tmp_path: Path) -> Path:
    write(tmp_path / "policy" / "svc_test.rego", FAILING)
    return tmp_path


def test_verify_text_shows_the_failure_location_and_its_print_output(cli, failing):
    result = cli("verify", "-p", "policy", cwd=failing)
    assert result.code == 1  # conftest verify: a failing test exits 1
    assert "FAIL  policy/svc_test.rego:12: main.test_prints_then_fails" in result.out
    assert "print: policy/svc_test.rego:13: checking kind Pod" in result.out
    assert "PASS" not in result.out  # --report fails (the default) shows failing tests only
    assert result.out.strip().splitlines()[-1] == "1 passed, 1 failed"
    full = cli("verify", "-p", "policy", "--report", "full", cwd=failing)
    assert "PASS  policy/svc_test.rego:8: main.test_denies_services" in full.out


def test_verify_report_notes_adds_what_passing_tests_printed(cli, failing):
    write(failing / "policy" / "note_test.rego", 'package note\n\ntest_notes if {\n\tprint("looked at", 3, "ports")\n}\n')
    fails = cli("verify", "-p", "policy", "--report", "fails", cwd=failing)
    assert "note.test_notes" not in fails.out
    notes = cli("verify", "-p", "policy", "--report", "notes", cwd=failing)
    assert notes.code == 1
    assert "PASS  policy/note_test.rego:3: note.test_notes" in notes.out
    assert "print: policy/note_test.rego:4: looked at 3 ports" in notes.out
    assert "main.test_denies_services" not in notes.out  # passed without printing


def test_verify_json(cli, failing):
    result = cli("verify", "-p", "policy", "--format", "json", cwd=failing)
    assert result.code == 1
    document = json.loads(result.out)
    assert document["summary"] == {"total": 2, "passed": 1, "failed": 1, "errors": 0}
    failed = next(t for t in document["tests"] if t["outcome"] == "fail")
    assert (failed["file"], failed["line"], failed["query"]) == ("policy/svc_test.rego", 12, "data.main.test_prints_then_fails")
    assert failed["outputs"] == ["policy/svc_test.rego:13: checking kind Pod"]


def test_verify_junit(cli, failing):
    result = cli("verify", "-p", "policy", "--format", "junit", cwd=failing)
    assert result.code == 1
    suite = ET.fromstring(result.out).find("testsuite")
    assert suite is not None and suite.get("tests") == "2" and suite.get("failures") == "1"
    case = next(c for c in suite.iter("testcase") if c.get("name") == "test_prints_then_fails")
    failure = case.find("failure")
    assert failure is not None and "policy/svc_test.rego:12" in (failure.text or "")
    assert "checking kind Pod" in (case.findtext("system-out") or "")


def test_verify_tap(cli, failing):
    result = cli("verify", "-p", "policy", "--format", "tap", cwd=failing)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[:4] == ["TAP version 13", "1..2", "ok 1 - policy/svc_test.rego - data.main.test_denies_services",
                         "not ok 2 - policy/svc_test.rego - data.main.test_prints_then_fails"]
    assert "# print: policy/svc_test.rego:13: checking kind Pod" in lines


def test_verify_report_is_for_text_only_and_errors_exit_2(cli, failing):
    assert cli("verify", "-p", "policy", "--format", "json", "--report", "fails", cwd=failing).code == 2
    write(failing / "policy" / "boom_test.rego", 'package boom\n\ntest_raises if {\n\tx := 1 / 0\n\tx == 1\n}\n')
    result = cli("verify", "-p", "policy", cwd=failing)
    assert result.code == 2 and "ERROR policy/boom_test.rego:3: boom.test_raises" in result.out


def test_verify_all_passing_exits_0_and_nothing_to_test_exits_0_unless_asked(cli, tmp_path):
    write(tmp_path / "policy" / "ok_test.rego", "package ok\n\ntest_ok if true\n")
    assert cli("verify", "-p", "policy", cwd=tmp_path).code == 0
    write(tmp_path / "empty" / "x.rego", "package x\n\ny := 1\n")
    assert cli("verify", "-p", "empty", cwd=tmp_path).code == 0  # conftest: no tests is no failure
    assert cli("verify", "-p", "empty", "--fail-on-empty", cwd=tmp_path).code == 2


# --- --strict --------------------------------------------------------------------------------------

SLOPPY = '''package main

import data.unused_table

import data.limits

deny contains msg if {
	input.project.requests_per_hour > limits.max
	unused := "never read"
	msg := "too much traffic"
}

ratio(a, b) := a * 2
'''


def test_strict_reports_unused_imports_arguments_and_assignments(cli, tmp_path):
    write(tmp_path / "p" / "sloppy.rego", SLOPPY)
    manifest = write(tmp_path / "llm-sourcing.yaml", MINIMAL)
    base = ["check", str(manifest), "--no-builtin", "-p", str(tmp_path / "p"), "--format", "json"]
    assert cli(*base).code == 0  # not strict: the policy runs
    result = cli(*base, "--strict")
    assert result.code == 2
    [fault] = result.report["faults"]
    assert fault["line"] == 3 and "import data.unused_table is never used" in fault["message"]
    assert "local variable unused in rule deny" in fault["message"] and "argument b of function ratio" in fault["message"]


def test_strict_passes_clean_policies_and_the_conftest_examples(cli):
    assert cli("verify", "-p", "policy", "-d", "exclusions", "--strict", cwd=FIXTURES / "data").code == 0
    assert cli("verify", "-p", "combine", "--strict", cwd=FIXTURES).code == 0


def test_strict_checker_on_aliases_and_comprehensions():
    from llm_policy.policy.policy_set import Module
    from llm_policy.policy.strict import strict_problems

    text = ("package t\n\nimport data.a as alias\n\nimport data.b as other\n\n"
            "x := alias.v\n\ny contains v if {\n\tsome v in [1]\n\tw := [z | some z in [1]; q := z]\n\tcount(w) > 0\n}\n")
    assert strict_problems(Module("t.rego", text, "t")) == [
        "t.rego:5: strict: import data.b is never used",
        "t.rego:11: strict: local variable q in rule y is assigned but never used",
    ]


def test_the_deadline_worker_registers_the_builtins():
    """The forked, time-limited worker prepares its own engine: the extensions must exist there."""
    from llm_policy.engines.deadline import DeadlineEngine
    from llm_policy.policy.policy_set import Module, PolicySet
    from llm_policy.engines.regorus_engine import RegorusEngine

    text = 'package main\n\ndeny contains sprintf("port %v", [cfg.port]) if {\n\tcfg := parse_config("toml", "port = 22")\n\tcfg.port == 22\n}\n'
    policy_set = PolicySet(modules=[Module("p/main.rego", text, "main")], data={}, namespaces=["main"], rules={})
    engine = DeadlineEngine(RegorusEngine(), timeout=5)
    try:
        engine.prepare(policy_set)
        assert engine.evaluate({}) == {"main": {"deny": ["port 22"]}}
    finally:
        engine.close()


def test_opa_inprocess_refuses_the_builtins_before_evaluating(cli, tmp_path):
    pytest.importorskip("opa_bindings", reason="real OPA in-process (opa-golib-python-bindings) is not installed")
    write(tmp_path / "p" / "q.rego", 'package main\n\ndeny contains "x" if {\n\tparse_config_file("a.yaml").a == 1\n}\n')
    manifest = write(tmp_path / "llm-sourcing.yaml", MINIMAL)
    result = cli("check", str(manifest), "--no-builtin", "-p", str(tmp_path / "p"), "--engine", "opa-inprocess", "--format", "json")
    assert result.code == 2
    [fault] = result.report["faults"]
    assert "parse_config_file is a conftest built-in" in fault["message"] and fault["line"] == 4
    assert result.report["files"][0]["findings"] == []


def test_strict_agrees_with_the_checks_on_opa_s_own_ast():
    """Where real OPA is installed: the same problems as the OPA-AST checker of the hygiene tests."""
    opa = pytest.importorskip("opa_bindings", reason="real OPA in-process (opa-golib-python-bindings) is not installed")
    from test_rego_hygiene import strict_problems as opa_strict

    from llm_policy.policy.policy_set import Module
    from llm_policy.policy.strict import strict_problems

    rows = opa.OpaEngine().eval_query(f"ast := rego.parse_module(\"s.rego\", {json.dumps(SLOPPY)})")
    theirs = sorted(int(p.split(":")[0].split()[1]) for p in opa_strict(SLOPPY, rows[0]["ast"]))
    ours = sorted(int(p.split(":")[1]) for p in strict_problems(Module("s.rego", SLOPPY, "main")))
    assert ours == theirs == [3, 9, 13]


@pytest.mark.parametrize("command", ["verify", "rules"])
def test_an_unmatched_glob_is_a_clean_usage_error_in_verify_and_rules(cli, namespaced, command):
    result = cli(command, "--no-builtin", "-p", "p", "-n", "zz*", cwd=namespaced)
    assert result.code == 2
    assert result.err.strip() == ("llm-policy: error: --namespace pattern 'zz*' matches no package of the --policy "
                                  "directories (packages: main, mark, org.llm)")


DOCKER_POLICY = """package docker

denylist := ["openjdk"]

deny contains msg if {
	some i
	input[i].Cmd == "from"
	val := input[i].Value
	some image in val
	some bad in denylist
	contains(image, bad)
	msg := sprintf("unallowed image found %s", [val])
}
"""

DOCKER_TEST = """package docker

test_openjdk_is_denied if {
	count(deny) == 1 with input as parse_config_file("Dockerfile")[0]
}

test_stages_and_comments if {
	commands := parse_config_file("Dockerfile")[0]
	[c.Stage | some c in commands; c.Cmd == "from"] == [0, 1]
	{"Cmd": "comment", "SubCmd": "", "JSON": false, "Flags": [], "Value": ["build stage"], "Stage": 0} in commands
	{"Cmd": "copy", "SubCmd": "", "JSON": false, "Flags": ["--from=build"], "Value": ["/app", "/app"], "Stage": 1} in commands
}
"""

DOCKERFILE = """# build stage
FROM openjdk:8-jdk-alpine AS build
RUN javac App.java

FROM alpine:3.20
COPY --from=build /app /app
CMD ["java", "App"]
"""


def test_dockerfile_parser_gives_conftest_s_document_shape(cli, tmp_path):
    pytest.importorskip("dockerfile", reason="the optional dockerfile package (pip install 'llm-policy[conftest]') is not installed")
    write(tmp_path / "policy" / "docker.rego", DOCKER_POLICY)
    write(tmp_path / "policy" / "docker_test.rego", DOCKER_TEST)
    write(tmp_path / "policy" / "Dockerfile", DOCKERFILE)
    result = cli("verify", "-p", "policy", "-n", "docker", cwd=tmp_path)
    assert result.code == 0, result.out + result.err
    assert result.out.strip().splitlines()[-1] == "2 passed, 0 failed"


def test_dockerfile_without_its_package_names_the_package(monkeypatch):
    from llm_policy.engines import conftest_builtins

    monkeypatch.setattr(conftest_builtins, "_optional_available", lambda name: False)
    with pytest.raises(conftest_builtins.BuiltinError, match="needs the 'dockerfile' package"):
        conftest_builtins.parse_config("dockerfile", "FROM x\n")
