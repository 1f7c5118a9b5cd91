"""One N-Triples writer, and one query header parser, binder, guard and runner (issue 13).

Each check looks in the package's code (docstrings left out) for what defines one of these,
and fails if it turns up anywhere but the one module that should hold it, so a second writer
or parser written beside the first cannot creep back in.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "reviewgraph"


def _code(path: Path) -> str:
    """The module's text with its docstrings blanked out (examples there are not code)."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            if isinstance(body[0].value.value, str):
                first, last = body[0].lineno, body[0].end_lineno or body[0].lineno
                for i in range(first - 1, last):
                    lines[i] = "\n"
    return "".join(lines)


CODE = {str(p.relative_to(SRC)): _code(p) for p in sorted(SRC.rglob("*.py"))}

CHECKS: dict[str, tuple[str, set[str], dict[str, str]]] = {
    "an N-Triples literal's datatype written by hand": (
        r"\^\^<\{",
        {"vocab/ntriples.py"},
        {},
    ),
    "an N-Triples escape of a carriage return": (r'"\\\\r"', {"vocab/ntriples.py"}, {}),
    "an RDF library asked to write N-Triples": (
        r"serialize\([^)]*(format=\"nt\"|N_TRIPLES)|\.dump\([^)]*N_TRIPLES",
        set(),
        {
            "stores/oxigraph.py": "a graph copied between two generations, engine to engine",
        },
    ),
    "a query header's @param/@column lines read": (r"#\\s\*@", {"sparql/header.py"}, {}),
    "a parameter bound by its declared type": (r'== "xsd:(date|integer)"', {"sparql/bind.py"}, {}),
    "an update or SERVICE refused": (r"parseUpdate|ServiceGraphPattern", {"sparql/guard.py"}, {}),
    "values bound into a query by an engine": (
        r"initBindings=|substitutions=",
        {"sparql/run.py", "stores/rdflib_store.py"},
        {},
    ),
}
"""What defines each one, the modules that may hold it, and known exceptions with reasons."""


@pytest.mark.parametrize("what", sorted(CHECKS))
def test_there_is_one_of_each(what: str) -> None:
    pattern, homes, known = CHECKS[what]
    found = {name for name, code in CODE.items() if re.search(pattern, code)}
    assert found - homes - set(known) == set(), f"{what} outside {sorted(homes)}"
    # each home still holds it, so the check cannot pass by having nothing to find
    assert homes <= found, f"{what}: not found in {sorted(homes - found)}"


def test_the_checks_find_a_second_writer() -> None:
    second = 'def nt(v: str) -> str:\n    return "\\"" + v.replace("\\r", "\\\\r") + "\\""\n'
    assert re.search(CHECKS["an N-Triples escape of a carriage return"][0], second)
    assert re.search(CHECKS["a query header's @param/@column lines read"][0], r're"#\s*@param"')
