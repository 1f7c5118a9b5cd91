"""``python -m reviewgraph``: the command line."""

from __future__ import annotations

from reviewgraph.cli import main

if __name__ == "__main__":
    main(prog_name="reviewgraph")
