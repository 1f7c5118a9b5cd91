"""Every bad input gets a clear, located, one-line answer from the library and the CLI.

``tests/bad/expected.tsv`` lists each file (or folder) of ``tests/bad/`` with the exit code of
``reviewgraph validate PATH --as-of 2026-11-25``, the error class the library raises from
``read_dataset([PATH])`` (for :class:`~reviewgraph.errors.ValidationFailed`, the class of the
matching problem), or ``report`` when only :func:`~reviewgraph.validate.validate_dataset` finds
the fault, and a regular expression the message must match.  Paths are relative to
``tests/bad/`` and the tests run from there, so messages name files as the manifest does.

Cases that cannot be committed (an empty folder, a file over the size limit, an unreadable
file) are built in ``tmp_path``.  ``tests/good/`` holds inputs that look odd but are valid
(a UTF-8 byte-order mark, Windows line endings, due dates in the future).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reviewgraph import errors
from reviewgraph.cli import main
from reviewgraph.io.files import read_dataset
from reviewgraph.validate import validate_dataset

HERE = Path(__file__).parent
BAD = HERE / "bad"
GOOD = HERE / "good"
MANIFEST = BAD / "expected.tsv"
AS_OF = "2026-11-25"
TODAY = date.fromisoformat(AS_OF)


@dataclass(frozen=True)
class Case:
    """One row of the manifest."""

    path: str
    exit_code: int
    error: str
    pattern: str


def _read_manifest() -> list[Case]:
    cases = []
    for number, line in enumerate(MANIFEST.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#") or line.startswith("path\t"):
            continue
        cells = line.split("\t")
        assert len(cells) == 4, f"expected.tsv:{number}: needs 4 tab-separated cells"
        path, exit_code, error, pattern = cells
        cases.append(Case(path, int(exit_code), error, pattern))
    return cases


CASES = _read_manifest()


def _located(message: str, path: str) -> bool:
    """Whether a message starts with the file (a folder's file) and a line, row or item."""
    return bool(
        re.match(rf"{re.escape(path)}(/[^\s:]+)?(:\d+( \(column [a-z_]+\))?)?: \S", message)
    )


def _run_cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _no_traceback(result: Result) -> None:
    text = result.output + (result.stderr or "")
    assert "Traceback" not in text, text
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )


# -- the manifest itself ---------------------------------------------------------------------


def test_manifest_has_enough_cases() -> None:
    assert len(CASES) >= 150
    assert len({c.path for c in CASES}) == len(CASES), "a path is listed twice"


def test_manifest_rows_are_consistent() -> None:
    for case in CASES:
        if case.error == "report":
            assert case.exit_code == 1, case
        else:
            cls = getattr(errors, case.error, None)
            assert isinstance(cls, type) and issubclass(cls, errors.ReviewGraphError), case
            assert case.exit_code == 2, case
        # every expected message pins its location: the file first
        assert case.pattern.startswith("^"), case
        assert case.pattern[1:].replace("\\", "").startswith(case.path), case
        re.compile(case.pattern)


def test_every_bad_file_is_in_the_manifest() -> None:
    listed = {c.path for c in CASES}
    for file in sorted(BAD.rglob("*")):
        if not file.is_file() or file == MANIFEST:
            continue
        relative = file.relative_to(BAD)
        covering = {relative.as_posix(), *(p.as_posix() for p in relative.parents)}
        assert covering & listed, f"{relative} is not covered by expected.tsv"
    for case in CASES:
        exists = (BAD / case.path).exists()
        assert exists or "no such file" in case.pattern, f"{case.path} does not exist"


# -- each case through the library and the CLI -----------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.path for c in CASES])
def test_library(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    if case.error == "report":
        loaded = read_dataset([case.path])
        report = validate_dataset(loaded, as_of=TODAY)
        assert not report.conforms, f"{case.path} validated without violations"
        messages = [str(v) for v in report.violations]
    else:
        with pytest.raises(errors.ReviewGraphError) as info:
            read_dataset([case.path])
        exc = info.value
        if isinstance(exc, errors.ValidationFailed):
            assert exc.problems, "ValidationFailed without problems"
            problems: list[Exception] = list(exc.problems)
            assert all(isinstance(p, errors.DataError) for p in problems)
        else:
            problems = [exc]
        kinds = sorted({type(p).__name__ for p in problems})
        messages = [str(p) for p in problems if type(p).__name__ == case.error]
        assert messages, f"{case.path}: expected {case.error}, got {kinds}: {exc}"
    for message in messages:
        assert "\n" not in message and "\r" not in message, message
    assert any(re.search(case.pattern, m) for m in messages), (
        f"{case.path}: no message matches {case.pattern!r}: {messages}"
    )


@pytest.mark.parametrize("case", CASES, ids=[c.path for c in CASES])
def test_cli(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    result = _run_cli("validate", case.path, "--as-of", AS_OF)
    _no_traceback(result)
    assert result.exit_code == case.exit_code, result.output
    if case.exit_code == 2:
        assert result.stdout == "", "no partial output when the input is invalid"
        lines = result.stderr.splitlines()
        assert lines
        for line in lines:
            assert line.startswith("Error: "), line
            assert _located(line.removeprefix("Error: "), case.path), line
        messages = [line.removeprefix("Error: ") for line in lines]
    else:
        assert result.stderr == ""
        messages = [
            line.strip().removeprefix("violation: ")
            for line in result.stdout.splitlines()
            if line.strip().startswith("violation: ")
        ]
        assert messages, result.stdout
        for message in messages:
            assert _located(message, case.path), message
    assert any(re.search(case.pattern, m) for m in messages), (
        f"{case.path}: no line matches {case.pattern!r}:\n{result.output}"
    )


# -- cases built at test time ----------------------------------------------------------------

_SMALL_YAML = """\
bodies:
  - id: dhsc
    name: Department of Health and Social Care
"""


def test_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(errors.InputError, match=r"^empty: the folder holds no YAML, CSV or RDF"):
        read_dataset(["empty"])
    result = _run_cli("validate", "empty", "--as-of", AS_OF)
    _no_traceback(result)
    assert result.exit_code == 2
    assert result.stderr == "Error: empty: the folder holds no YAML, CSV or RDF files\n"


def test_file_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.yaml"
    big.write_text(_SMALL_YAML + "# padding\n" * 200, encoding="utf-8")
    assert big.stat().st_size > 1_000
    monkeypatch.chdir(tmp_path)
    pattern = r"^big\.yaml: the file is [\d.]+ MB, over the 0\.001 MB input limit .*--max-input-mb"
    with pytest.raises(errors.InputTooLargeError, match=pattern):
        read_dataset(["big.yaml"], max_mb=0.001)
    result = _run_cli("validate", "big.yaml", "--max-input-mb", "0.001", "--as-of", AS_OF)
    _no_traceback(result)
    assert result.exit_code == 2
    assert re.match(pattern, result.stderr.removeprefix("Error: "))
    assert len(result.stderr.splitlines()) == 1
    # raising the limit lets the same file in
    assert len(read_dataset(["big.yaml"], max_mb=1).dataset) == 1
    assert _run_cli("stats", "big.yaml", "--max-input-mb", "1").exit_code == 0


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "locked.yaml"
    data.write_text(_SMALL_YAML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(errors.InputError, match=r"^locked\.yaml: cannot read the file: Permission"):
        read_dataset(["locked.yaml"])
    result = _run_cli("validate", "locked.yaml", "--as-of", AS_OF)
    _no_traceback(result)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: locked.yaml: cannot read the file")


def test_broken_symlink(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(errors.InputError, match=r"^gone\.yaml: no such file or folder"):
        read_dataset(["gone.yaml"])


def test_csv_cell_over_the_field_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "wide.csv").write_text(
        "review_id,rec_summary,rec_label\ndemo-2024," + "x" * 200_000 + ",1\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    with pytest.raises(errors.InputError, match=r"^wide\.csv:2: CSV syntax error: field larger"):
        read_dataset(["wide.csv"])


def test_latin1_loads_with_its_encoding(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    loaded = read_dataset(["csv/latin1.csv"], encoding="latin-1")
    assert loaded.dataset.get("demo-2024").title == "Revue de la santé"  # type: ignore[attr-defined]
    result = _run_cli("stats", "csv/latin1.csv", "--encoding", "latin-1")
    _no_traceback(result)
    assert result.exit_code == 0, result.output


def test_unknown_encoding(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    with pytest.raises(errors.InputError, match="not a known text encoding"):
        read_dataset(["csv/latin1.csv"], encoding="klingon")
    result = _run_cli("stats", "csv/latin1.csv", "--encoding", "klingon")
    _no_traceback(result)
    assert result.exit_code == 2
    assert "not a known text encoding" in result.stderr


def test_as_of_that_is_not_a_date() -> None:
    result = _run_cli("validate", str(GOOD / "bom.yaml"), "--as-of", "tomorrow")
    _no_traceback(result)
    assert result.exit_code == 2
    assert "'tomorrow' is not a date" in result.stderr


# -- inputs that look odd but are valid ------------------------------------------------------

GOOD_FILES = sorted(p.name for p in GOOD.iterdir() if p.is_file())


@pytest.mark.parametrize("name", GOOD_FILES)
def test_good_input_loads_and_validates(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(GOOD)
    loaded = read_dataset([name])
    assert len(loaded.dataset) > 0
    report = validate_dataset(loaded, as_of=TODAY)
    assert report.conforms, [str(v) for v in report.violations]
    result = _run_cli("validate", name, "--as-of", AS_OF)
    _no_traceback(result)
    assert result.exit_code == 0, result.output
    assert "Error" not in result.output


def test_byte_order_mark_is_not_part_of_the_first_column(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(GOOD)
    assert (GOOD / "bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    loaded = read_dataset(["bom.csv"])
    assert [r.id for r in loaded.dataset.reviews] == ["demo-committee-2024"]
    assert str(loaded.where("demo-committee-2024")) == "bom.csv:2 (column review_id)"


def test_due_dates_may_lie_in_the_future(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(GOOD)
    loaded = read_dataset(["future-due-date.yaml"])
    targets = [d.target for d in loaded.dataset.due_dates]
    assert targets and all(t.earliest > TODAY for t in targets)
    assert validate_dataset(loaded, as_of=TODAY).conforms
