"""Text that line-oriented or XML writers could mangle (issue 18, items 2 and 10).

N-Triples and N-Quads are sorted line by line; a literal may hold U+2028, U+2029, U+0085
(which ``str.splitlines`` also treats as line ends) as they are, so the export must cut at
``\\n`` only and still read back, from files and from a store.  Characters that XML 1.0
cannot carry (VT, FF, U+001C-U+001E and the other C0 controls, U+FFFE, U+FFFF) are refused at
input, so that every XML export is well-formed.
"""

from __future__ import annotations

import xml.dom.minidom
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from reviewgraph.cli import main
from reviewgraph.errors import ValidationFailed
from reviewgraph.io.export import export_dataset, export_store
from reviewgraph.io.files import read_dataset
from reviewgraph.io.store import add_dataset
from reviewgraph.models import Body, Dataset, Review
from reviewgraph.rdf.mapping import to_graph
from reviewgraph.stores import open_store

LINE_LIKE = ["\u2028", "\u2029", "\u0085", "\r\n", "\t"]
"""Characters XML allows that str.splitlines() would cut at (and a tab and CRLF)."""


def _dataset() -> Dataset:
    titles = [f"before{c}after {n}" for n, c in enumerate(LINE_LIKE)]
    return Dataset(
        bodies=(Body(id="dhsc", name="Health\u2028and\u2029care\u0085"),),
        reviews=tuple(Review(id=f"r-{n}", title=t) for n, t in enumerate(titles)),
    )


@pytest.mark.parametrize("fmt", ["nt", "nq"])
def test_line_exports_read_back_from_files(fmt: str) -> None:
    dataset = _dataset()
    data = export_dataset(dataset, fmt)
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.N_TRIPLES if fmt == "nt" else ox.RdfFormat.N_QUADS)
    assert len(store) == len(to_graph(dataset))
    assert data.count(b"\n") == len(store)  # one line per statement
    titles = {q.object.value for q in store if q.predicate.value.endswith("/title")}
    assert "before\u2028after 0" in titles and "before\r\nafter 3" in titles


@pytest.mark.parametrize("fmt", ["nt", "nq"])
def test_line_exports_read_back_from_a_store(fmt: str) -> None:
    dataset = _dataset()
    store = open_store("memory")
    add_dataset(store, dataset, "urn:x:g")
    data = export_store(store, fmt)
    assert data == export_dataset(dataset, fmt)
    back = ox.Store()
    back.load(data, format=ox.RdfFormat.N_TRIPLES if fmt == "nt" else ox.RdfFormat.N_QUADS)
    assert len(back) == data.count(b"\n") == len(to_graph(dataset))


@pytest.mark.parametrize("fmt", ["xml", "graphml", "gexf"])
def test_xml_exports_are_well_formed(fmt: str) -> None:
    xml.dom.minidom.parseString(export_dataset(_dataset(), fmt))


@pytest.mark.parametrize("char", ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x01", "\ufffe"])
def test_characters_xml_cannot_carry_are_refused_in_models(char: str) -> None:
    with pytest.raises(ValueError, match=f"U\\+{ord(char):04X} is not allowed in text"):
        Review(id="r", title=f"a{char}b")


def test_refused_in_turtle_with_the_file_and_item(tmp_path: Path) -> None:
    path = tmp_path / "vt.ttl"
    path.write_text(
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix rg: <https://w3id.org/reviewgraph/ns#> .\n"
        '<https://w3id.org/reviewgraph/id/r> a rg:Review ; dcterms:title "a\\u000Bb" .\n',
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as info:
        read_dataset([path])
    assert str(info.value.problems[0]).endswith(
        "vt.ttl: r: title: the character U+000B is not allowed in text (XML 1.0 cannot carry it)"
    )
    out = tmp_path / "out.graphml"
    result = CliRunner().invoke(main, ["export", str(path), "--format", "graphml", "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()
    assert len(result.stderr.splitlines()) == 1
