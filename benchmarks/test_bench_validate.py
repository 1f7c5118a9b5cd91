"""Validation: the models' checks plus SHACL (pyshacl), up to 100k triples."""

from __future__ import annotations

from typing import Any

import pytest
from common import AS_OF
from generate import SIZES

from reviewgraph.models import Dataset


def test_validate(benchmark: Any, size: str, dataset: Dataset, triples: int) -> None:
    if SIZES[size] > 100_000:
        pytest.skip("SHACL validation is measured up to 100k triples")
    from reviewgraph.validate import validate_dataset

    benchmark.group = "validate"
    benchmark.extra_info.update(label="validate_dataset", size=size, triples=triples)
    report = benchmark.pedantic(
        validate_dataset, args=(dataset,), kwargs={"as_of": AS_OF}, rounds=1, iterations=1
    )
    assert report.conforms, report.violations[:3]
