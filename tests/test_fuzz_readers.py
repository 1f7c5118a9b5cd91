"""Property-based fuzzing of the RDF readers, query headers and dates (issue 18, item 8).

Each reader either reads its input or raises reviewgraph's own error with a one-line
message; through the command line, a refused input gives no traceback, one ``Error:`` line
per problem and no output file.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewgraph.cli import main
from reviewgraph.dates import DateRange, parse_period
from reviewgraph.errors import ReviewGraphError
from reviewgraph.io.rdffiles import parse_rdf
from reviewgraph.sparql.adhoc import QueryRefused, parse_select, run_select
from reviewgraph.vocab.constants import BASE_IRI

FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
FEW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

RG = "https://w3id.org/reviewgraph/ns#"
_TERMS = [
    f"<{BASE_IRI}demo-2024>",
    f"<{BASE_IRI}dhsc>",
    f"<{RG}Review>",
    f"<{RG}Body>",
    f"<{RG}Recommendation>",
    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
    "<http://purl.org/dc/terms/title>",
    f"<{RG}published>",
    f"<{RG}publisher>",
    '"A title"',
    '"2024-02-30"^^<http://www.w3.org/2001/XMLSchema#date>',
    '"<a>"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#XMLLiteral>',
    '"x\\u000by"',
    '"x\\u2028y"',
    '"\\uFFFF"',
    "_:b1",
    '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
]
_term = st.one_of(st.sampled_from(_TERMS), st.text(max_size=8))
_triple = st.tuples(_term, _term, _term).map(lambda t: " ".join(t) + " .")
_ntriples = st.one_of(st.lists(_triple, max_size=8).map("\n".join), st.text(max_size=120))
_turtle = st.one_of(
    _ntriples.map(lambda body: f"@prefix rg: <{RG}> .\n" + body), st.text(max_size=120)
)


def _one_line_error(exc: ReviewGraphError) -> None:
    problems = getattr(exc, "problems", None) or [exc]
    for problem in problems:
        text = str(problem)
        assert text and "\n" not in text and "\r" not in text, repr(text)


@FUZZ
@given(_ntriples)
def test_ntriples_reader(text: str) -> None:
    try:
        parse_rdf(text, "nt", "fuzz.nt", BASE_IRI)
    except ReviewGraphError as exc:
        _one_line_error(exc)


@FUZZ
@given(_turtle)
def test_turtle_reader(text: str) -> None:
    try:
        parse_rdf(text, "turtle", "fuzz.ttl", BASE_IRI)
    except ReviewGraphError as exc:
        _one_line_error(exc)


_json_value = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.sampled_from(_TERMS), st.text(max_size=6)
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(["@id", "@type", "@value", "@context", "@graph", "rg:name", "x"]),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=12,
)


@FUZZ
@given(st.one_of(_json_value.map(lambda v: __import__("json").dumps(v)), st.text(max_size=80)))
def test_jsonld_reader(text: str) -> None:
    try:
        parse_rdf(text, "json-ld", "fuzz.jsonld", BASE_IRI)
    except ReviewGraphError as exc:
        _one_line_error(exc)


_header = st.lists(
    st.one_of(
        st.tuples(
            st.sampled_from(["# @param ?", "#@param ?", "# @param "]),
            st.text(alphabet="abcXYZ_1?", max_size=6),
            st.sampled_from([" xsd:date", " xsd:integer", " xsd:string", " xsd:bogus", "", " "]),
        ).map("".join),
        st.text(max_size=20).map(lambda t: "# " + t.replace("\n", " ")),
    ),
    max_size=4,
)


@FUZZ
@given(_header, st.sampled_from(["SELECT * WHERE { ?s ?p ?o }", "ASK {}", "SELECT", ""]))
def test_query_headers(lines: list[str], body: str) -> None:
    from rdflib import Graph

    try:
        query = parse_select("\n".join([*lines, body]), "fuzz.rq")
        run_select(Graph(), query, {}, "csv")
    except QueryRefused as exc:
        _one_line_error(exc)
    except ReviewGraphError as exc:
        _one_line_error(exc)


_date_text = st.one_of(
    st.text(max_size=20),
    st.tuples(
        st.sampled_from(["", "by ", "early ", "winter ", "Q3 ", "H2 ", "end-"]),
        st.integers(-10, 12000).map(str),
        st.sampled_from(["", "-02", "-02-30", "/25", "-13", "..2024-01-01"]),
    ).map("".join),
)


@FUZZ
@given(_date_text)
def test_dates_parse_or_refuse(text: str) -> None:
    try:
        DateRange.from_text(text)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        assert str(exc)


@FUZZ
@given(st.text(alphabet="P0123456789YMWDT-", max_size=14))
def test_periods_parse_or_refuse(text: str) -> None:
    try:
        parse_period(text)
    except ValueError as exc:
        assert "\n" not in str(exc)


@FEW
@given(st.one_of(_turtle, _ntriples))
def test_a_refused_file_gives_no_output_file(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "fuzz.ttl"
        data.write_text(text, encoding="utf-8")
        out = Path(folder) / "out.graphml"
        result = CliRunner().invoke(
            main, ["export", str(data), "--format", "graphml", "-o", str(out)]
        )
        assert "Traceback" not in result.output + result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(
            result.exception
        )
        if result.exit_code != 0:
            assert not out.exists()
            assert all(line.startswith("Error: ") for line in result.stderr.splitlines())
            assert sorted(p.name for p in Path(folder).iterdir()) == ["fuzz.ttl"]
