"""The rooms of docs/architecture.md and the arrows between them, checked on every import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "reviewgraph"

BASE = {"errors", "dates", "vocab"}
MODEL = BASE | {"models"}
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "dates": {"errors"},
    "vocab": {"errors"},
    "models": {"errors", "dates", "vocab"},
    "rdf": MODEL,
    "stores": {"errors", "vocab"},
    "validate": MODEL | {"rdf", "io"},
    "sparql": BASE | {"stores", "rdf", "io"},
    "io": MODEL | {"rdf", "stores", "validate", "sparql"},
    "analysis": MODEL | {"rdf", "io", "stores", "sparql", "validate"},
    "report": MODEL | {"rdf", "analysis", "io"},
}
"""Each room with the rooms it may import.  The command line, the package's front door and the
build tools may import anything."""

FREE = {"cli", "source", "limits", "__init__", "__main__", "_build"}


def _room(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    name = parts[0].removesuffix(".py")
    return "cli" if name.startswith("cli") else name


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "reviewgraph":
                names = [f"reviewgraph.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "reviewgraph" and len(parts) > 1:
                found.append((node.lineno, parts[1]))
    return found


EXCEPTIONS = {
    ("io/template.py", "analysis"): "the template's example rows are the demo dataset's",
}
"""Imports across an arrow, each with the reason it is allowed."""

MODULES = sorted(SRC.rglob("*.py"))


def test_every_room_is_in_the_table() -> None:
    rooms = {_room(p) for p in MODULES}
    assert rooms - FREE - set(ALLOWED) == set()


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_follow_the_arrows(path: Path) -> None:
    room = _room(path)
    if room in FREE:
        return
    bad = [
        f"{path.relative_to(SRC)}:{line} imports reviewgraph.{target}"
        for line, target in _imports(path)
        if target != room
        and target.removesuffix(".py") not in ALLOWED[room]
        and not target.startswith("cli")
        and (str(path.relative_to(SRC)), target) not in EXCEPTIONS
    ]
    assert not bad, "imports across the arrows of docs/architecture.md: " + "; ".join(bad)


def test_no_room_imports_the_command_line() -> None:
    bad = [
        f"{p.relative_to(SRC)}:{line}"
        for p in MODULES
        if _room(p) not in {"cli", "_build", "__main__", "limits"}
        for line, target in _imports(p)
        if target.startswith("cli")
    ]
    assert not bad
