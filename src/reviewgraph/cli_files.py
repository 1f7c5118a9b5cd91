"""The options of the commands that read DATA files, beyond the paths themselves.

``--columns`` maps a foreign tracker's header onto the one-table CSV's columns,
``--input-format`` says what ``-`` (standard input) holds, and ``--with-seeds`` reads the
bundled seeds beside DATA.  Each is remembered on the click context and handed to
:func:`reviewgraph.source.open_source`; this module imports only click.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

__all__ = ["INPUT_FORMATS", "file_options"]

F = TypeVar("F", bound=Callable[..., Any])

INPUT_FORMATS = ("yaml", "csv", "ttl", "nt", "jsonld")
"""What ``-`` may be read as (the same as :data:`reviewgraph.io.files.INPUT_FORMATS`)."""


def file_options(func: F, remember: Callable[[click.Context, click.Parameter, Any], Any]) -> F:
    """Add --columns, --input-format and --with-seeds to a command that reads DATA."""
    func = click.option(
        "--with-seeds",
        "with_seeds",
        is_flag=True,
        expose_value=False,
        callback=remember,
        help="Read the bundled seeds beside DATA, so DATA can refer to their items (a "
        "tracker's link to Francis, say).",
    )(func)
    func = click.option(
        "--input-format",
        "input_format",
        type=click.Choice(INPUT_FORMATS),
        default=None,
        expose_value=False,
        callback=remember,
        help="What standard input holds, when DATA is - (needed then).",
    )(func)
    func = click.option(
        "--columns",
        "columns",
        default=None,
        metavar="FILE|old=new,...",
        expose_value=False,
        callback=remember,
        help="Map a foreign tracker's header onto the CSV columns: a file of old=new lines, "
        "or old=new,... (e.g. 'Rec no=rec_label,Lead=owner').",
    )(func)
    return func
