"""Turtle and N-Triples loaded by the engine are checked before the load is published
(issue 18, item 5): a load can no longer poison the store, and each problem names the file
and the item, without --validate."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reviewgraph.cli import main
from reviewgraph.errors import ValidationFailed
from reviewgraph.io.store import load_files
from reviewgraph.stores import open_store

HEAD = (
    "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
    "@prefix rg: <https://w3id.org/reviewgraph/ns#> .\n"
    "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
    "@prefix id: <https://w3id.org/reviewgraph/id/> .\n"
)
GOOD = HEAD + 'id:dhsc a rg:Body ; skos:prefLabel "DHSC" .\n'


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture(params=["memory", "disk"])
def spec(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return "memory" if request.param == "memory" else f"oxigraph:{tmp_path / 'st'}"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


CASES = {
    "missing-title.ttl": (HEAD + "id:r-2024 a rg:Review .\n", "r-2024: title is required"),
    "unknown-class.ttl": (
        HEAD + 'id:r-2024 a rg:Reveiw ; dcterms:title "x" .\n',
        "r-2024: rg:Reveiw is not a reviewgraph class",
    ),
    "duplicate.ttl": (
        HEAD + 'id:dhsc a rg:Body ; skos:prefLabel "again" .\n',
        "dhsc: the id is already defined in graph <",
    ),
    "dangling.nt": (
        "<https://w3id.org/reviewgraph/id/x-2024/1> "
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/reviewgraph/ns#Recommendation> .\n"
        "<https://w3id.org/reviewgraph/id/x-2024/1> <https://w3id.org/reviewgraph/ns#partOf> "
        "<https://w3id.org/reviewgraph/id/x-2024> .\n",
        "refers to 'x-2024', which neither the files nor the store define",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_bad_engine_loaded_file_is_refused_and_the_store_is_unchanged(
    name: str, spec: str, tmp_path: Path
) -> None:
    text, message = CASES[name]
    good = _write(tmp_path, "good.ttl", GOOD)
    bad = _write(tmp_path, name, text)
    with open_store(spec, writable=True) as store:
        load_files(store, [good])
        before = store.graphs()
        with pytest.raises(ValidationFailed) as info:
            load_files(store, [bad])
        lines = [str(p) for p in info.value.problems]
        assert any(line.startswith(f"{bad}: ") and message in line for line in lines), lines
        assert store.graphs() == before


def test_the_command_line_names_the_file_and_item(tmp_path: Path) -> None:
    bad = _write(tmp_path, "bad.ttl", CASES["missing-title.ttl"][0])
    store = tmp_path / "st"
    result = run("load", str(bad), "--store", f"oxigraph:{store}")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {bad}: r-2024: title is required\n"
    assert not store.exists()


def _open_under(folder: Path) -> list[str]:
    """The files this process holds open under ``folder`` (Linux's /proc)."""
    found = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = str(fd.readlink())
        except OSError:
            continue
        if target.startswith(str(folder)):
            found.append(target)
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux's /proc")
def test_a_refused_load_closes_the_database_it_was_writing(tmp_path: Path) -> None:
    # The failing CI run of 2026-12-07: the refused load's database stayed open (the
    # exception's frames held it), so its own threads raced the removal of the folder.
    bad = _write(tmp_path, "bad.ttl", CASES["missing-title.ttl"][0])
    good = _write(tmp_path, "good.ttl", GOOD)
    store = tmp_path / "st"
    assert run("load", str(bad), "--store", f"oxigraph:{store}").exit_code == 2
    assert _open_under(store) == []
    assert run("load", str(good), "--store", f"oxigraph:{store}").exit_code == 0
    assert run("load", str(bad), "--store", f"oxigraph:{store}").exit_code == 2
    assert not [f for f in _open_under(store) if "(deleted)" in f]


def test_a_later_command_is_not_poisoned(tmp_path: Path) -> None:
    good = _write(tmp_path, "good.ttl", GOOD)
    bad = _write(tmp_path, "bad.ttl", CASES["missing-title.ttl"][0])
    store = f"oxigraph:{tmp_path / 'st'}"
    assert run("load", str(good), "--store", store).exit_code == 0
    assert run("load", str(bad), "--store", store).exit_code == 2
    result = run("gaps", "--store", store)
    assert result.exit_code == 0, result.output


def test_the_seeds_exported_as_rdf_load_without_complaint(tmp_path: Path) -> None:
    for fmt in ("nt", "ttl"):
        out = tmp_path / f"seeds.{fmt}"
        assert run("export", "--format", fmt, "-o", str(out)).exit_code == 0
        result = run("load", str(out), "--store", f"oxigraph:{tmp_path / fmt}")
        assert result.exit_code == 0, result.output


def test_a_duplicate_between_two_new_files_is_reported_once(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.ttl", GOOD)
    b = _write(tmp_path, "b.ttl", GOOD.replace('"DHSC"', '"DHSC again"'))
    result = run("load", str(a), str(b), "--store", "memory")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1, result.stderr
