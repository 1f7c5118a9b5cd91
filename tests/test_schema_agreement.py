"""The published JSON Schema for authoring (ontology/authoring.schema.json) and the loader
agree: every document the loader accepts validates against the schema, and hand-written bad
documents are refused by both (issue #16).

The documents are read as an editor reads them, with a standard YAML parser (PyYAML), dates
turned into their text as JSON has no dates."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from reviewgraph.errors import InputError, ValidationFailed
from reviewgraph.io.files import read_dataset

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "ontology" / "authoring.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

GOOD = sorted(
    [*ROOT.glob("seeds/*.yaml"), *ROOT.glob("tests/good/*.yaml"), *ROOT.glob("examples/**/*.yaml")]
)
RULES = sorted(ROOT.glob("tests/rules/*.yaml"))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _errors(document: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(document)]


def test_the_schema_is_itself_valid() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", GOOD, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_accepted_file_validates_against_the_schema(path: Path) -> None:
    read_dataset([path.parent] if path.parent.name != "good" else [path])  # the loader accepts
    document = _plain(yaml.safe_load(path.read_text(encoding="utf-8-sig")))
    assert _errors(document) == []


@pytest.mark.parametrize("path", RULES, ids=lambda p: p.name)
def test_every_rule_case_dataset_validates_against_the_schema(path: Path) -> None:
    document = _plain(yaml.safe_load(path.read_text(encoding="utf-8")))["dataset"]
    assert _errors(document) == []


HEAD = """\
sources:
  - id: src-demo
    url: https://example.org/demo
bodies:
  - id: dhsc
    name: Department of Health and Social Care
"""
REVIEW = """\
review:
  id: demo-2024
  title: A demo review
  kind: audit report
  published: 2024-03-14
  citations: [{source: src-demo}]
  recommendations:
    - label: "1"
      summary: Do the thing.
      addressees: [dhsc]
      citations: [{source: src-demo}]
"""
COMMITMENT = """\
commitments:
  - id: c-1
    summary: Do it.
    made_on: 2024-05-01
    answers: [demo-2024/1]
    citations: [{source: src-demo}]
"""

BAD = {
    "an unknown section": HEAD + REVIEW + "reveiws: []\n",
    "a review without its title": HEAD + REVIEW.replace("  title: A demo review\n", ""),
    "an unknown key": HEAD + REVIEW.replace("      summary: Do", "      sumary: Do"),
    "an id with capitals": HEAD + REVIEW.replace("id: demo-2024", "id: Demo-2024"),
    "a commitment without made_on": HEAD
    + REVIEW
    + COMMITMENT.replace("    made_on: 2024-05-01\n", ""),
    "a link without its type": HEAD
    + REVIEW
    + "links:\n  - {from: demo-2024/1, to: demo-2024, basis: stated}\n",
    "a source URL that is not http": HEAD.replace("https://example.org/demo", "javascript:alert(1)")
    + REVIEW,
    "a flag that is not a boolean": HEAD.replace(
        "    name: Department", "    government: maybe\n    name: Department"
    )
    + REVIEW,
    "recommendations that are not a list": HEAD
    + REVIEW.split("  recommendations:")[0]
    + "  recommendations: {label: '1'}\n",
    "a list where a text goes": HEAD + REVIEW.replace("title: A demo review", "title: [a, b]"),
    "a stance without its value": HEAD
    + REVIEW
    + "responses:\n  - id: reply\n    date: 2024-05-01\n    answers: [demo-2024]\n"
    "    citations: [{source: src-demo}]\n    stances:\n      - recommendation: demo-2024/1\n",
}


def test_the_well_formed_base_is_accepted_by_both(tmp_path: Path) -> None:
    text = HEAD + REVIEW + COMMITMENT  # so each bad case below fails for its own reason
    (tmp_path / "ok.yaml").write_text(text, encoding="utf-8")
    read_dataset([tmp_path / "ok.yaml"])
    assert _errors(_plain(yaml.safe_load(text))) == []


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_document_is_refused_by_both(case: str, tmp_path: Path) -> None:
    text = BAD[case]
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    with pytest.raises((ValidationFailed, InputError)):
        read_dataset([tmp_path / "bad.yaml"])
    assert _errors(_plain(yaml.safe_load(text))) != [], f"the schema accepts {case}"
