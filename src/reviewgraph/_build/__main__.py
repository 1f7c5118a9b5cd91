"""``python -m reviewgraph._build [ROOT]``: write every generated file into the repository."""

from __future__ import annotations

import sys

from reviewgraph._build import artifacts, docs

if __name__ == "__main__":
    args = sys.argv[1:]
    raise SystemExit(artifacts.main(args) or docs.main(args))
