"""``reviewgraph load``: files into a store on disk or a SPARQL endpoint, each file into its
own named graph, atomically.

Registered on the main group by :mod:`reviewgraph.cli`; imports only click and the command
line's own helpers at load time.
"""

from __future__ import annotations

from pathlib import Path

import click

from reviewgraph.cli import _data_options, _loading, _progress

__all__ = ["load"]


@click.command()
@_data_options
@click.option(
    "--store",
    "store_spec",
    default=None,
    metavar="oxigraph:PATH",
    help="Load into an Oxigraph store on disk (created if missing).",
)
@click.option(
    "--endpoint",
    default=None,
    metavar="URL",
    help="Load into a SPARQL 1.1 endpoint (credentials from the environment or netrc).",
)
@click.option(
    "--update-endpoint", default=None, metavar="URL", help="The endpoint's SPARQL Update URL."
)
@click.option(
    "--gsp-endpoint",
    default=None,
    metavar="URL",
    help="The endpoint's Graph Store Protocol URL (one request per graph).",
)
@click.option(
    "--graph",
    "graph_iri",
    default=None,
    metavar="IRI",
    help="The IRI under which each file's named graph is minted on the endpoint; queries "
    "see only the graphs under it.",
)
@click.option("--validate", "check", is_flag=True, help="Check models and SHACL shapes first.")
@click.option("--replace", is_flag=True, help="Replace the triples of files loaded before.")
@click.option(
    "--bulk",
    is_flag=True,
    help="The fast, non-atomic path for very large files (documented in the docs).",
)
@click.option(
    "--columns",
    default=None,
    metavar="FILE|old=new,...",
    help="Map a foreign tracker's header onto the CSV columns: a file of old=new lines, "
    "or old=new,... (e.g. 'Rec no=rec_label,Lead=owner').",
)
@click.option(
    "--with-seeds",
    is_flag=True,
    help="Load the bundled seeds beside DATA (each file into its own graph), so DATA can "
    "refer to their items.",
)
@_loading
def load(
    data: tuple[Path, ...],
    max_input_mb: float,
    store_spec: str | None,
    endpoint: str | None,
    update_endpoint: str | None,
    gsp_endpoint: str | None,
    graph_iri: str | None,
    check: bool,
    replace: bool,
    bulk: bool,
    columns: str | None,
    with_seeds: bool,
) -> None:
    """Load DATA into a store, each file into its own named graph, atomically.

    The store is unchanged if anything fails (except with --bulk). A second writer to an
    Oxigraph store, or an endpoint that does not answer, exits with code 3.

    Example: reviewgraph load seeds/ --store oxigraph:reviews.db --validate
    """
    from reviewgraph.io.store import load_files
    from reviewgraph.stores import open_endpoint, open_store

    if (store_spec is None) == (endpoint is None):
        raise click.UsageError("give one of --store oxigraph:PATH or --endpoint URL")
    encoding = click.get_current_context().meta.get("reviewgraph.encoding", "utf-8")
    if store_spec is not None:
        store = open_store(store_spec, writable=True)
    else:
        assert endpoint is not None
        store = open_endpoint(
            endpoint, update_url=update_endpoint, gsp_url=gsp_endpoint, graph=graph_iri
        )
    with store:
        report = load_files(
            store,
            data,
            validate=check,
            replace=replace,
            bulk=bulk,
            max_mb=max_input_mb,
            encoding=encoding,
            progress=_progress,
            columns=columns,
            with_seeds=with_seeds,
        )
    click.echo(str(report))
