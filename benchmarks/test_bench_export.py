"""Every export format, from the models."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import rounds
from generate import SIZES

from reviewgraph.io.export import EXPORT_FORMATS, export_dataset
from reviewgraph.models import Dataset


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_export(benchmark: Any, size: str, dataset: Dataset, triples: int, fmt: str) -> None:
    benchmark.group = "export"
    benchmark.extra_info.update(label=fmt, size=size, triples=triples)
    n = rounds(size, 3) if SIZES[size] <= 10_000 else 1
    data = benchmark.pedantic(export_dataset, args=(dataset, fmt), rounds=n, iterations=1)
    benchmark.extra_info["bytes"] = len(data)
