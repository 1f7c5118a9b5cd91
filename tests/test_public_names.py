"""Every public name of the package can be imported from ``reviewgraph`` itself."""

from __future__ import annotations

import subprocess
import sys

import reviewgraph


def test_every_name_in_all_resolves() -> None:
    missing = [n for n in reviewgraph.__all__ if getattr(reviewgraph, n, None) is None]
    assert missing == []


def test_the_main_entry_points_are_at_the_top() -> None:
    for name in ("open_source", "ReviewGraph", "open_store", "load_files", "read_facts"):
        assert name in reviewgraph.__all__


def test_python_dash_m_runs_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "reviewgraph", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: reviewgraph ")
