"""The framed JSON-LD export: nested as the issue asks, short keys from a published context
that covers every key, the same triples as the flat form (through pyld and rdflib), and the
docs' jq examples run against it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import Graph
from test_exports import same_graph

from reviewgraph._build.artifacts import generate_framed_context
from reviewgraph.cli import main
from reviewgraph.io.export import export_dataset
from reviewgraph.io.files import read_dataset
from reviewgraph.models import Dataset
from reviewgraph.rdf.mapping import to_graph

ROOT = Path(__file__).resolve().parents[1]
RGID = "https://w3id.org/reviewgraph/id/"


@pytest.fixture(scope="module")
def seeds() -> Dataset:
    return read_dataset().dataset


@pytest.fixture(scope="module")
def framed(seeds: Dataset) -> dict[str, Any]:
    return dict(json.loads(export_dataset(seeds, "jsonld")))


def _id(value: str) -> str:
    return value.replace("rgid:", RGID)


def test_reviews_nest_recommendations_stances_commitments_and_claims(
    seeds: Dataset, framed: dict[str, Any]
) -> None:
    assert sorted(_id(r["id"]) for r in framed["reviews"]) == sorted(
        RGID + r.id for r in seeds.reviews
    )
    recs = {_id(r["id"]): r for rv in framed["reviews"] for r in rv["recommendations"]}
    assert set(recs) == {RGID + r.id for r in seeds.recommendations}
    for stance in seeds.stances:
        under = recs[RGID + stance.recommendation]["stances"]
        assert [s["stance"] for s in under if _id(s["id"]) == RGID + stance.id] == [
            stance.stance.value
        ]
    for c in seeds.commitments:
        for rec in c.answers:
            assert RGID + c.id in {_id(x["id"]) for x in recs[RGID + rec]["commitments"]}
    claims = {
        _id(k["id"]): k for r in recs.values() for c in r["commitments"] for k in c["status_claims"]
    }
    about_commitments = [
        k for k in seeds.status_claims if k.about in {c.id for c in seeds.commitments if c.answers}
    ]
    assert {RGID + k.id for k in about_commitments} == set(claims)
    for k in about_commitments:
        assert claims[RGID + k.id]["status"] == k.status.value
        assert claims[RGID + k.id]["role"] == k.role.value
    standalone = {_id(c["id"]) for c in framed["standalone_commitments"]}
    assert standalone == {RGID + c.id for c in seeds.commitments if not c.answers}
    assert "@graph" not in framed


def test_the_context_covers_every_key_and_is_published(framed: dict[str, Any]) -> None:
    context = framed["@context"]
    published = json.loads((ROOT / "ontology" / "context-framed.jsonld").read_text("utf-8"))
    assert published == generate_framed_context(), "run: python -m reviewgraph._build"
    assert published["@context"] == context
    assert context["rgid"] == RGID

    def keys(value: Any, scoped: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
        if isinstance(value, dict):
            for k, v in value.items():
                if k != "@context":
                    yield k, scoped
                    yield from keys(v, scoped)
        elif isinstance(value, list):
            for v in value:
                yield from keys(v, scoped)

    used = {k for k, _ in keys(framed, context)}
    assert used - set(context) - {"id", "type"} == set()
    types = {v for k, v in _pairs(framed) if k == "type"}
    assert types <= set(context)
    # every concept word used has a term in its property's scoped context
    for key in ("status", "stance", "role"):
        words = {v for k, v in _pairs(framed) if k == key}
        assert words and words <= set(context[key]["@context"])


def _pairs(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            if k != "@context":
                if isinstance(v, str):
                    yield k, v
                yield from _pairs(v)
    elif isinstance(value, list):
        for v in value:
            yield from _pairs(v)


def test_framed_round_trips_through_pyld_to_the_same_triples(
    seeds: Dataset, framed: dict[str, Any]
) -> None:
    from pyld import jsonld

    def no_network(url: str, options: object = None) -> None:
        raise AssertionError(f"pyld tried to fetch {url}")

    jsonld.set_document_loader(no_network)
    nquads = jsonld.to_rdf(framed, {"format": "application/n-quads"})
    graph = Graph().parse(data=nquads, format="nt")
    expected = to_graph(seeds)
    assert len(graph) == len(expected)
    assert same_graph(graph, expected)
    flat = json.loads(export_dataset(seeds, "jsonld", flat=True))
    assert "@graph" in flat
    flat_graph = Graph().parse(
        data=jsonld.to_rdf(flat, {"format": "application/n-quads"}), format="nt"
    )
    assert same_graph(flat_graph, graph)


def test_framed_export_is_read_back_by_reviewgraph(tmp_path: Path, seeds: Dataset) -> None:
    path = tmp_path / "reviews.jsonld"
    result = CliRunner().invoke(main, ["export", "--format", "jsonld", "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert read_dataset([path]).dataset == seeds


def test_flat_option_keeps_the_graph_form(tmp_path: Path) -> None:
    path = tmp_path / "flat.jsonld"
    result = CliRunner().invoke(main, ["export", "--format", "jsonld", "--flat", "-o", str(path)])
    assert result.exit_code == 0, result.output
    doc = json.loads(path.read_text("utf-8"))
    assert set(doc) == {"@context", "@graph"}


def _jq_examples() -> list[str]:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    return re.findall(r"^\$ (jq .*)$", text, re.M)


def test_docs_have_jq_examples() -> None:
    assert len(_jq_examples()) >= 3
    assert any(
        ".reviews[].recommendations[].commitments[].status_claims[]" in e
        and 'select(.status == "delivered")' in e
        for e in _jq_examples()
    )


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed (.ci/run installs it)")
@pytest.mark.parametrize("example", _jq_examples())
def test_docs_jq_examples_run(example: str, tmp_path: Path, seeds: Dataset) -> None:
    (tmp_path / "reviews.jsonld").write_bytes(export_dataset(seeds, "jsonld"))
    done = subprocess.run(
        ["bash", "-c", example], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), "the example prints something"
    if 'select(.status == "delivered")' in example:
        claims = [json.loads(x) for x in _json_values(done.stdout)]
        delivered = {
            RGID + k.id
            for k in seeds.status_claims
            if k.status.value == "delivered"
            and any(c.id == k.about and c.answers for c in seeds.commitments)
        }
        assert {_id(c["id"]) for c in claims} == delivered
        assert {c["status"] for c in claims} == {"delivered"}


def _json_values(text: str) -> list[str]:
    decoder = json.JSONDecoder()
    out, i = [], 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        value, end = decoder.raw_decode(text, i)
        out.append(json.dumps(value))
        i = end
    return out
