"""A plain (non-editable) install finds its ontology, shapes, context, mappings, queries and
seeds from any directory, through importlib.resources."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CHECK = r"""
import json, sys
import reviewgraph
from importlib.resources import files
from reviewgraph.vocab.resources import data_path, ontology_file, seeds_path

names = ["reviewgraph.ttl", "shapes.ttl", "context.jsonld", "mappings.ttl",
         "authoring.schema.json"]
queries = files("reviewgraph").joinpath("sparql", "queries")
print(json.dumps({
    "module": reviewgraph.__file__,
    "version": reviewgraph.__version__,
    "ontology": str(data_path("ontology")),
    "files": {n: ontology_file(n).is_file() for n in names},
    "starts": {n: ontology_file(n).read_text(encoding="utf-8")[:200] for n in names},
    "seeds": str(seeds_path()),
    "seeds_is_dir": seeds_path().is_dir(),
    "seed_files": sorted(p.name for p in seeds_path().iterdir()),
    "queries": sorted(q.name for q in queries.iterdir()) if queries.is_dir() else [],
}))
"""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PIP_NO_INDEX"] = "1"
    return env


def _run(*args: str | Path, cwd: Path) -> str:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_wheel_installs_and_finds_its_data(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    wheels = tmp_path / "wheels"
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "-w",
        wheels,
        ROOT,
        cwd=tmp_path,
    )
    (wheel,) = wheels.glob("reviewgraph-*.whl")

    venv = tmp_path / "venv"
    _run(
        sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv, cwd=tmp_path
    )
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        "--no-index",
        wheel,
        cwd=tmp_path,
    )

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    found = json.loads(_run(python, "-c", CHECK, cwd=elsewhere))
    print(json.dumps({k: v for k, v in found.items() if k != "starts"}, indent=1))

    assert Path(found["module"]).resolve().is_relative_to(venv.resolve()), found["module"]
    assert not Path(found["ontology"]).resolve().is_relative_to(ROOT), "read from the checkout"
    assert all(found["files"].values()), found["files"]
    for name, start in found["starts"].items():
        committed = (ROOT / "ontology" / name).read_text(encoding="utf-8")
        assert committed.startswith(start), name
    assert found["seeds_is_dir"]
    assert Path(found["seeds"]).resolve().is_relative_to(venv.resolve())
    assert found["seed_files"], "the seeds folder ships empty"
    shipped_queries = sorted(p.name for p in (ROOT / "src/reviewgraph/sparql/queries").glob("*.rq"))
    assert [q for q in found["queries"] if q.endswith(".rq")] == shipped_queries
