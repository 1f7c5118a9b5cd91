"""Generate the reference pages of the documentation from their sources of truth.

``docs/reference/ontology.md`` comes from ``ontology/reviewgraph.ttl``, ``mappings.ttl`` and
``shapes.ttl``; ``docs/reference/cli.md`` from the click commands' help.  Run
``python -m reviewgraph._build`` from the repository root; a test fails when a committed page
differs from what this module generates, so the reference never goes stale.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS
from rdflib.term import Node

from reviewgraph.io.output import write_output
from reviewgraph.vocab.namespaces import PREFIXES, RG

__all__ = [
    "generate_cli_reference",
    "generate_ontology_reference",
    "generate_query_cookbook",
    "main",
]

EXAMPLE_PARAMS = {
    "asOf": "2025-07-01",
    "graceCutoff": "2023-07-01",
    "windowStart": "2023-07-01",
    "item": "messenger-2022/3",
}
"""The parameter values the cookbook runs each named query with, on the seeds.

``knownOn`` and ``lineage`` are left out: the cookbook shows them filled in by
:func:`reviewgraph.sparql.lineage.complete`, as a user who leaves them out gets them."""


def _curie(iri: object) -> str:
    text = str(iri)
    for prefix, ns in PREFIXES.items():
        if text.startswith(str(ns)):
            return f"{prefix}:{text[len(str(ns)) :]}"
    return f"<{text}>"


def _classes_of(graph: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        return f"`{_curie(node)}`"
    members = list(graph.objects(node, OWL.unionOf))
    if members:
        from rdflib.collection import Collection

        items = Collection(graph, members[0])
        return " or ".join(f"`{_curie(m)}`" for m in items)
    return "(anonymous)"


def _text(graph: Graph, node: URIRef, *props: URIRef) -> str:
    for prop in props:
        value = graph.value(node, prop)
        if value is not None:
            return " ".join(str(value).split())
    return ""


def _anchor(iri: URIRef) -> str:
    return _curie(iri).replace(":", "-").lower()


def generate_ontology_reference() -> str:
    """Return the ontology reference page (Markdown)."""
    from reviewgraph.vocab.ontology import load_mappings, load_ontology, load_shapes

    onto, maps, shapes = load_ontology(), load_mappings(), load_shapes()
    ontology_iri = URIRef(str(RG)[:-1])
    lines = [
        "# Ontology reference",
        "",
        "Generated from `ontology/reviewgraph.ttl`, `ontology/mappings.ttl` and",
        "`ontology/shapes.ttl` by `python -m reviewgraph._build`; do not edit by hand.",
        "",
        f"- Namespace: `{RG}` (prefix `rg:`)",
        f"- Version: `{onto.value(ontology_iri, OWL.versionIRI)}`",
        f"- Prior version: `{onto.value(ontology_iri, OWL.priorVersion)}`",
        f"- Licence: <{onto.value(ontology_iri, URIRef('http://purl.org/dc/terms/license'))}>",
        "",
        "## Classes",
        "",
    ]
    shaped: dict[URIRef, list[str]] = {}
    for shape in shapes.subjects(SH.targetClass, None):
        target = shapes.value(shape, SH.targetClass)
        for prop in shapes.objects(shape, SH.property):
            path = shapes.value(prop, SH.path)
            if isinstance(target, URIRef) and path is not None:
                shaped.setdefault(target, []).append(_curie(path))
    for cls in sorted(set(onto.subjects(RDF.type, OWL.Class)), key=str):
        if not (isinstance(cls, URIRef) and cls.startswith(str(RG))):
            continue
        lines.append(f"### {_curie(cls)}")
        lines.append("")
        lines.append(_text(onto, cls, RDFS.comment))
        lines.append("")
        supers = [_curie(s) for s in onto.objects(cls, RDFS.subClassOf) if isinstance(s, URIRef)]
        if supers:
            lines.append(f"- Subclass of: {', '.join(f'`{s}`' for s in sorted(supers))}")
        paths = sorted(set(shaped.get(cls, [])))
        if paths:
            lines.append(f"- Properties checked by its shape: {', '.join(f'`{p}`' for p in paths)}")
        lines.append("")
    lines += [
        "## Properties",
        "",
        "| property | definition | domain | range | subproperty of |",
        "|---|---|---|---|---|",
    ]
    props = set(onto.subjects(RDF.type, OWL.ObjectProperty)) | set(
        onto.subjects(RDF.type, OWL.DatatypeProperty)
    )
    for prop in sorted(props, key=str):
        if not (isinstance(prop, URIRef) and prop.startswith(str(RG))):
            continue
        domain = onto.value(prop, RDFS.domain)
        rng = onto.value(prop, RDFS.range)
        parents = ", ".join(
            f"`{_curie(s)}`"
            for s in onto.objects(prop, RDFS.subPropertyOf)
            if isinstance(s, URIRef)
        )
        definition = _text(onto, prop, RDFS.comment).replace("|", "\\|")
        lines.append(
            f"| `{_curie(prop)}` | {definition} | "
            f"{_classes_of(onto, domain) if domain is not None else ''} | "
            f"{_classes_of(onto, rng) if rng is not None else ''} | {parents} |"
        )
    lines += ["", "## Concept schemes", ""]
    for scheme in sorted(set(onto.subjects(RDF.type, SKOS.ConceptScheme)), key=str):
        if not isinstance(scheme, URIRef):
            continue
        lines.append(f"### {_curie(scheme)}")
        lines.append("")
        lines.append(_text(onto, scheme, SKOS.definition, RDFS.comment))
        lines.append("")
        concepts = sorted(set(onto.subjects(SKOS.inScheme, scheme)), key=str)
        if concepts:
            lines += [
                "| concept | notation | label | definition | mapped from |",
                "|---|---|---|---|---|",
            ]
        for concept in concepts:
            if not isinstance(concept, URIRef):
                continue
            mapped = []
            for match in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch):
                for tracker in maps.subjects(match, concept):
                    label = maps.value(tracker, SKOS.prefLabel)
                    scheme_label = maps.value(maps.value(tracker, SKOS.inScheme), SKOS.prefLabel)
                    mapped.append(f"{label} ({scheme_label}, {_curie(match).split(':')[1]})")
            lines.append(
                f"| `{_curie(concept)}` | `{onto.value(concept, SKOS.notation)}` | "
                f"{onto.value(concept, SKOS.prefLabel)} | "
                f"{_text(onto, concept, SKOS.definition).replace('|', '/')} | "
                f"{'; '.join(sorted(mapped))} |"
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def generate_cli_reference() -> str:
    """Return the command-line reference page (Markdown) from the click commands' help."""
    import click

    from reviewgraph.cli import main as cli

    lines = [
        "# Command-line reference",
        "",
        "Generated from the commands' `--help` by `python -m reviewgraph._build`; do not edit.",
        "",
    ]
    width: dict[str, Any] = {"terminal_width": 88, "max_content_width": 88}
    ctx = cli.make_context("reviewgraph", [], resilient_parsing=True, **width)
    lines += ["## reviewgraph", "", "```text", cli.get_help(ctx), "```", ""]
    assert isinstance(cli, click.Group)
    for name in sorted(cli.commands):
        command = cli.commands[name]
        sub = command.make_context(  # the parent context gives the "reviewgraph" prefix
            name,
            [],
            parent=ctx,
            resilient_parsing=True,
            **width,
        )
        lines += [f"## reviewgraph {name}", "", "```text", command.get_help(sub), "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def _cell(value: object, base: str) -> str:
    text = "" if value is None else str(value)
    return text.replace(base, "id:").replace(str(RG), "rg:").replace("|", "\\|")


def generate_query_cookbook() -> str:
    """Return the SPARQL cookbook page: each named query, its parameters and its results."""
    from reviewgraph.io.files import read_dataset
    from reviewgraph.rdf.mapping import to_graph
    from reviewgraph.sparql.named import load_query, query_graph, query_names, run
    from reviewgraph.vocab.constants import BASE_IRI

    graph = query_graph(to_graph(read_dataset().dataset))
    lines = [
        "# SPARQL cookbook",
        "",
        "Generated by `python -m reviewgraph._build` from the shipped queries, run on the seed",
        "dataset; do not edit by hand. Each query is standard SPARQL 1.1, ships in",
        "`reviewgraph/sparql/queries/NAME.rq`, and declares its parameters and result columns in its",  # noqa: E501
        "header. Run one with `reviewgraph query NAME --param asOf=2025-07-01 ...`, or from",
        "Python with `reviewgraph.sparql.named.run(NAME, graph, asOf=...)` (rdflib) or",
        "`reviewgraph.sparql.named.run_oxigraph(...)` (pyoxigraph).",
        "",
        "The queries read the dataset's triples together with four annotations of the",
        "ontology (`rg:rank`, `rg:expectsResponse`, `rg:responsePeriod`, and `skos:broader` of",
        "the jurisdictions): `reviewgraph.sparql.named.query_graph(graph)` adds them. They do no",
        "date arithmetic: `graceCutoff` is the as-of date minus the grace period, computed by",
        "the caller. `knownOn` is the day the record is read as of (left out: `9999-12-31`,",
        "everything in the data). `lineage` lists the bodies that are predecessors and",
        "successors of each other as of the as-of date, from the `succession` rows; left out,",
        '`reviewgraph.sparql.lineage.complete` computes it from the same data (give `" "` for',
        'none); see docs/concepts.md, "How the routes divide the work". The examples below',
        "leave both out.",
        "",
        "## In another triple store",
        "",
        "Export the graph and the ontology, load both, and run the same files:",
        "",
        "```bash",
        "reviewgraph export seeds/ --format nt -o reviews.nt",
        "# Oxigraph server (pip install oxigraph)",
        "oxigraph load --location store --file reviews.nt",
        "oxigraph load --location store --file ontology/reviewgraph.ttl",
        "oxigraph serve --location store --bind 127.0.0.1:7878",
        "# Apache Jena Fuseki",
        "fuseki-server --file=reviews.nt /reviews",
        "```",
        "",
        "An endpoint binds parameters with a `VALUES` block: "
        "`reviewgraph.sparql.named.values_query(NAME, asOf=...)` writes the query that way.",
        "",
    ]
    for name in query_names():
        q = load_query(name)
        params = {p.name: EXAMPLE_PARAMS[p.name] for p in q.params if p.name in EXAMPLE_PARAMS}
        rows = sorted(run(name, graph, **params), key=lambda r: [str(r[c]) for c in q.columns])
        lines += [f"## {name}", "", q.description, ""]
        if q.params:
            lines.append(
                "Parameters: " + ", ".join(f"`?{p.name}` ({p.type})" for p in q.params) + "."
            )
            lines.append("")
        lines.append("Columns: " + ", ".join(f"`?{c}`" for c in q.columns) + ".")
        lines.append("")
        shown = " ".join(f"--param {k}={v}" for k, v in params.items())
        lines += [f"On the seeds (`reviewgraph query {name} {shown}`): {len(rows)} rows"]
        if rows:
            columns = [c for c in q.columns if c not in params]
            lines += ["", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
            for row in rows[:5]:
                lines.append("| " + " | ".join(_cell(row[c], BASE_IRI) for c in columns) + " |")
            if len(rows) > 5:
                lines.append(f"\n(first 5 of {len(rows)} rows)")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the generated reference pages under ``docs/reference/`` of the folder given."""
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path.cwd()
    out = root / "docs" / "reference"
    out.mkdir(parents=True, exist_ok=True)
    write_output(out / "ontology.md", generate_ontology_reference().encode("utf-8"))
    write_output(out / "cli.md", generate_cli_reference().encode("utf-8"))
    write_output(root / "docs" / "queries.md", generate_query_cookbook().encode("utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
