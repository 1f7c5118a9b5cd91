"""Find the files reviewgraph ships: the ontology, shapes, JSON-LD context, queries and seeds.

In an installed wheel they live under ``reviewgraph/data/``; in a source checkout they are read
from the repository's own ``ontology/`` and ``seeds/`` folders, so there is one copy of each.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["data_path", "ontology_file", "query_file", "seeds_path"]

_CHECKOUT = Path(__file__).resolve().parents[3]


def data_path(folder: str) -> Traversable:
    """Return the shipped folder ``folder`` (``"ontology"`` or ``"seeds"``).

    Examples
    --------
    >>> data_path("ontology").joinpath("reviewgraph.ttl").is_file()
    True
    """
    packaged = files("reviewgraph").joinpath("data", folder)
    if packaged.is_dir():
        return packaged
    return _CHECKOUT / folder


def ontology_file(name: str) -> Traversable:
    """Return one file of the ontology folder, e.g. ``"shapes.ttl"``."""
    return data_path("ontology").joinpath(name)


def seeds_path() -> Path:
    """Return the folder of the bundled seed dataset as a real path."""
    return Path(str(data_path("seeds")))


def query_file(name: str, engine: str | None = None) -> Traversable:
    """Return the shipped SPARQL query ``name`` (without ``.rq``).

    With ``engine`` (``"rdflib"``), the text written for that engine where one ships
    (``queries/rdflib/<name>.rq``), else the main text, which serves every other engine; the
    same choice as :func:`reviewgraph.sparql.named.query_text`, without importing rdflib.

    Examples
    --------
    >>> query_file("parked", "rdflib") == query_file("parked")
    True
    >>> query_file("not-followed-through", "rdflib") == query_file("not-followed-through")
    False
    """
    folder = files("reviewgraph").joinpath("sparql", "queries")
    if engine is not None and engine != "oxigraph":
        own = folder.joinpath(engine).joinpath(f"{name}.rq")
        if own.is_file():
            return own
    return folder.joinpath(f"{name}.rq")
