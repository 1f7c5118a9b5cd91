"""Ids from names: transliteration, resolution through names and aliases, duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewgraph.errors import ValidationFailed
from reviewgraph.io.files import read_dataset
from reviewgraph.io.names import NameIndex, did_you_mean, likely_duplicates, name_slug
from reviewgraph.models import ID_PATTERN, Body
from reviewgraph.validate import validate_dataset


def _csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.csv").write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    "names",
    [
        ("東京消防庁", "大阪市消防局"),
        ("Пожарная охрана", "Министерство здравоохранения"),
        ("وزارة الصحة", "هيئة الرقابة"),
    ],
)
def test_two_non_latin_body_names_give_two_bodies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, names: tuple[str, str]
) -> None:
    _csv(tmp_path, monkeypatch, f"review_id,rec_label,addressees\nr-1,1,{names[0]};{names[1]}\n")
    ds = read_dataset(["t.csv"]).dataset
    assert sorted(b.name for b in ds.bodies) == sorted(names)
    assert len({b.id for b in ds.bodies}) == 2


def test_ids_from_names_are_stable_and_valid() -> None:
    import re

    for text in ("東京消防庁", "Ελληνική Αστυνομία", "!!!", "Agència", "33.10a"):
        assert name_slug(text) == name_slug(text)
        assert re.match(ID_PATTERN, "r/" + name_slug(text)), text
    assert name_slug("!!!") != name_slug("???")


def test_names_that_transliterate_alike_stay_distinct() -> None:
    index = NameIndex()
    first, second = index.resolve("Ёлка"), index.resolve("Елка")
    assert first != second
    assert index.resolve("Ёлка") == first  # stable within a load


def test_non_latin_recommendation_labels_give_distinct_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _csv(tmp_path, monkeypatch, "review_id,rec_label\nr-1,第一\nr-1,第二\n")
    ds = read_dataset(["t.csv"]).dataset
    assert len({r.id for r in ds.recommendations}) == 2


def test_names_resolve_through_names_and_aliases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _csv(
        tmp_path,
        monkeypatch,
        "review_id,rec_label,addressees\nr-1,1,DHSC\nr-1,2,department of health and social care\n"
        "r-1,3,Department of Health\nr-1,4,dhsc\n",
    )
    (tmp_path / "b.yaml").write_text(
        "bodies:\n  - id: dhsc\n    name: Department of Health and Social Care\n"
        "    abbreviation: DHSC\n    names:\n      - name: Department of Health\n"
        "        until: 2018-01-08\n",
        encoding="utf-8",
    )
    ds = read_dataset(["t.csv", "b.yaml"]).dataset
    assert {r.addressees for r in ds.recommendations} == {("dhsc",)}
    assert [b.id for b in ds.bodies] == ["dhsc"]


def test_an_acronym_next_to_its_name_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _csv(
        tmp_path,
        monkeypatch,
        "review_id,rec_label,addressees\nr-1,1,LFB\nr-1,2,London Fire Brigade\n",
    )
    loaded = read_dataset(["t.csv"])
    assert len(loaded.dataset.bodies) == 2
    report = validate_dataset(loaded)
    said = [w for w in report.warnings if "acronym" in w.message]
    assert len(said) == 1
    assert "'LFB' is the acronym of 'London Fire Brigade'" in said[0].message
    assert said[0].location == "t.csv:2 (column addressees)"


def test_near_identical_spellings_warn() -> None:
    found = likely_duplicates({"a": "Care Quality Commission", "b": "Care Quality Comission"})
    assert [(a, b) for a, b, _ in found] == [("a", "b")]
    assert likely_duplicates({"a": "Home Office", "b": "Cabinet Office"}) == []


def test_unknown_ids_get_a_did_you_mean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(
        "bodies:\n  - id: nhs-england\n    name: NHS England\n"
        "commitments:\n  - id: c-1\n    summary: S\n    made_on: 2020\n    owner: nhs-englnd\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as caught:
        read_dataset(["a.yaml"])
    (problem,) = caught.value.problems
    assert "(did you mean 'nhs-england'?)" in str(problem)
    assert did_you_mean("quite-different", ["nhs-england"]) == ""


def test_a_name_index_knows_defined_bodies() -> None:
    index = NameIndex([Body(id="lfb", name="London Fire Brigade", abbreviation="LFB")])
    assert index.resolve("  london   fire BRIGADE ") == "lfb"
    assert index.resolve("LFB") == "lfb"
    assert index.resolve("Police Scotland") == "police-scotland"
    assert index.resolve("police-scotland") == "police-scotland"
