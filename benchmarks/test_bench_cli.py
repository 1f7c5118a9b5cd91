"""Cold start of the command line (a new process each round, median of 5)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

EXE = Path(sys.executable).with_name("reviewgraph")


@pytest.mark.parametrize(
    ("label", "args"),
    [("reviewgraph --help", ["--help"]), ("reviewgraph gaps (seeds)", ["gaps"])],
)
def test_cli_cold(benchmark: Any, label: str, args: list[str]) -> None:
    if not EXE.exists():
        pytest.skip("the reviewgraph command is not installed in this environment")
    benchmark.group = "cli"
    benchmark.extra_info.update(label=label, size="seeds")
    env = {**os.environ, "REVIEWGRAPH_TODAY": "2025-07-01"}

    def run() -> None:
        subprocess.run([str(EXE), *args], check=True, capture_output=True, env=env)

    benchmark.pedantic(run, rounds=5, iterations=1, warmup_rounds=1)
