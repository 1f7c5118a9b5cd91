"""Find the files reviewgraph ships: the ontology, shapes, JSON-LD context, queries and seeds.

In an installed wheel they live under ``reviewgraph/data/``; in a source checkout they are read
from the repository's own ``ontology/`` and ``seeds/`` folders, so there is one copy of each.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["data_path", "ontology_file", "query_file", "seeds_path"]

_CHECKOUT = Path(__file__).resolve().parents[2]


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


def query_file(name: str) -> Traversable:
    """Return the shipped SPARQL query ``name`` (without ``.rq``)."""
    return files("reviewgraph").joinpath("queries", f"{name}.rq")
