"""The documentation site: generated pages are current, every term is defined, and the site
builds with ``mkdocs build --strict``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from reviewgraph._build import docs as docgen
from reviewgraph.vocab.namespaces import RG
from reviewgraph.vocab.ontology import load_ontology

ROOT = Path(__file__).resolve().parents[1]


def test_ontology_reference_is_current() -> None:
    page = (ROOT / "docs" / "reference" / "ontology.md").read_text(encoding="utf-8")
    assert page == docgen.generate_ontology_reference(), "run: python -m reviewgraph._build ."


def test_query_cookbook_is_current() -> None:
    page = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    assert page == docgen.generate_query_cookbook(), "run: python -m reviewgraph._build ."


def test_every_term_is_defined_and_in_the_reference() -> None:
    onto = load_ontology()
    page = (ROOT / "docs" / "reference" / "ontology.md").read_text(encoding="utf-8")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.ConceptScheme, SKOS.Concept)
    terms = {
        s for kind in kinds for s in onto.subjects(RDF.type, kind) if str(s).startswith(str(RG))
    }
    assert len(terms) > 100
    for term in terms:
        texts = [str(t) for p in (RDFS.comment, SKOS.definition) for t in onto.objects(term, p)]
        assert max(map(len, texts), default=0) > 20, f"{term} lacks a definition"
        assert f"rg:{str(term)[len(str(RG)) :]}" in page, f"{term} is missing from the reference"


def test_every_public_module_is_in_the_python_reference() -> None:
    page = (ROOT / "docs" / "reference" / "python.md").read_text(encoding="utf-8")
    modules = sorted(
        p.stem
        for p in (ROOT / "src" / "reviewgraph").glob("*.py")
        if not p.stem.startswith("_")
        and p.stem not in {"cli", "cli_outputs", "constants", "resources"}
    )
    for module in modules:
        assert f"::: reviewgraph.{module}" in page, f"reviewgraph.{module} is not in the reference"


@pytest.mark.skipif(
    shutil.which("mkdocs") is None
    and not Path(sys.executable).with_name("mkdocs").exists()
    and not os.environ.get("CI"),  # under CI (.ci/run installs '.[all]') a missing mkdocs fails
    reason="mkdocs is not installed (pip install -e '.[docs]')",
)
def test_site_builds_strict(tmp_path: Path) -> None:
    mkdocs = Path(sys.executable).with_name("mkdocs")
    done = subprocess.run(
        [str(mkdocs), "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "site" / "index.html").exists()
    assert (tmp_path / "site" / "reference" / "python" / "index.html").exists()
    # the docstrings' Sphinx roles are rendered as cross-references, not left as text
    pages = sorted((tmp_path / "site").rglob("*.html"))
    raw = re.compile(r":(?:py:)?(?:class|func|meth|mod|attr|data|exc|obj):")
    left = {str(p.relative_to(tmp_path)): len(raw.findall(p.read_text("utf-8"))) for p in pages}
    assert {p: n for p, n in left.items() if n} == {}
    api = (tmp_path / "site" / "reference" / "python" / "index.html").read_text("utf-8")
    assert re.search(r'<a href="#reviewgraph\.[\w.]+"><code>', api), "roles became links"


def test_cli_reference_shows_real_usage_lines() -> None:
    page = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    usages = re.findall(r"^Usage: (.*)$", page, re.M)
    assert "Usage: reviewgraph gaps [OPTIONS] [DATA]..." in page
    assert usages and not [u for u in usages if u.startswith("reviewgraph reviewgraph")]


def test_getting_started_output_is_what_gaps_prints() -> None:
    """Every line of the getting-started page's console block is a line ``gaps`` prints on the
    seeds (a line ending in ``...`` is a prefix of one); ``...`` alone stands for lines left
    out."""
    from click.testing import CliRunner

    from reviewgraph.cli import main

    page = (ROOT / "docs" / "getting-started.md").read_text(encoding="utf-8")
    block = page.split("```console\n$ reviewgraph gaps --as-of 2025-07-01\n", 1)[1]
    shown = [line for line in block.split("```", 1)[0].splitlines() if line and line != "..."]
    result = CliRunner().invoke(main, ["gaps", "--as-of", "2025-07-01"])
    assert result.exit_code == 0, result.output
    printed = result.output.splitlines()
    for line in shown:
        if line.endswith("..."):
            assert any(p.startswith(line[:-3]) for p in printed), line
        else:
            assert line in printed, line
