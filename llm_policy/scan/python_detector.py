"""Python: the standard library's `ast`, so only real syntax counts.

Imports (`import x`, `from x import Y`, and attribute uses such as `openai.AzureOpenAI` through an
imported name), signature calls (`boto3.client("bedrock-runtime")`) and the string literals of the
code. Docstrings and other bare string statements are prose, and comments never reach the tree,
so neither can raise a finding; neither can a variable named `openai_compatible`, which is a name,
not an import.
"""

from __future__ import annotations

import ast
from typing import Optional

from llm_policy.scan.evidence import Hit, Literal, literal_hits, model_hits
from llm_policy.scan.signatures import SignatureSet


class _Visitor(ast.NodeVisitor):
    def __init__(self, signatures: SignatureSet, lines: list[str]):
        self.signatures = signatures
        self.lines = lines
        self.bindings: dict[str, str] = {}  # local name -> qualified module or module.Name
        self.hits: list[Hit] = []
        self.literals: list[Literal] = []
        self.identifiers: set[str] = set()
        self.prose: set[int] = set()  # ids of Constant nodes that are docstrings or bare strings
        self.plain_uses: set[str] = set()  # imported modules used directly (`openai.OpenAI`, not only `openai.AzureOpenAI`)

    def column(self, node: ast.AST) -> int:
        """ast columns are UTF-8 byte offsets; reports count characters (1-based)."""
        line = self.lines[node.lineno - 1] if 0 < node.lineno <= len(self.lines) else ""
        return len(line.encode("utf-8")[: node.col_offset].decode("utf-8", "replace")) + 1

    def _module(self, name: str, node: ast.AST) -> None:
        found = self.signatures.module("python", name)
        if found is not None:
            self.hits.append(Hit(found[1], "import", node.lineno, self.column(node), name))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._module(alias.name, node)
            if alias.asname:
                self.bindings[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                self.bindings[top] = top

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module:
            return  # a relative import is the project's own code
        for alias in node.names:
            qualified = node.module if alias.name == "*" else f"{node.module}.{alias.name}"
            self._module(qualified, node)
            if alias.name != "*":
                self.bindings[alias.asname or alias.name] = qualified

    def _qualified(self, node: ast.AST) -> Optional[str]:
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Name) and node.id in self.bindings:
            return ".".join([self.bindings[node.id], *reversed(parts)])
        return None

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self.identifiers.add(node.attr)
        qualified = self._qualified(node)
        if qualified is not None:
            found = self.signatures.module("python", qualified)
            if found is not None and any(h.match == found[0] for h in self.hits if h.kind == "import"):
                self.plain_uses.add(found[0])
            elif found is not None:  # a more specific entry than the import's (openai.AzureOpenAI under `import openai`)
                self.hits.append(Hit(found[1], "call", node.lineno, self.column(node), found[0]))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        for keyword in node.keywords:
            if keyword.arg:
                self.identifiers.add(keyword.arg)
        func = node.func
        if isinstance(func, ast.Attribute) and self.signatures.calls:
            base = self._qualified(func.value) or ""
            argument = _first_string(node)
            for call, sig in self.signatures.calls:
                if func.attr == call.method and argument in call.arguments and base.split(".")[0] in call.modules:
                    self.hits.append(Hit(sig, "call", node.lineno, self.column(node), f"{base}.{func.attr}({argument!r})"))
        self.generic_visit(node)

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            self.prose.add(id(node.value))  # a docstring or a bare string: prose, not code
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        self.identifiers.add(node.id)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and id(node) not in self.prose:
            self.literals.append(Literal(node.value, node.lineno, self.column(node)))


def _first_string(node: ast.Call) -> Optional[str]:
    if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
        return node.args[0].value
    for keyword in node.keywords:
        if keyword.arg == "service_name" and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
            return keyword.value.value
    return None


def detect(signatures: SignatureSet, text: str) -> tuple[list[Hit], set[str]]:
    """The hits of one Python file and the identifiers it uses (for `compatible_markers`)."""
    tree = ast.parse(text)  # SyntaxError/ValueError: the caller records the file as unparsed
    visitor = _Visitor(signatures, text.splitlines())
    visitor.visit(tree)
    specific = [h for h in visitor.hits if h.kind == "call" and "(" not in h.match]
    # `import openai` used only as `openai.AzureOpenAI(...)` is Azure, not OpenAI.
    hits = [h for h in visitor.hits if not (
        h.kind == "import" and h.match not in visitor.plain_uses
        and any(s.match.startswith(h.match + ".") and s.signature is not h.signature for s in specific)
    )]
    hits = hits + literal_hits(signatures, visitor.literals, text)
    hits += model_hits(signatures, hits, visitor.literals)
    return hits, visitor.identifiers
