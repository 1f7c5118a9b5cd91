"""Property-based fuzzing: every input either loads or raises reviewgraph's own error.

At least 1,000 examples each for the YAML reader, the CSV reader and the model round trip
(the CI profile is derandomised, with no deadline, so the run is stable on two cores).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import datasets

from reviewgraph.errors import ReviewGraphError
from reviewgraph.io.authoring import Collected, items_from_document
from reviewgraph.io.files import read_dataset
from reviewgraph.io.tracker import COLUMNS, read_tracker_rows
from reviewgraph.io.yamldoc import parse_yaml
from reviewgraph.models import Dataset
from reviewgraph.rdf.mapping import from_graph, to_graph

FUZZ = settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

_KEYS = [
    "review",
    "id",
    "title",
    "kind",
    "recommendations",
    "label",
    "summary",
    "responses",
    "stances",
    "stance",
    "date",
    "commitments",
    "made_on",
    "due_dates",
    "target",
    "status",
    "asserted_on",
    "citations",
    "source",
    "bodies",
    "name",
    "links",
    "from",
    "to",
    "type",
    "unknown",
    "<<",
    "&a",
    "*a",
]
_SCALARS = [
    "",
    "1.10",
    "no",
    "~",
    "null",
    "2024-02-30",
    "2024-03",
    "summer 2024",
    "2024/25",
    "accepted",
    "Closed–implemented",
    "Open",
    "x/y",
    "UPPER",
    "https://example.org/",
    "javascript:alert(1)",
    "'quoted'",
    '"double"',
    "- item",
    "[a, b]",
    "{a: b}",
    "!!python/object:os.system",
    "\t",
    "é",
    "\u0000",
    "\ufeff",
]


def _yaml_text() -> st.SearchStrategy[str]:
    token = st.one_of(st.sampled_from(_KEYS), st.sampled_from(_SCALARS), st.text(max_size=8))
    line = st.tuples(
        st.integers(0, 6),
        st.sampled_from(["", "- ", "? "]),
        token,
        st.sampled_from([":", ": ", ""]),
        token,
    ).map(lambda t: " " * t[0] + t[1] + t[2] + t[3] + t[4])
    return st.one_of(st.lists(line, max_size=12).map("\n".join), st.text(max_size=200))


@FUZZ
@given(_yaml_text())
def test_yaml_reader_loads_or_raises_its_own_error(text: str) -> None:
    try:
        doc = parse_yaml(text, "fuzz.yaml")
        items_from_document(doc, "fuzz.yaml", Collected())
    except ReviewGraphError:
        pass


def _csv_text() -> st.SearchStrategy[str]:
    cell = st.one_of(st.sampled_from(_SCALARS), st.text(max_size=6))
    header = st.lists(st.sampled_from([*COLUMNS, "extra"]), min_size=0, max_size=8, unique=True)

    def table(cols: list[str]) -> st.SearchStrategy[str]:
        row = st.lists(cell, min_size=max(0, len(cols) - 1), max_size=len(cols) + 1)
        quoted = row.map(lambda r: ",".join(c if "," not in c else f'"{c}"' for c in r))
        return st.lists(quoted, max_size=5).map(lambda rows: "\n".join([",".join(cols), *rows]))

    return st.one_of(header.flatmap(table), st.text(max_size=200))


@FUZZ
@given(_csv_text())
def test_csv_reader_loads_or_raises_its_own_error(text: str) -> None:
    try:
        read_tracker_rows(text, "fuzz.csv", Collected())
    except ReviewGraphError:
        pass


@FUZZ
@given(datasets())
def test_model_round_trip_is_the_identity(dataset: Dataset) -> None:
    assert from_graph(to_graph(dataset)) == dataset


@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_seeds_survive_writing_and_reading_rdf(fmt: str, tmp_path: Path) -> None:
    from reviewgraph.io.export import export_dataset

    seeds = read_dataset().dataset
    path = tmp_path / f"seeds.{fmt}"
    path.write_bytes(export_dataset(seeds, fmt))
    assert read_dataset([path]).dataset == seeds
