"""Reading DATA: --columns (a foreign header mapped), - with --input-format (standard input)
and --with-seeds (the user's files beside the bundled seeds), on the library and the CLI."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from reviewgraph.cli import main
from reviewgraph.errors import InputError, ValidationFailed
from reviewgraph.io.files import read_dataset
from reviewgraph.source import SourceUsageError, open_source

ROOT = Path(__file__).resolve().parents[1]
DEMO_YAML = (ROOT / "tests" / "good" / "bom.yaml").read_bytes()

FOREIGN = (
    "Review,Rec no,What was said,Position,Date of response\n"
    "r-1,1,Do the thing.,Accepted,2024-03\n"
    "r-1,2,Do the other thing.,Rejected,2024-03\n"
)
MAPPING = (
    "# their header = ours\n"
    "Review=review_id\n"
    "Rec no=rec_label\n"
    "What was said=rec_summary\n"
    "\n"
    "Position=stance\n"
    "Date of response=stance_date\n"
)


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def stances(source: object) -> list[str]:
    loaded = source.loaded  # type: ignore[attr-defined]
    return sorted(s.stance.value for s in loaded.dataset.stances)


# --------------------------------------------------------------------------- --columns


def test_a_mapping_file_reads_a_foreign_header(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text(FOREIGN, encoding="utf-8")
    (tmp_path / "cols.txt").write_text(MAPPING, encoding="utf-8")
    with open_source([tmp_path / "t.csv"], columns=tmp_path / "cols.txt") as source:
        assert stances(source) == ["accepted", "not-accepted"]
        summaries = {r.label: r.summary for r in source.loaded.dataset.recommendations}
    assert summaries == {"1": "Do the thing.", "2": "Do the other thing."}


def test_a_mapping_may_be_a_dict_or_inline_text(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text(FOREIGN, encoding="utf-8")
    as_dict = dict(line.split("=") for line in MAPPING.splitlines()[1:] if line)
    inline = ",".join(f"{k}={v}" for k, v in as_dict.items())
    for columns in (as_dict, inline):
        with open_source([tmp_path / "t.csv"], columns=columns) as source:
            assert stances(source) == ["accepted", "not-accepted"]


def test_without_the_mapping_the_foreign_header_is_refused(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text(FOREIGN, encoding="utf-8")
    with pytest.raises(InputError, match="unknown columns 'Review', 'Rec no'"):
        read_dataset([tmp_path / "t.csv"])


def test_columns_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text(FOREIGN, encoding="utf-8")
    (tmp_path / "cols.txt").write_text(MAPPING, encoding="utf-8")
    code, out, err = run("stats", str(tmp_path / "t.csv"), "--columns", str(tmp_path / "cols.txt"))
    assert code == 0, err
    assert "stances\t2" in out.splitlines()


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Review=review_id\nRec no\n", "cols.txt:2: --columns: 'Rec no' is not old=new"),
        ("Review=review_id\nRec no=rec_number\n", "cols.txt:2: --columns: 'rec_number' is not a"),
        ("Review=review_id\nReview=rec_label\n", "cols.txt:2: --columns: 'Review' is mapped twice"),
        ("# nothing here\n", "cols.txt: the column mapping file maps no column"),
    ],
)
def test_a_bad_mapping_file_is_one_line_naming_file_and_line(
    tmp_path: Path, text: str, said: str
) -> None:
    (tmp_path / "t.csv").write_text(FOREIGN, encoding="utf-8")
    (tmp_path / "cols.txt").write_text(text, encoding="utf-8")
    code, _, err = run("stats", str(tmp_path / "t.csv"), "--columns", str(tmp_path / "cols.txt"))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and said in lines[0], err
    assert "Traceback" not in err


def test_a_missing_mapping_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text(FOREIGN, encoding="utf-8")
    code, _, err = run("stats", str(tmp_path / "t.csv"), "--columns", "nosuch.txt")
    assert code == 2
    assert err.strip() == (
        "Error: nosuch.txt: no such column mapping file (give a file of old=new lines, "
        "or old=new,...)"
    )


def test_columns_do_not_go_with_a_store() -> None:
    with pytest.raises(SourceUsageError, match="columns is for files"):
        open_source(store="oxigraph:/nonexistent", columns={"Rec no": "rec_label"})


# --------------------------------------------------------------------------- stdin


def _as(fmt: str) -> bytes:
    """The demo YAML in another format, written by the export (whose own tests check it)."""
    from reviewgraph.io.export import export_dataset

    dataset = read_dataset([ROOT / "tests" / "good" / "bom.yaml"]).dataset
    return export_dataset(dataset, {"jsonld": "jsonld"}.get(fmt, fmt), flat=True)


@pytest.mark.parametrize("fmt", ["yaml", "ttl", "nt", "jsonld"])
def test_standard_input_in_each_format_gives_the_same_items(fmt: str) -> None:
    data = DEMO_YAML if fmt == "yaml" else _as(fmt)
    expected = read_dataset([ROOT / "tests" / "good" / "bom.yaml"]).dataset
    with open_source(["-"], input_format=fmt, stdin=io.BytesIO(data)) as source:
        assert source.loaded.dataset == expected
        assert source.loaded.files == ("<stdin>",)


def test_standard_input_as_a_tracker_csv() -> None:
    csv = b"review_id,rec_label,stance,stance_date\nr-1,1,accepted,2024-03\n"
    with open_source(["-"], input_format="csv", stdin=io.BytesIO(csv)) as source:
        assert stances(source) == ["accepted"]


def test_cat_into_validate_on_the_command_line() -> None:
    code, out, err = run("validate", "-", "--input-format", "yaml", stdin=DEMO_YAML)
    assert code == 0, err
    assert out.strip() == "1 file(s), 4 item(s): 0 violation(s), 0 warning(s)"


def test_standard_input_without_its_format_is_one_line() -> None:
    code, _, err = run("validate", "-", stdin=DEMO_YAML)
    assert code == 2
    assert err.strip() == (
        "Error: reading standard input (-) needs --input-format (yaml, csv, ttl, nt, jsonld)"
    )


def test_a_bad_standard_input_names_stdin_and_the_line() -> None:
    code, _, err = run("stats", "-", "--input-format", "yaml", stdin=b"review: [unclosed\n")
    assert code == 2
    assert err.startswith("Error: <stdin>:")
    assert len(err.strip().splitlines()) == 1


def test_standard_input_over_the_limit_is_refused() -> None:
    big = io.BytesIO(b"#" * 2_000_001)
    with pytest.raises(InputError, match="standard input is over the 2 MB input limit"):
        read_dataset(["-"], input_format="yaml", stdin=big, max_mb=2)


def test_standard_input_beside_files(tmp_path: Path) -> None:
    (tmp_path / "more.yaml").write_text(
        "responses:\n"
        "  - id: demo-reply\n"
        "    by: dhsc\n"
        "    date: 2024-05-01\n"
        "    answers: [demo-2024]\n"
        "    citations: [{source: src-demo}]\n"
        "    stances:\n"
        "      - recommendation: demo-2024/1\n"
        "        stance: accepted\n",
        encoding="utf-8",
    )
    loaded = read_dataset(
        ["-", tmp_path / "more.yaml"], input_format="yaml", stdin=io.BytesIO(DEMO_YAML)
    )
    assert [s.recommendation for s in loaded.dataset.stances] == ["demo-2024/1"]
    assert loaded.files[-1] == "<stdin>" and len(loaded.files) == 2


# --------------------------------------------------------------------------- --with-seeds

LINKED = """\
sources:
  - id: my-tracker-src
    url: https://example.org/my-tracker
reviews:
  - id: my-review-2024
    title: A follow-up review
    kind: independent review
    published: 2024-05-01
    citations: [{source: my-tracker-src}]
    recommendations:
      - label: "1"
        summary: Finish what Francis asked for.
        addressees: [dhsc]
        citations: [{source: my-tracker-src}]
links:
  - type: repeats
    from: my-review-2024/1
    to: francis-2013/1
    basis: stated
    citations: [{source: my-tracker-src}]
"""


def test_with_seeds_the_files_can_refer_to_the_seeds(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(LINKED, encoding="utf-8")
    with pytest.raises(ValidationFailed) as alone:
        read_dataset([tmp_path / "mine.yaml"])
    assert any("'francis-2013/1'" in str(p) for p in alone.value.problems)
    with open_source([tmp_path / "mine.yaml"], with_seeds=True) as source:
        dataset = source.loaded.dataset
        ids = {r.id for r in dataset.recommendations}
    assert {"my-review-2024/1", "francis-2013/1"} <= ids
    assert [(k.from_, k.to) for k in dataset.links if k.from_ == "my-review-2024/1"] == [
        ("my-review-2024/1", "francis-2013/1")
    ]


def test_with_seeds_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(LINKED, encoding="utf-8")
    code, _, _ = run("stats", str(tmp_path / "mine.yaml"))
    assert code == 2
    code, out, err = run("stats", str(tmp_path / "mine.yaml"), "--with-seeds")
    assert code == 0, err
    seeds_only = read_dataset().dataset
    counts = dict(line.split("\t") for line in out.splitlines())
    assert int(counts["reviews"]) == len(seeds_only.reviews) + 1


def test_an_id_the_seeds_use_suggests_a_prefix(tmp_path: Path) -> None:
    clash = LINKED.replace("id: my-review-2024", "id: francis-2013").replace(
        "my-review-2024/1", "francis-2013/1"
    )
    (tmp_path / "mine.yaml").write_text(clash, encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        read_dataset([tmp_path / "mine.yaml"], with_seeds=True)
    said = [str(p) for p in failed.value.problems if "mine.yaml" in str(p)]
    assert any(
        "already used at seeds/francis-2013.yaml" in s and "prefix such as 'my-francis-2013'" in s
        for s in said
    ), said


def test_with_seeds_does_not_go_with_a_store() -> None:
    with pytest.raises(SourceUsageError, match="with-seeds is for files"):
        open_source(store="oxigraph:/nonexistent", with_seeds=True)


# --------------------------------------------------------------------------- load


def test_load_maps_a_foreign_header_and_reads_it_back(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text(FOREIGN, encoding="utf-8")
    (tmp_path / "cols.txt").write_text(MAPPING, encoding="utf-8")
    db = f"oxigraph:{tmp_path / 'db'}"
    code, _, err = run("load", str(tmp_path / "t.csv"), "--store", db)
    assert code == 2 and "Position" in err  # the foreign header alone is refused
    code, out, err = run(
        "load", str(tmp_path / "t.csv"), "--store", db, "--columns", str(tmp_path / "cols.txt")
    )
    assert code == 0, err
    assert out.startswith("loaded 1 file(s)")
    with open_source(store=db) as source:
        got = sorted(s.stance.value for s in source.located().dataset.stances)
    assert got == ["accepted", "not-accepted"]


def test_load_with_seeds_puts_each_seed_file_in_its_own_graph(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(LINKED, encoding="utf-8")
    db = f"oxigraph:{tmp_path / 'db'}"
    code, _, err = run("load", str(tmp_path / "mine.yaml"), "--store", db)
    assert code == 2 and "francis-2013/1" in err  # alone, the link does not resolve
    code, out, err = run("load", str(tmp_path / "mine.yaml"), "--store", db, "--with-seeds")
    assert code == 0, err
    from reviewgraph.io.files import find_files
    from reviewgraph.vocab.resources import seeds_path

    assert out.startswith(f"loaded {len(find_files([seeds_path()])) + 1} file(s)")
    with open_source(store=db) as source:
        reviews = {r.id for r in source.located().dataset.reviews}
    assert {"my-review-2024", "francis-2013", "messenger-2022"} <= reviews


def test_load_names_the_row_where_an_id_of_the_seeds_is_used_again(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text(FOREIGN.replace("r-1", "francis-2013"), encoding="utf-8")
    db = tmp_path / "db"
    (tmp_path / "cols.txt").write_text(MAPPING, encoding="utf-8")
    code, _, err = run(
        "load",
        str(tmp_path / "t.csv"),
        "--store",
        f"oxigraph:{db}",
        "--with-seeds",
        "--columns",
        str(tmp_path / "cols.txt"),
    )
    assert code == 2
    first = err.strip().splitlines()[0]
    assert "t.csv:2 (column review_id): review francis-2013: " in first, first
    assert "already used at seeds/francis-2013.yaml" in first
    from reviewgraph.errors import StoreNotFoundError

    with pytest.raises(StoreNotFoundError):  # nothing was written
        open_source(store=f"oxigraph:{db}").located()


def test_load_refuses_standard_input_in_one_line(tmp_path: Path) -> None:
    code, out, err = run("load", "-", "--store", f"oxigraph:{tmp_path / 'db'}", stdin=DEMO_YAML)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "standard input (-) cannot be loaded" in err
