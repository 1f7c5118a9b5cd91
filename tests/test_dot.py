"""DOT a person can read: the seeds render with Graphviz in a bounded drawing, clusters per
review, a legend, and --around cuts a small neighbourhood."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from reviewgraph.cli import main
from reviewgraph.io.export import export_dataset
from reviewgraph.io.files import read_dataset

BASE = "https://w3id.org/reviewgraph/id/"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")


def _items(text: str) -> set[str]:
    return set(re.findall(rf'^\s*"({re.escape(BASE)}[^"]+)" \[shape=', text, re.M))


def _render(text: str, tmp_path: Path) -> str:
    source = tmp_path / "g.dot"
    source.write_text(text, encoding="utf-8")
    done = subprocess.run(
        ["dot", "-Tsvg", str(source)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "Error" not in done.stderr, done.stderr
    return done.stdout


@needs_dot
def test_default_dot_of_the_seeds_is_bounded_and_renders(tmp_path: Path) -> None:
    seeds = read_dataset().dataset
    text = export_dataset(seeds, "dot").decode()
    items = _items(text)
    drawn = {r.id for r in seeds.recommendations} | {c.id for c in seeds.commitments}
    drawn |= {d.id for d in seeds.deliverables}
    assert items == {BASE + i for i in drawn}
    assert len(items) <= 200, "no sources, citations, bodies or claims: no hairball"
    svg = _render(text, tmp_path)
    assert svg.count('class="node"') <= 200 + 40  # items, year labels and the legend
    clusters = re.findall(r"subgraph cluster_review_\d+", text)
    assert len(clusters) == len(seeds.reviews)
    assert "cluster_legend" in text
    labels = re.findall(r'label="([^"]*)"', text)
    assert all(len(line) <= 40 for label in labels for line in label.split("\\n"))


@needs_dot
def test_around_messenger_3_is_a_small_readable_view(tmp_path: Path) -> None:
    out = tmp_path / "m3.dot"
    result = CliRunner().invoke(
        main, ["export", "--format", "dot", "--around", "messenger-2022/3", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    items = _items(text)
    assert BASE + "messenger-2022/3" in items
    assert 1 < len(items) <= 40
    _render(text, tmp_path)
    one = export_dataset(read_dataset().dataset, "dot", around="messenger-2022/3", depth=0)
    assert _items(one.decode()) == {BASE + "messenger-2022/3"}
    wider = export_dataset(read_dataset().dataset, "dot", around="messenger-2022/3", depth=3)
    assert items <= _items(wider.decode())


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "dot", "--around", "no-such-item"],
        ["--format", "ttl", "--around", "messenger-2022/3"],
    ],
)
def test_around_errors_are_one_line(args: list[str], tmp_path: Path) -> None:
    out = tmp_path / "x"
    result = CliRunner().invoke(main, ["export", *args, "-o", str(out)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert not out.exists()
