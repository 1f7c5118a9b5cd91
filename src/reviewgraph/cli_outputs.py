"""Commands about outputs, registered on the main group: ``reviewgraph diff``.

Imports only click and the command line's own helpers at load time, so ``reviewgraph
--help`` stays light.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from reviewgraph.cli import (
    InputFailure,
    _emit,
    _graph,
    _loading,
    _source_options,
)

__all__ = ["diff"]


def _side(value: str, data: tuple[Path, ...], max_input_mb: float, grace: int) -> Any:
    """One side of a diff: the gaps as of a date (YYYY-MM-DD), or a saved JSON output."""
    from reviewgraph.analysis.diff import read_gaps

    try:
        day = date.fromisoformat(value)
    except ValueError:
        path = Path(value)
        if not path.is_file():
            raise click.BadParameter(
                f"{value!r} is neither a date (YYYY-MM-DD) nor a file", param_hint="--from/--to"
            ) from None
        try:
            return read_gaps(path)
        except ValueError as exc:
            raise InputFailure([str(exc)]) from None
    return _graph(data, max_input_mb).gaps(as_of=day, grace_years=grace)


@click.command()
@_source_options
@click.option(
    "--from",
    "before",
    required=True,
    metavar="DATE|FILE.json",
    help="The earlier side: an as-of date, or a saved 'gaps --format json' output.",
)
@click.option(
    "--to",
    "after",
    required=True,
    metavar="DATE|FILE.json",
    help="The later side: an as-of date, or a saved 'gaps --format json' output.",
)
@click.option(
    "--grace-years",
    type=click.IntRange(0, 50),
    default=2,
    show_default=True,
    help="The grace period of the sides computed from dates.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "md"]),
    default="table",
    show_default=True,
    help="How to print the differences.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    default=None,
    help="Write to this file, atomically (default, or -: standard output).",
)
@_loading
def diff(
    data: tuple[Path, ...],
    max_input_mb: float,
    before: str,
    after: str,
    grace_years: int,
    fmt: str,
    output: Path | None,
) -> None:
    """What changed between two reports: findings new, closed and changed.

    Each side is an as-of date (computed from DATA or the store) or a saved
    'gaps --format json' output; findings are matched by their stable ids.

    Example: reviewgraph diff --from 2024-07-01 --to 2025-07-01
    """
    from reviewgraph.analysis.diff import diff_findings

    old = _side(before, data, max_input_mb, grace_years)
    new = _side(after, data, max_input_mb, grace_years)
    _emit(diff_findings(old, new, before, after), fmt)
