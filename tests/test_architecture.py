"""The rooms of docs/architecture.md and the arrows between them, checked on every import."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "reviewgraph"

BASE = {"errors", "dates", "vocab", "collector"}
MODEL = BASE | {"models"}
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "collector": set(),
    "dates": {"errors"},
    "vocab": {"errors"},
    "models": {"errors", "dates", "vocab"},
    "rdf": MODEL,
    "stores": {"errors", "vocab"},
    "shacl": MODEL | {"rdf"},
    "validate": MODEL | {"rdf", "io", "shacl"},
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


DOC = SRC.parents[1] / "docs" / "architecture.md"

LISTED_IN_FULL = ("stores", "sparql")
"""Rooms whose paragraph on the page names every module."""


def _room_paragraphs() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    return {
        m[1]: m[2]
        for m in re.finditer(r"^\*\*(\w+)/\*\*(.*?)(?=^\s*$)", text, re.MULTILINE | re.DOTALL)
    }


def test_the_modules_the_page_names_exist() -> None:
    paragraphs = _room_paragraphs()
    assert set(LISTED_IN_FULL) <= set(paragraphs)
    missing = [
        f"{room}/{name}"
        for room, text in paragraphs.items()
        for name in re.findall(r"`(\w+\.py)`", text)
        if not (SRC / room / name).is_file()
    ]
    assert not missing, "docs/architecture.md names modules that do not exist: " + ", ".join(
        missing
    )


@pytest.mark.parametrize("room", LISTED_IN_FULL)
def test_the_page_names_every_module_of_the_rooms_it_lists_in_full(room: str) -> None:
    named = set(re.findall(r"`(\w+\.py)`", _room_paragraphs()[room]))
    modules = {p.name for p in (SRC / room).glob("*.py")} - {"__init__.py"}
    assert modules - named == set(), f"docs/architecture.md's {room}/ paragraph leaves out"
