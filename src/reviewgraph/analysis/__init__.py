"""Follow-through analysis: what was never delivered, and how often it was promised before.

:class:`ReviewGraph` answers, as of any date, which commitments were not followed through,
which recommendations were parked or never answered, which reviews still await a response,
how often the same thing was recommended before, and how targets slipped.  The rules are set
out in ``docs/concepts.md``; every result is a typed, JSON-serialisable model
(:mod:`reviewgraph.analysis.results`) that states the date it used.
"""

from __future__ import annotations

from reviewgraph.analysis.graph import ReviewGraph
from reviewgraph.analysis.results import RESULTS_SCHEMA_VERSION, results_schema

__all__ = ["RESULTS_SCHEMA_VERSION", "ReviewGraph", "results_schema"]
