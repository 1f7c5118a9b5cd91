"""Every limit reviewgraph enforces, read from the constants that enforce it.

:func:`limits_table` renders them as the table in ``docs/reliability.md``; a test fails if
the page and the code disagree, so the table cannot drift.
"""

from __future__ import annotations

import csv
import inspect
from dataclasses import dataclass

__all__ = ["Limit", "limits", "limits_table"]


@dataclass(frozen=True)
class Limit:
    """One limit: what it bounds, its value, and what happens past it."""

    what: str
    value: str
    past_it: str
    test: str
    """The test that checks it at the limit and just past it."""


def limits() -> list[Limit]:
    """Every limit, in the order of the table.

    Examples
    --------
    >>> any(limit.what.startswith("Input file size") for limit in limits())
    True
    """
    from reviewgraph import cli, cli_outputs, dates, models
    from reviewgraph.io import fastcheck, files, yamldoc
    from reviewgraph.stores import endpoint, http, oxigraph

    endpoint_timeout = inspect.signature(endpoint.EndpointStore.__init__).parameters["timeout"]
    return [
        Limit(
            "Input file size (YAML, CSV, JSON-LD; Turtle and N-Triples read through the models)",
            f"{files.DEFAULT_MAX_INPUT_MB:g} MB (`--max-input-mb`, at most "
            f"{cli.MAX_INPUT_MB_CEILING:,.0f}; NaN, infinity and values <= 0 are refused)",
            "refused, exit 2",
            "tests/test_bad_inputs.py::test_file_over_the_size_limit, "
            "tests/test_one_line.py::test_max_input_mb_must_be_a_positive_number",
        ),
        Limit(
            "Text of one field (title, summary, name)",
            f"{models.MAX_TEXT_CHARS:,} characters",
            "refused, exit 2",
            "tests/test_limits.py::test_text_length_limit",
        ),
        Limit(
            "Identifier",
            f"{models.MAX_ID_CHARS:,} characters",
            "refused, exit 2",
            "tests/test_limits.py::test_id_length_limit",
        ),
        Limit(
            "URL",
            f"{models.MAX_URL_CHARS:,} characters",
            "refused, exit 2",
            "tests/test_limits.py::test_url_length_limit",
        ),
        Limit(
            "Characters in text",
            "those XML 1.0 allows (no C0 control but tab, newline, carriage return; no "
            "U+FFFE, U+FFFF)",
            "refused, exit 2",
            "tests/test_hostile_text.py",
        ),
        Limit(
            "YAML nesting depth",
            f"{yamldoc.MAX_DEPTH} levels",
            "refused, exit 2",
            "tests/bad/yaml/deep-nesting.yaml",
        ),
        Limit(
            "YAML values after alias expansion",
            f"{yamldoc.MAX_NODES:,}",
            "refused, exit 2",
            "tests/bad/yaml/alias-bomb.yaml",
        ),
        Limit(
            "CSV cell",
            f"{csv.field_size_limit():,} characters (Python's csv module)",
            "refused, exit 2",
            "tests/test_bad_inputs.py::test_csv_cell_over_the_field_limit",
        ),
        Limit(
            "Years of a date (data, `--as-of`, `--since`, `--until`)",
            f"{dates.FIRST_YEAR} to {dates.LAST_YEAR}",
            "refused, exit 2",
            "tests/test_dates.py, tests/test_one_line.py::test_as_of_out_of_range",
        ),
        Limit(
            "Response period",
            f"{dates.MAX_PERIOD_YEARS} years",
            "refused, exit 2",
            "tests/test_dates.py::test_periods_up_to_a_hundred_years",
        ),
        Limit(
            "One term (literal or IRI) in Turtle or N-Triples loaded by the engine",
            f"{oxigraph.MAX_TERM_BYTES // (1 << 20)} MiB (Oxigraph's parser)",
            "refused, exit 2, store unchanged",
            "tests/test_one_line.py::test_turtle_term_over_16_mib_on_load",
        ),
        Limit(
            "Problems reported by the load checks of engine-loaded files",
            f"{fastcheck.MAX_PROBLEMS}",
            "the first ones are listed",
            "tests/test_load_checks.py",
        ),
        Limit(
            "Query run time (`reviewgraph query`)",
            f"{cli.QUERY_TIMEOUT:g} s (`--timeout`)",
            "stopped, one line, exit 3",
            "tests/test_one_line.py::test_query_timeout_stops_the_work",
        ),
        Limit(
            "Query file (`.rq`)",
            f"{cli.MAX_QUERY_BYTES:,} bytes, UTF-8, no NUL",
            "refused, exit 2",
            "tests/test_limits.py::test_query_file_size_limit",
        ),
        Limit(
            "Endpoint reply time",
            f"{http.HttpSettings.connect_timeout:g} s to connect, "
            f"{endpoint_timeout.default:g} s per read (also asked of a server that stops a "
            f"query there with an error: Fuseki), {http.HttpSettings.deadline:g} s for a "
            f"whole request (`{http.DEADLINE_VAR}`)",
            "cut off, one line, exit 3; an answer the server cut at its own timeout is refused too",
            "tests/test_endpoint_http.py::test_a_server_that_trickles_is_cut_off_at_the_deadline, "
            "tests/test_endpoint_paging.py::"
            "test_an_answer_cut_at_the_server_timeout_is_an_error_not_a_short_answer",
        ),
        Limit(
            "Endpoint reply size",
            f"{http.HttpSettings.max_bytes / 1_000_000:g} MB, also after gzip "
            f"(`{http.MAX_MB_VAR}`)",
            "cut off, one line naming the endpoint and the cap, exit 3",
            "tests/test_endpoint_http.py::test_the_size_cap_holds_at_the_limit_and_just_past_it, "
            "tests/test_endpoint_http.py::test_an_answer_over_the_size_cap_is_cut_off",
        ),
        Limit(
            "Endpoint answer rows",
            "none of reviewgraph's own; a server's row cap is read past in pages (every "
            f"graph is checked against its count, every SELECT of {endpoint.VERIFY_ROWS:,} "
            "rows or more against its own)",
            "what paging cannot make up: one line, exit 3",
            "tests/test_endpoint_paging.py",
        ),
        Limit(
            "Report size (`reviewgraph report`)",
            f"{cli_outputs.MAX_REPORT_MB:g} MB (`--max-report-mb`)",
            "refused, one line, exit 2, nothing written",
            "tests/test_limits.py::test_report_size_limit",
        ),
    ]


def limits_table() -> str:
    """The limits as a Markdown table (the one in ``docs/reliability.md``).

    Examples
    --------
    >>> limits_table().splitlines()[0]
    '| limit | value | past it | tested by |'
    """
    rows = ["| limit | value | past it | tested by |", "|---|---|---|---|"]
    for limit in limits():
        rows.append(f"| {limit.what} | {limit.value} | {limit.past_it} | {limit.test} |")
    return "\n".join(rows) + "\n"
