"""How `verify` reports test results: text, json, junit and tap (conftest verify's --output choices).

Every format carries, for a failing or erroring test, its file:line, the reason and whatever the
test printed with print(). `--report` chooses the detail of text output as conftest's does:
`fails` the failing tests only, `notes` also what passing tests printed, `full` every test with
all it has. regorus records no evaluation trace, so the detail is print() output and the failure
reason, not OPA's trace events.
"""

from __future__ import annotations

import json
from typing import Any, Optional
from xml.sax.saxutils import escape, quoteattr

from llm_policy.policy.verify import TestResult, VerifyResult

FORMATS = ("text", "json", "junit", "tap")
REPORTS = ("fails", "notes", "full")


def counts(result: VerifyResult) -> dict[str, int]:
    tests = result.tests
    return {
        "total": len(tests),
        "passed": sum(t.outcome == "pass" for t in tests),
        "failed": sum(t.outcome == "fail" for t in tests),
        "errors": sum(t.outcome == "error" for t in tests),
    }


def _query(test: TestResult) -> str:
    return f"data.{test.package}.{test.name}"


def text(result: VerifyResult, verbose: bool, report: Optional[str]) -> str:
    lines = []
    for test in result.tests:
        failing = test.outcome != "pass"
        show = failing or verbose or report == "full" or (report == "notes" and test.outputs)
        if not show:
            continue
        line = f"{test.outcome.upper():<5} {test.file}:{test.line}: {test.package}.{test.name} ({test.duration_ms:.1f} ms)"
        lines.append(line + (f": {test.message}" if test.message else ""))
        if failing or report in ("notes", "full"):
            lines += [f"      print: {output}" for output in test.outputs]
    c = counts(result)
    summary = f"{c['passed']} passed, {c['failed']} failed"
    if c["errors"]:
        summary += f", {c['errors']} errors"
    lines.append(summary)
    return "\n".join(lines) + "\n"


def as_json(result: VerifyResult) -> str:
    document: dict[str, Any] = {
        "summary": counts(result),
        "tests": [
            {
                "package": t.package, "name": t.name, "query": _query(t), "file": t.file, "line": t.line,
                "outcome": t.outcome, "duration_ms": round(t.duration_ms, 3), "message": t.message, "outputs": t.outputs,
            }
            for t in result.tests
        ],
    }
    if result.coverage is not None:
        document["coverage"] = {
            "percent": round(result.coverage, 2),
            "files": [{"path": f.path, "covered": f.covered, "total": f.total, "not_covered": f.missing, "touched": f.touched}
                      for f in result.files],
        }
    return json.dumps(document, indent=2) + "\n"


def junit(result: VerifyResult) -> str:
    c = counts(result)
    seconds = sum(t.duration_ms for t in result.tests) / 1000
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<testsuites name="llm-policy verify" tests="{c["total"]}" failures="{c["failed"]}" errors="{c["errors"]}" time="{seconds:.3f}">',
           f'  <testsuite name="llm-policy verify" tests="{c["total"]}" failures="{c["failed"]}" errors="{c["errors"]}" time="{seconds:.3f}">']
    for t in result.tests:
        attrs = f'classname={quoteattr(t.package)} name={quoteattr(t.name)} file={quoteattr(t.file)} line="{t.line}" time="{t.duration_ms / 1000:.3f}"'
        body = []
        if t.outcome != "pass":
            tag = "failure" if t.outcome == "fail" else "error"
            detail = f"{t.file}:{t.line}: {_query(t)}: {t.message}"
            body.append(f"      <{tag} message={quoteattr(t.message or t.outcome)}>{escape(detail)}</{tag}>")
        if t.outputs:
            body.append("      <system-out>" + escape("\n".join(t.outputs)) + "</system-out>")
        if body:
            out += [f"    <testcase {attrs}>", *body, "    </testcase>"]
        else:
            out.append(f"    <testcase {attrs}/>")
    out += ["  </testsuite>", "</testsuites>"]
    return "\n".join(out) + "\n"


def tap(result: VerifyResult) -> str:
    """TAP 13: one line per test, failure detail and print() output as diagnostics (`# ...`)."""
    out = ["TAP version 13", f"1..{len(result.tests)}"]
    for number, t in enumerate(result.tests, start=1):
        status = "ok" if t.outcome == "pass" else "not ok"
        out.append(f"{status} {number} - {t.file} - {_query(t)}")
        if t.outcome != "pass":
            out.append(f"# {t.outcome} at {t.file}:{t.line}: {t.message}")
        out += [f"# print: {o}" for o in t.outputs]
    return "\n".join(out) + "\n"
