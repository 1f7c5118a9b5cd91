"""The YAML authoring format and the traps of YAML itself.

Every scalar stays text until the model parses it, so "1.10" stays "1.10" and "no" stays "no"
except where a flag is expected; unquoted null and ~ mean "not given"; duplicate keys,
alias bombs, deep nesting and several documents are refused; every problem names the file
and line.
"""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest
from conftest import DATA

from reviewgraph.errors import InputError, ValidationFailed
from reviewgraph.io.files import Loaded, read_dataset
from reviewgraph.io.yamldoc import MAX_DEPTH, LocDict, parse_yaml
from reviewgraph.models import Body, Recommendation, Review, Source
from reviewgraph.vocab.concepts import StanceValue


def load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Loaded:
    """Write ``text`` to ``f.yaml`` in a fresh folder and read it from there."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "f.yaml").write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return read_dataset(["f.yaml"])


def problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        load(tmp_path, monkeypatch, text)
    return [str(p) for p in caught.value.problems]


# --------------------------------------------------------------------------- scalars


@pytest.fixture(scope="module")
def traps() -> Loaded:
    return read_dataset([DATA / "yaml" / "traps.yaml"])


def test_version_like_labels_stay_text(traps: Loaded) -> None:
    recs = {r.label: r for r in traps.dataset.recommendations}
    assert set(recs) == {"1.10", "1.1", "1.100"}  # three labels, not the number 1.1 thrice
    assert recs["1.10"].id == "traps-2019/1.10"
    source = traps.dataset.get("src-traps")
    assert isinstance(source, Source) and source.publisher == "1.10"


@pytest.mark.parametrize(
    ("item_id", "field", "value"),
    [
        ("norway", "name", "no"),
        ("norway", "abbreviation", "NO"),
        ("ontario", "name", "on"),
        ("y", "name", "yes"),
        ("src-traps", "title", "no"),
        ("traps-2019", "title", "2019"),
        ("traps-2019/1.10", "summary", "off"),
        ("traps-2019/1.100", "summary", "null"),  # quoted: text, not absent
        ("traps-2019/1.1", "summary", "~/home is not a null"),
    ],
)
def test_yaml_11_booleans_numbers_and_nulls_stay_text_in_text_fields(
    traps: Loaded, item_id: str, field: str, value: str
) -> None:
    assert getattr(traps.dataset.get(item_id), field) == value


@pytest.mark.parametrize(
    ("item_id", "field", "value"),
    [
        ("norway", "government", True),  # yes
        ("ontario", "government", False),  # off
        ("y", "government", True),  # "true", quoted
        ("traps-2019", "expects_response", True),  # on
        ("traps-2019/1.1", "is_theme", False),  # no
        ("traps-2019/1.100", "is_theme", True),  # Yes
    ],
)
def test_flags_parse_only_in_flag_fields(
    traps: Loaded, item_id: str, field: str, value: bool
) -> None:
    assert getattr(traps.dataset.get(item_id), field) is value


def test_numbers_and_dates_parse_only_where_expected(traps: Loaded) -> None:
    review = traps.dataset.get("traps-2019")
    assert isinstance(review, Review)
    assert review.stated_recommendations == 7  # 007
    assert review.response_period == "P2M"
    assert review.published is not None and review.published.text == "2019-02-06"
    assert review.citations[0].locator == "12"
    assert str(review.citations[0].accessed) == "2024-01-02"


@pytest.mark.parametrize(("item_id", "field"), [("ontario", "abbreviation"), ("y", "parent")])
def test_unquoted_null_tilde_and_empty_mean_absent(traps: Loaded, item_id: str, field: str) -> None:
    assert getattr(traps.dataset.get(item_id), field) is None
    body = traps.dataset.get("ontario")
    assert isinstance(body, Body) and body.jurisdiction is None  # null


@pytest.mark.parametrize("absent", ["~", "null", "Null", "NULL", ""])
def test_an_absent_required_value_is_reported_as_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, absent: str
) -> None:
    found = problems(tmp_path, monkeypatch, f"bodies:\n  - id: dhsc\n    name: {absent}\n")
    assert found == ["f.yaml:3: body dhsc: name is required"]  # the line of the key


def test_a_quoted_empty_string_is_not_absent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = problems(tmp_path, monkeypatch, 'bodies:\n  - id: dhsc\n    name: ""\n')
    assert found == ["f.yaml:3: body dhsc: name: must not be blank"]


@pytest.mark.parametrize("flag", ["maybe", "2", "nope"])
def test_a_word_that_is_not_a_flag_is_refused_in_a_flag_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flag: str
) -> None:
    found = problems(
        tmp_path, monkeypatch, f"bodies:\n  - id: dhsc\n    name: D\n    government: {flag}\n"
    )
    assert len(found) == 1
    assert found[0].startswith("f.yaml:4: body dhsc: government: Input should be a valid boolean")


# --------------------------------------------------------------------------- the reader's guards


def test_duplicate_keys_are_refused_with_both_lines() -> None:
    text = "bodies:\n  - id: dhsc\n    name: A\n    abbreviation: X\n    name: B\n"
    with pytest.raises(InputError, match=r"^f\.yaml:5: duplicate key 'name' \(first on line 3\)$"):
        parse_yaml(text, "f.yaml")


def test_duplicate_top_level_sections_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "bodies:\n  - {id: a, name: A}\npeople: []\nbodies:\n  - {id: b, name: B}\n"
    with pytest.raises(InputError, match=r"f\.yaml:4: duplicate key 'bodies' \(first on line 1\)"):
        load(tmp_path, monkeypatch, text)


def test_an_alias_bomb_is_refused_quickly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for name, previous in zip("bcdefg", "abcdef", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]")
    lines.append(f"h: [{', '.join(['*g'] * 10)}]")  # 10**8 leaves
    start = time.perf_counter()
    with pytest.raises(InputError, match=r"^bomb\.yaml:\d+: the document expands to more than"):
        parse_yaml("\n".join(lines), "bomb.yaml")
    assert time.perf_counter() - start < 10


def test_small_aliases_are_fine() -> None:
    doc = parse_yaml("cite: &c [{source: s}]\nagain: *c\n")
    assert doc["again"] == doc["cite"] == [{"source": "s"}]


def test_aliases_are_independent_copies() -> None:
    doc = parse_yaml("cite: &c [{source: s}]\nagain: *c\n")
    doc["again"][0]["source"] = "changed"
    assert doc["cite"] == [{"source": "s"}]
    assert doc["again"][0].line == 1  # a copy keeps the lines of what it copies


def test_a_document_is_refused_at_the_value_past_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """Values are counted as they are read: the root mapping is the 1st, the list the 2nd,
    the entry on line N the (N + 1)th, so with a cap of 10 the entry on line 10 is past it."""
    monkeypatch.setattr("reviewgraph.io.yamldoc.MAX_NODES", 10)
    text = "a:\n" + "".join(f"  - v{i}\n" for i in range(20))
    with pytest.raises(InputError, match="more than 10 values") as info:
        parse_yaml(text, "big.yaml")
    assert str(info.value).startswith("big.yaml:10: ")
    assert len(parse_yaml("a:\n" + "".join(f"  - v{i}\n" for i in range(8)))["a"]) == 8


def test_keys_are_not_counted_as_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reviewgraph.io.yamldoc.MAX_NODES", 4)
    assert parse_yaml("a: 1\nb: 2\nc: 3\n") == {"a": "1", "b": "2", "c": "3"}  # 4 values


def test_an_alias_counts_every_value_it_stands_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reviewgraph.io.yamldoc.MAX_NODES", 8)
    # the root, the list of 3 and its entries: 5 values; the alias adds 4 more, 9 in all
    with pytest.raises(InputError, match="more than 8 values"):
        parse_yaml("a: &x [1, 2, 3]\nb: *x\n")
    monkeypatch.setattr("reviewgraph.io.yamldoc.MAX_NODES", 9)
    assert parse_yaml("a: &x [1, 2, 3]\nb: *x\n")["b"] == ["1", "2", "3"]


@pytest.mark.parametrize(
    ("depth", "message"),
    [
        (MAX_DEPTH + 5, f"nesting is deeper than {MAX_DEPTH} levels"),
        (20_000, "nesting is (deeper than|too deep)"),
    ],
)
def test_deep_nesting_is_refused(depth: int, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_yaml("a: " + "[" * depth + "]" * depth + "\n", "deep.yaml")


def test_nesting_within_the_limit_is_read() -> None:
    depth = MAX_DEPTH - 2
    doc = parse_yaml("a: " + "[" * depth + "x" + "]" * depth + "\n")
    node = doc["a"]
    for _ in range(depth - 1):
        node = node[0]
    assert node == ["x"]


@pytest.mark.parametrize(
    "text", ["bodies: []\n---\nbodies: []\n", "---\nbodies: []\n---\npeople: []\n"]
)
def test_several_documents_are_refused(text: str) -> None:
    with pytest.raises(InputError, match=r"^f\.yaml(:\d+)?: a file may hold only one YAML doc"):
        parse_yaml(text, "f.yaml")


def test_merge_keys_are_refused() -> None:
    text = "base: &b {name: D}\nbodies:\n  - <<: *b\n    id: x\n"
    with pytest.raises(InputError, match=r"^f\.yaml:3: merge keys \(<<\) are not supported$"):
        parse_yaml(text, "f.yaml")


def test_tags_run_no_code() -> None:
    doc = parse_yaml("id: !!python/object/apply:os.system [echo pwned]\nname: !!int 12\n")
    assert doc == {"id": ["echo pwned"], "name": "12"}


@pytest.mark.parametrize(
    ("text", "line"),
    [("bodies:\n  - id: x\n   name: bad indent\n", 3), ('review:\n  title: "unclosed\n', 3)],
)
def test_syntax_errors_name_the_line(text: str, line: int) -> None:
    with pytest.raises(InputError, match=rf"^f\.yaml:{line}: YAML syntax error: "):
        parse_yaml(text, "f.yaml")


def test_lines_are_remembered() -> None:
    doc = parse_yaml("# a comment\nbodies:\n  - id: x\n    name: X\n  - id: y\n    name: Y\n")
    assert isinstance(doc, LocDict)
    assert doc.key_lines["bodies"] == 2
    assert [entry.line for entry in doc["bodies"]] == [3, 5]
    assert doc["bodies"][1].key_lines["name"] == 6


# --------------------------------------------------------------------------- messages


def test_unknown_keys_and_sections_are_named_with_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = problems(
        tmp_path,
        monkeypatch,
        """
        bodies:
          - id: dhsc
            name: DHSC
            colour: red
        review:
          id: r-2020
          title: A review
          recommendations:
            - label: "1"
              sumary: typo
        reviewz: []
        """,
    )
    assert sorted(found) == sorted(
        [
            "f.yaml:4: body dhsc: unknown key 'colour'",
            "f.yaml:10: recommendation r-2020/1: unknown key 'sumary'",
            "f.yaml:11: unknown section 'reviewz' (expected one of: bodies, body_changes, "
            "commitments, deliverables, elections, links, people, responses, review, reviews, "
            "sources, status_claims, themes)",
        ]
    )


def test_a_bad_stance_reads_like_the_issue_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = problems(
        tmp_path,
        monkeypatch,
        """
        review:
          id: kark-2019
          title: Kark review
          recommendations:
            - label: K5
        responses:
          - id: kark-response
            date: 2019-02-06
            answers: [kark-2019]
            stances:
              - recommendation: K1
                stance: accepted
              - recommendation: K5
                stance: considering
        """,
    )
    # messages come in line order, so the stance's message need not be the first
    assert (
        "f.yaml:14: stance kark-response/stance-2: stance: 'considering' is not a stance "
        "(accepted, accepted in principle, accepted in part, not accepted, noted, "
        "to be considered)"
    ) in found


def test_every_problem_in_a_file_is_reported_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = problems(
        tmp_path,
        monkeypatch,
        """
        bodies:
          - id: Bad Id
            name: A
          - id: good
          - id: also-good
            name: C
            url: ftp://example.org
        """,
    )
    assert len(found) == 3
    assert found[0] == (
        "f.yaml:2: body Bad Id: 'Bad Id' is not a valid id (lower-case letters, digits and hyphens)"
    )
    assert found[1] == "f.yaml:4: body good: name is required"
    assert found[2].startswith("f.yaml:7: body also-good: url: ")
    assert "ftp://example.org" in found[2] or "pattern" in found[2]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- just\n- a list\n", "f.yaml:1: a reviewgraph YAML file must be a mapping of sections"),
        ("bodies: a body\n", "f.yaml:1: bodies must be a list"),
        ("bodies:\n  - dhsc\n", "f.yaml:2: each body must be a mapping of keys to values"),
        (
            "review:\n  id: r\n  title: T\n  recommendations: one\n",
            "f.yaml:4: recommendations must be a list of recommendations",
        ),
    ],
)
def test_wrong_shapes_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    assert any(p.startswith(message) for p in problems(tmp_path, monkeypatch, text))


# --------------------------------------------------------------------------- nesting and ids


def test_nested_items_get_ids_from_their_parents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = load(
        tmp_path,
        monkeypatch,
        """
        sources:
          - id: s
            url: https://example.org/s
        bodies:
          - {id: dept, name: Department}
        review:
          id: r-2020
          title: A review
          recommendations:
            - label: 33.10a
            - label: Structures and regulation
              is_theme: yes
        responses:
          - id: resp
            date: 2020-03-01
            answers: [r-2020]
            stances:
              - recommendation: 33.10a
                stance: Accepted in principle
        commitments:
          - id: c
            summary: Do it
            owner: dept
            made_on: 2020-03-01
            due_dates:
              - target: by March 2022
              - target: summer 2023
            status:
              - status: in progress
                asserted_on: 2021
        """,
    )
    ds = loaded.dataset
    assert [r.id for r in ds.recommendations] == [
        "r-2020/33.10a",
        "r-2020/structures-and-regulation",
    ]
    assert isinstance(ds.get("r-2020/structures-and-regulation"), Recommendation)
    (stance,) = ds.stances
    assert (stance.id, stance.recommendation) == ("resp/stance-1", "r-2020/33.10a")
    assert stance.stance is StanceValue.ACCEPTED_IN_PRINCIPLE
    assert [d.id for d in ds.due_dates] == ["c/due-1", "c/due-2"]
    assert [(s.id, s.about) for s in ds.status_claims] == [("c/status-1", "c")]
    written = [line.strip() for line in (tmp_path / "f.yaml").read_text().splitlines()]

    def line(text: str) -> str:
        return f"f.yaml:{written.index(text) + 1}"

    assert str(loaded.where("r-2020/33.10a")) == line("- label: 33.10a")
    assert str(loaded.where("resp/stance-1")) == line("- recommendation: 33.10a")
    assert str(loaded.where("c/due-2")) == line("- target: summer 2023")


def test_references_across_files_resolve_and_locations_name_each_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bodies.yaml").write_text("bodies:\n  - id: dept\n    name: Dept\n")
    (tmp_path / "review.yaml").write_text(
        "review:\n  id: r\n  title: T\n  publisher: dept\n  recommendations:\n"
        "    - label: '1'\n      addressees: [dept]\n"
    )
    loaded = read_dataset([tmp_path])
    assert loaded.files == ("bodies.yaml", "review.yaml")
    assert str(loaded.where("dept")) == "bodies.yaml:2"
    assert str(loaded.where("r/1")) == "review.yaml:6"
