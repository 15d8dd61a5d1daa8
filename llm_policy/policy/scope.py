"""Which loaded packages `check` evaluates, and the faults when that differs from what is loaded.

A rule that is loaded but never evaluated is the quietest way for a policy to fail open: `rules`,
`explain` and `bundle` list it, the author believes it runs, and `check` passes every manifest.
So the evaluation scope is computed in one place and enforced:

- evaluated are the built-in rule tree (`llm_policy.rules.*`), every `--namespace` package
  (default `main`) and, with `--all-namespaces` (conftest's flag), every package that decides;
- a package *decides* when it defines `findings`, `deny`, `violation` or `warn` (with conftest's
  `_suffix` forms); in an evaluated package both styles count;
- a deciding package outside the scope, or a METADATA rule id declared in one, is a policy fault
  (exit 2) that names the package and the flag that would include it;
- a run that would evaluate no deciding package at all (`--no-builtin` without effective custom
  rules) is a fault too: evaluating nothing is never a pass.

Rule heads are found in the source text (column 0, as `opa fmt` writes them) so that every
command (check, verify, rules, explain, bundle) and every engine agrees without compiling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from llm_policy.findings import RuleInfo

if TYPE_CHECKING:
    from llm_policy.policy.policy_set import Module, PolicySet

BUILTIN_RULE_ROOT = "llm_policy.rules"
CONFTEST_RULES = {"deny": "error", "violation": "error", "warn": "warning"}
CONFTEST_RULE = re.compile(r"^(deny|violation|warn)(_[a-zA-Z0-9]+)*$")  # as conftest matches them
# A rule head at the start of a line: `deny contains msg if`, `deny[msg] {` (v0), `findings contains f if`,
# `default deny := ...`. `denylist`/`warning` do not match (word boundary after the name).
_DECIDING_HEAD = re.compile(r"(?:default\s+)?(findings|(?:deny|violation|warn)(?:_[a-zA-Z0-9]+)*)\b(?!\s*\()")
_HEAD_WORDS = ("findings", "deny", "violation", "warn", "default")
# An indented head (code `opa fmt` never touched) counts only in forms a body-local variable
# cannot take (`deny contains`, `deny[msg] {`, `deny if`), so `x := deny` in a body is no rule.
_INDENTED_HEAD = re.compile(
    r"^[ \t]+(?:default\s+)?(findings|(?:deny|violation|warn)(?:_[a-zA-Z0-9]+)*)(?=\s+contains\b|\s+if\b|\[)", re.MULTILINE
)


def deciding_rules(module: "Module") -> dict[str, int]:
    """{rule name: 1-based line of its first head} of the rules that produce findings (cached per module)."""
    cached = module.__dict__.get("_deciding")
    if cached is not None:
        return cached
    text = module.text
    starts = []  # line starts that begin with a candidate word: str.find is ~20x faster than a regex scan
    for word in _HEAD_WORDS:
        if text.startswith(word):
            starts.append(0)
        position = text.find("\n" + word)
        while position != -1:
            starts.append(position + 1)
            position = text.find("\n" + word, position + 1)
    found: dict[str, int] = {}
    heads = []
    for start in starts:
        match = _DECIDING_HEAD.match(text, start)
        if match:
            heads.append((start, match.group(1)))
    if "\n " in text or "\n\t" in text:
        heads += [(m.start(1), m.group(1)) for m in _INDENTED_HEAD.finditer(text)]
    for start, name in sorted(heads):
        found.setdefault(name, text.count("\n", 0, start) + 1)
    module.__dict__["_deciding"] = found
    return found


GLOB_CHARS = "*?["


def is_glob(namespace: str) -> bool:
    return any(c in namespace for c in GLOB_CHARS)


def glob_regex(pattern: str) -> "re.Pattern[str]":
    """Go's path.Match syntax as conftest uses it for --namespace: `*` any run of characters (`.` is
    ordinary, so `main.*` matches `main.a.b`), `?` one character, `[abc]`, `[a-z]`, `[^abc]`.
    ValueError for a malformed pattern (an unclosed `[`), which path.Match rejects too."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*":
            out.append(".*")
        elif c == "?":
            out.append(".")
        elif c == "[":
            end = pattern.find("]", i + 2 if pattern[i + 1:i + 2] == "^" else i + 1)
            if end == -1:
                raise ValueError(f"namespace pattern {pattern!r} has an unclosed '['")
            body = pattern[i + 1:end]
            negate = body.startswith("^")
            body = body[1:] if negate else body
            if not body:
                raise ValueError(f"namespace pattern {pattern!r} has an empty character class")
            out.append("[" + ("^" if negate else "") + body + "]")
            i = end
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out))


def expand_namespaces(patterns: "list[str]", modules: "list[Module]") -> list[str]:
    """Literal namespaces as given; a glob becomes the custom packages it matches, in load order.

    A glob is matched against the packages of custom, non-test modules (the built-in rule tree is
    always evaluated, and its library is no namespace). A glob that matches nothing is an error, as
    a typo would otherwise evaluate nothing of the packages it meant.
    """
    candidates = list(dict.fromkeys(
        m.package for m in modules if not m.is_test and not m.path.startswith("builtin:") and not in_builtin_tree(m.package)))
    expanded: list[str] = []
    for pattern in patterns:
        if not is_glob(pattern):
            expanded.append(pattern)
            continue
        regex = glob_regex(pattern)
        matched = [p for p in candidates if regex.fullmatch(p)]
        if not matched:
            raise ValueError(
                f"--namespace pattern {pattern!r} matches no package of the --policy directories "
                f"(packages: {', '.join(candidates) or 'none'})")
        expanded += matched
    return list(dict.fromkeys(expanded))


def in_builtin_tree(package: str) -> bool:
    return package == BUILTIN_RULE_ROOT or package.startswith(BUILTIN_RULE_ROOT + ".")


def is_evaluated(policy_set: "PolicySet", package: str) -> bool:
    return in_builtin_tree(package) or package in policy_set.namespaces


def deciding_packages(modules: "list[Module]") -> list[str]:
    """Packages (outside the built-in tree) of non-test modules that define deciding rules, in load order."""
    packages = [m.package for m in modules if not m.is_test and not in_builtin_tree(m.package) and deciding_rules(m)]
    return list(dict.fromkeys(packages))


@dataclass(frozen=True)
class Unevaluated:
    """A package that is loaded but that `check` would not evaluate, and why it matters."""

    package: str
    file: str
    line: int
    what: str  # e.g. "deny, warn" or "METADATA rule ORG001"

    def message(self, namespaces: list[str]) -> str:
        scope = ", ".join([BUILTIN_RULE_ROOT + ".*", *namespaces])
        return (
            f"package {self.package} defines {self.what}, but it is not evaluated (evaluated: {scope}), "
            f"so its rules would silently never fire; add --namespace {self.package} "
            f"(`namespace: [{self.package}]` in .llm-policy.yaml) or --all-namespaces, or move the rule "
            f"under package {BUILTIN_RULE_ROOT}.<name>"
        )


def unevaluated(policy_set: "PolicySet") -> list[Unevaluated]:
    """Deciding packages and METADATA rules outside the evaluation scope, one entry per package."""
    found: dict[str, Unevaluated] = {}
    for module in policy_set.modules:
        # Built-in modules outside the rule tree define no deciding rule (a test checks): not scanned.
        if module.is_test or is_evaluated(policy_set, module.package) or module.package in found or module.path.startswith("builtin:"):
            continue
        rules = deciding_rules(module)
        if rules:
            name, line = next(iter(rules.items()))
            found[module.package] = Unevaluated(module.package, module.path, line, ", ".join(rules) if len(rules) > 1 else name)
            continue
        ids = [a for a in module.annotations if a.custom.get("id")]
        if ids:
            found[module.package] = Unevaluated(module.package, module.path, ids[0].line, f"METADATA rule {ids[0].custom['id']}")
    return list(found.values())


def nothing_evaluated(policy_set: "PolicySet") -> bool:
    """True when no evaluated package defines a deciding rule: the run could only ever pass."""
    return not any(
        not m.is_test and is_evaluated(policy_set, m.package) and deciding_rules(m) for m in policy_set.modules
    )


NOTHING_EVALUATED = (
    "no policy rules to evaluate: the built-in pack is off (--no-builtin or `no_builtin: true`) and no "
    "--policy directory defines findings, deny, violation or warn in an evaluated package "
    f"({BUILTIN_RULE_ROOT}.*, --namespace, --all-namespaces); a run that evaluates nothing cannot pass"
)


def unevaluated_rule_ids(policy_set: "PolicySet") -> dict[str, str]:
    """{rule id: package} for the listed rules whose package `check` would not evaluate."""
    outside = {u.package for u in unevaluated(policy_set)}
    ids: dict[str, str] = {}
    for module in policy_set.modules:
        if module.package not in outside or module.is_test:
            continue
        for annotation in module.annotations:
            if annotation.custom.get("id"):
                ids[str(annotation.custom["id"])] = module.package
        for info in conftest_rule_infos([module]):
            ids[info.id] = module.package
    return ids


def _annotated(module: "Module", rule: str) -> bool:
    for annotation in module.annotations:
        if not annotation.custom.get("id"):
            continue
        if annotation.scope in ("package", "subpackages") or (annotation.scope == "rule" and annotation.target == rule):
            return True
    return False


def conftest_rule_infos(modules: "list[Module]") -> list[RuleInfo]:
    """Conftest-style rules without a METADATA id, listed as `<package>.<rule>` (the id findings carry)."""
    infos: dict[str, RuleInfo] = {}
    for module in modules:
        # The built-in pack's rules all carry METADATA ids (a test checks); skipping it keeps start-up cheap.
        if module.is_test or module.path.startswith("builtin:"):
            continue
        for rule in deciding_rules(module):
            if not CONFTEST_RULE.match(rule) or _annotated(module, rule):
                continue
            rule_id = f"{module.package}.{rule}"
            infos.setdefault(rule_id, RuleInfo(
                id=rule_id,
                title=f"{rule} in package {module.package}",
                severity=CONFTEST_RULES[rule.split("_", 1)[0]],  # type: ignore[arg-type]
                description=f"A conftest-style rule: each message `{rule}` produces is a finding "
                f"({CONFTEST_RULES[rule.split('_', 1)[0]]}). Give it a `# METADATA` block with custom.id for a title and an id of its own.",
                source=module.path,
            ))
    return list(infos.values())


def first_problem(policy_set: "PolicySet", require_rules: bool) -> Optional[tuple[str, Optional[str], Optional[int]]]:
    """(message, file, line) of the first scope fault, or None."""
    outside = unevaluated(policy_set)
    if outside:
        first = outside[0]
        more = f" (and {len(outside) - 1} more package(s): {', '.join(u.package for u in outside[1:])})" if len(outside) > 1 else ""
        return first.message(policy_set.namespaces) + more, first.file, first.line
    if require_rules and nothing_evaluated(policy_set):
        return NOTHING_EVALUATED, None, None
    return None
