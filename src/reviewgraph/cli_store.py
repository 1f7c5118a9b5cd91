"""``reviewgraph store check`` and ``reviewgraph store repair``: inspect and recover an
on-disk store whose manifest is missing, garbled or stale (see
:mod:`reviewgraph.stores.repair`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

__all__ = ["store"]

EXIT_DAMAGED = 1
EXIT_INVALID = 2
EXIT_ENVIRONMENT = 3


def _folder(spec: str) -> Path:
    """``oxigraph:PATH`` or ``PATH`` as the store's folder."""
    return Path(spec.removeprefix("oxigraph:")).expanduser()


def _fail(exc: Exception) -> None:
    from reviewgraph.stores.base import StoreEnvironmentError

    click.echo(f"Error: {exc}", err=True)
    sys.exit(EXIT_ENVIRONMENT if isinstance(exc, StoreEnvironmentError) else EXIT_INVALID)


@click.group()
def store() -> None:
    """Inspect and recover an Oxigraph store on disk.

    Example: reviewgraph store check reviews.db
    """


@store.command()
@click.argument("path", metavar="[oxigraph:]PATH")
def check(path: str) -> None:
    """Report the store's generations and anything wrong; exit 1 if it is damaged.

    Example: reviewgraph store check reviews.db
    """
    from reviewgraph.errors import ReviewGraphError
    from reviewgraph.stores.repair import check_store

    try:
        found = check_store(_folder(path))
    except ReviewGraphError as exc:
        _fail(exc)
        return
    for line in found.lines():
        click.echo(line)
    if not found.healthy:
        sys.exit(EXIT_DAMAGED)


@store.command()
@click.argument("path", metavar="[oxigraph:]PATH")
@click.option(
    "--generation",
    type=click.IntRange(min=1),
    default=None,
    help="Adopt this generation (default: the newest complete one).",
)
def repair(path: str, generation: int | None) -> None:
    """Make the manifest name the newest complete generation (nothing is removed).

    Example: reviewgraph store repair reviews.db
    """
    from reviewgraph.errors import ReviewGraphError
    from reviewgraph.stores.repair import repair_store

    try:
        click.echo(repair_store(_folder(path), generation))
    except ReviewGraphError as exc:
        _fail(exc)
