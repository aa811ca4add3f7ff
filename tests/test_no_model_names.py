"""Nothing outside a model's own module names it (issue 8: "adding a model is one new
file"). The registered models' class names must not appear in the code of any module of
``neurolab/`` outside ``neurolab/models/``: not as an identifier (an import, a call, an
isinstance check, an attribute) and not inside a string the code uses (a lookup key, a
table label). Documentation (docstrings, bare string statements, comments) is not code
and is not checked here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import neurolab
from neurolab.models import registered

PACKAGE = Path(neurolab.__file__).resolve().parent
MODELS = PACKAGE / "models"


def _model_names() -> set[str]:
    """Class names of the built-in registered models (those defined in the package, not
    ones a test defined)."""
    return {name for name, cls in registered().items()
            if cls.__module__.startswith("neurolab.models.")}


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if MODELS not in p.parents)


def _documentation(tree: ast.AST) -> set[int]:
    """ids of the string constants that are documentation: every bare string
    statement (module, class and function docstrings, attribute docstrings)."""
    out = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)):
            out.add(id(node.value))
    return out


def names_in_code(source: str, names: set[str]) -> list[tuple[int, str]]:
    """(line, what) for every use of one of ``names`` in the code of ``source``."""
    tree = ast.parse(source)
    docs = _documentation(tree)
    word = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names))) + r")\b")
    hits: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        idents: list[str] = []
        if isinstance(node, ast.Name):
            idents = [node.id]
        elif isinstance(node, ast.Attribute):
            idents = [node.attr]
        elif isinstance(node, ast.alias):
            idents = [node.name.rsplit(".", 1)[-1], node.asname or ""]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            idents = [node.name]
        elif isinstance(node, ast.arg):
            idents = [node.arg]
        elif isinstance(node, ast.keyword):
            idents = [node.arg or ""]
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and id(node) not in docs):
            hits += [(line, f"string {m.group(0)!r}") for m in word.finditer(node.value)]
        hits += [(line, f"identifier {i!r}") for i in idents if i in names]
    return hits


def test_the_scanner_sees_code_and_skips_documentation():
    """The checker finds a name in an import, a call, an isinstance check, an attribute,
    a keyword and a lookup string, and ignores docstrings and comments."""
    src = '''"""Module about Foo."""
from x import Foo  # a comment on Foo
import y.Foo as F


def f(m):
    """Docstring naming Foo."""
    "an attribute docstring on Foo"
    a = isinstance(m, Foo)
    b = y.Foo()
    c = lookup("Foo")
    d = g(Foo=1)
    e = "Food is fine"
    return f"{m} is a Foo"
'''
    hits = names_in_code(src, {"Foo"})
    assert sorted({line for line, _ in hits}) == [2, 3, 9, 10, 11, 12, 14]


def test_registered_models_are_known():
    names = _model_names()
    assert {"HodgkinHuxley", "LIF", "Izhikevich"} <= names


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_outside_the_models_names_a_model(path: Path):
    hits = names_in_code(path.read_text(), _model_names())
    assert not hits, "\n".join(f"{path.relative_to(PACKAGE)}:{line}: {what}"
                               for line, what in hits)
