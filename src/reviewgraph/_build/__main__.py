"""``python -m reviewgraph._build [ROOT]``: write every generated file into the repository."""

from __future__ import annotations

import argparse
from pathlib import Path

from reviewgraph._build import artifacts, docs


def _root(text: str) -> str:
    if not (Path(text) / "pyproject.toml").is_file():
        raise argparse.ArgumentTypeError(f"{text}: not a reviewgraph checkout (no pyproject.toml)")
    return text


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        prog="python -m reviewgraph._build",
        description="Write the generated files (ontology, shapes, context, schema, reference "
        "pages) into a checkout of reviewgraph.",
    )
    parser.add_argument("root", nargs="?", default=".", type=_root, help="the checkout (default .)")
    root = parser.parse_args().root
    raise SystemExit(artifacts.main([root]) or docs.main([root]))
