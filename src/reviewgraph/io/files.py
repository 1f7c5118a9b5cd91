"""Load datasets from files and folders: YAML, CSV tracker tables, Turtle, N-Triples, JSON-LD.

:func:`read_dataset` reads every file, checks that identifiers are unique and that every
reference resolves, and returns a :class:`Loaded` dataset with a side table of where each
item was read from (file and line, or CSV row).  Nothing reaches the network: RDF is parsed
from local bytes only, and JSON-LD remote contexts are refused.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from reviewgraph.errors import (
    DataError,
    DuplicateIdError,
    InputError,
    InputTooLargeError,
    Location,
    UnknownReferenceError,
    ValidationFailed,
)
from reviewgraph.io.authoring import Collected, items_from_document
from reviewgraph.models import ITEM_TYPES, Dataset, Item, Node
from reviewgraph.vocab.namespaces import BASE_IRI

__all__ = [
    "DEFAULT_MAX_INPUT_MB",
    "INPUT_FORMATS",
    "RDF_FORMATS",
    "STDIN",
    "Loaded",
    "check_references",
    "display_name",
    "find_files",
    "read_dataset",
    "read_file",
    "references",
]

DEFAULT_MAX_INPUT_MB = 25.0
"""Files larger than this many megabytes are refused unless the caller raises the limit."""

RDF_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld"}
"""File endings read as RDF, with their rdflib parser names."""

_DATA_SUFFIXES = {".yaml", ".yml", ".csv", ".xlsx", *RDF_FORMATS}

STDIN = "-"
"""The path that stands for standard input (with an ``input_format``)."""

STDIN_NAME = "<stdin>"
"""How messages name standard input."""

INPUT_FORMATS = {"yaml": ".yaml", "csv": ".csv", "ttl": ".ttl", "nt": ".nt", "jsonld": ".jsonld"}
"""The formats standard input may be read as (``--input-format``), with their file endings."""


@dataclass
class Loaded:
    """A dataset with the place each item was read from."""

    dataset: Dataset
    locations: dict[str, Location] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    notes: tuple[DataError, ...] = ()
    """What the readers assumed (each said once, with a count); ``validate`` shows them."""

    def where(self, item_id: str) -> Location | None:
        """Return where the item (or, for a nested id, its nearest parent) was read from."""
        key = item_id
        while key:
            if key in self.locations:
                return self.locations[key]
            key = key.rpartition("/")[0]
        return None


def find_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders into the data files they hold, in a stable order.

    Raises
    ------
    InputError
        If a path does not exist, a file's ending is not a data format, or a folder holds
        no data files.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in _DATA_SUFFIXES
            )
            if not inside:
                raise InputError("the folder holds no YAML, CSV or RDF files", Location(str(path)))
            found.extend(inside)
        elif path.is_file():
            if path.suffix.lower() not in _DATA_SUFFIXES:
                raise InputError(
                    "not a data file "
                    "(expected .yaml, .yml, .csv, .xlsx, .ttl, .nt, .jsonld or .json)",
                    Location(str(path)),
                )
            found.append(path)
        else:
            raise InputError("no such file or folder", Location(str(path)))
    return found


def display_name(path: Path) -> str:
    """Name a file for messages: relative to the working folder, or ``seeds/...`` if bundled."""
    from reviewgraph.vocab.resources import seeds_path

    resolved = path.resolve()
    for root, prefix in ((seeds_path().resolve(), "seeds/"), (Path.cwd(), "")):
        try:
            return prefix + resolved.relative_to(root).as_posix()
        except ValueError:
            continue
    return str(path)


def _read_text(path: Path, max_mb: float, encoding: str = "utf-8") -> str:
    try:
        return _decode(path, max_mb, encoding)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(f"cannot read the file: {reason}", Location(display_name(path))) from None
    except LookupError:
        raise InputError(f"{encoding!r} is not a known text encoding") from None


def _decode(path: Path, max_mb: float, encoding: str) -> str:
    if not math.isfinite(max_mb) or max_mb <= 0:
        raise ValueError(f"max_mb must be a finite number above 0, not {max_mb!r}")
    size = path.stat().st_size
    if size > max_mb * 1_000_000:
        raise InputTooLargeError(
            f"the file is {size / 1_000_000:.3g} MB, over the {max_mb:g} MB input limit "
            "(raise it with --max-input-mb)",
            Location(display_name(path)),
        )
    return _decode_bytes(path.read_bytes(), display_name(path), encoding)


def _decode_bytes(raw: bytes, name: str, encoding: str) -> str:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"the file is not valid {encoding} (byte 0x{raw[exc.start]:02x}); "
            "re-save it as UTF-8 or pass --encoding",
            Location(name, line),
        ) from None
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError(
            "the file holds NUL bytes, so it is not a text file (UTF-16 or binary?); "
            "re-save it as UTF-8 or pass --encoding",
            Location(name, line),
        )
    if not text.strip():
        raise InputError("the file is empty", Location(name))
    return text


def read_file(
    path: Path,
    collected: Collected,
    *,
    max_mb: float = DEFAULT_MAX_INPUT_MB,
    base: str = BASE_IRI,
    encoding: str = "utf-8",
    columns: dict[str, str] | None = None,
) -> None:
    """Read one data file into ``collected`` (problems are collected, not raised).

    ``columns`` renames a CSV file's header cells onto the tracker table's columns.
    """
    name = display_name(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from reviewgraph.io.workbook import read_workbook

        size = path.stat().st_size
        if size > max_mb * 1_000_000:
            raise InputTooLargeError(
                f"the file is {size / 1_000_000:.3g} MB, over the {max_mb:g} MB input limit "
                "(raise it with --max-input-mb)",
                Location(name),
            )
        read_workbook(path, name, collected)
        return
    _read_text_as(_read_text(path, max_mb, encoding), path, name, suffix, collected, base, columns)


def _read_text_as(
    text: str,
    path: Path,
    name: str,
    suffix: str,
    collected: Collected,
    base: str,
    columns: dict[str, str] | None,
) -> None:
    """Read the text of a data file (or of standard input) by its ending."""
    if suffix in (".yaml", ".yml"):
        from reviewgraph.io.yamldoc import parse_yaml

        doc = parse_yaml(text, name)
        if doc is None:
            raise InputError("the file holds no data", Location(name))
        items_from_document(doc, name, collected)
    elif suffix == ".csv":
        from reviewgraph.io.workbook import is_sheet_csv, read_csv_sheet

        if is_sheet_csv(path, text):  # one sheet of a workbook folder (due_dates.csv)
            read_csv_sheet(path, text, name, collected)
            return
        from reviewgraph.io.tracker import read_tracker_rows

        read_tracker_rows(text, name, collected, columns)
    else:
        from reviewgraph.io.rdffiles import parse_rdf

        dataset = parse_rdf(text, RDF_FORMATS[suffix], name, base)
        for collection in ITEM_TYPES:
            for item in getattr(dataset, collection):
                collected.record(collection, item, Location(name))
        collected.extra.extend(dataset.extra_triples)


def references(node: Node) -> Iterable[tuple[str, str]]:
    """Every ``(field, identifier)`` a model (or its record) refers to, nested nodes included.

    Examples
    --------
    >>> from reviewgraph.models import Link
    >>> sorted(references(Link(id="l", type="repeats", **{"from": "b/1"}, to="a/1")))
    [('from', 'b/1'), ('to', 'a/1')]
    """
    from reviewgraph.rdf.records import kind_of

    for name, label, many, nested in _reference_fields(kind_of(node)):
        value = getattr(node, name)
        if value is None:
            continue
        values = value if many else (value,)
        if nested:
            for v in values:
                yield from references(v)
        else:
            for v in values:
                yield label, v


@cache
def _reference_fields(model: type[Node]) -> tuple[tuple[str, str, bool, bool], ...]:
    """The fields of a model that refer to items, or hold nodes that may: ``(name, label,
    many, nested)``, from the field table (worked out once per model: checking a big file
    asks for each of its items)."""
    from reviewgraph.rdf.mapping import field_specs

    out = []
    for spec in field_specs(model):
        nested = isinstance(spec.target, type) and issubclass(spec.target, Node)
        if spec.kind == "ref" or nested:
            out.append((spec.name, spec.name.rstrip("_"), spec.many, spec.kind != "ref"))
    return tuple(out)


def _label(item: Item) -> str:
    from reviewgraph.io.authoring import noun_of

    return f"{noun_of(item)} {item.id}"


def check_references(
    items: Sequence[Item],
    locations: dict[str, Location],
    occurrences: dict[str, list[Location]] | None = None,
    failed: dict[str, Location] | None = None,
) -> list[DataError]:
    """Return a problem for every duplicate identifier and every reference to a missing one.

    ``occurrences`` (every place each id was defined, in reading order) lets a duplicate be
    reported where it was written again, naming where it was first defined.  ``failed``
    (ids of items that could not be made, with where) turns the references to each of them
    into one message, "because X is invalid", rather than one per referrer.
    """
    problems: list[DataError] = []
    seen: dict[str, Item] = {}
    repeats: dict[str, int] = {}
    for item in items:
        if item.id in seen:
            repeats[item.id] = n = repeats.get(item.id, 0) + 1
            places = (occurrences or {}).get(item.id, [])
            first = places[0] if places else locations.get(item.id)
            here = places[n] if n < len(places) else first
            said = f"the id is already used at {first}" if first else "the id is used twice"
            if first and first.file.startswith("seeds/") and here and here.file != first.file:
                said += (
                    f" (the bundled seeds use it: give your item an id of its own, with a "
                    f"prefix such as 'my-{item.id}')"
                )
            problems.append(DuplicateIdError(said, here, item=_label(item)))
        seen.setdefault(item.id, item)
    because: dict[str, list[Item]] = {}
    for item in items:
        for name, ref in references(item):
            if ref in seen:
                continue
            if failed is not None and ref in failed:
                because.setdefault(ref, []).append(item)
                continue
            problems.append(
                UnknownReferenceError(
                    f"{name} refers to {ref!r}, which no loaded file defines{_hint(ref, seen)}",
                    locations.get(item.id),
                    item=_label(item),
                )
            )
    for ref, referrers in because.items():
        head = referrers[0]
        others = f" and {len(referrers) - 1} more item(s)" if len(referrers) > 1 else ""
        problems.append(
            UnknownReferenceError(
                f"refers to {ref!r}{others}, which is not loaded because {ref} is invalid "
                f"(see {failed[ref] if failed else ''})",
                locations.get(head.id),
                item=_label(head),
            )
        )
    return problems


def _hint(ref: str, seen: dict[str, Item]) -> str:
    """A "did you mean" for an unknown id: the closest known ids (rapidfuzz)."""
    from reviewgraph.io.names import did_you_mean

    return did_you_mean(ref, seen)


def _drop_placeholders(collected: Collected) -> None:
    """Keep one body per id: a real definition beats bodies minted from CSV cells."""
    real = {b.id for b in collected.items["bodies"]}
    for body_id, body in collected.placeholders.items():
        if body_id not in real:
            collected.items["bodies"].append(body)


def read_dataset(
    paths: Iterable[str | Path] = (),
    *,
    max_mb: float = DEFAULT_MAX_INPUT_MB,
    base: str = BASE_IRI,
    encoding: str = "utf-8",
    progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
    columns: dict[str, str] | None = None,
    input_format: str | None = None,
    stdin: BinaryIO | None = None,
    with_seeds: bool = False,
) -> Loaded:
    """Read files and folders into one checked dataset.

    Parameters
    ----------
    paths : iterable of str or Path
        Files and folders; with none, the bundled seed dataset.
    max_mb : float
        Refuse any file larger than this many megabytes.
    base : str
        The IRI base for identifiers (for RDF input).
    encoding : str
        The text encoding of the files.
    progress : callable, optional
        Wraps the list of files as they are read (e.g. a progress bar); it must yield each
        file it is given.
    columns : dict, optional
        Renames CSV header cells onto the tracker table's columns (``{"Rec no": "rec_label"}``).
    input_format : str, optional
        The format of standard input, given as the path ``-``: one of :data:`INPUT_FORMATS`.
    stdin : binary file, optional
        What ``-`` reads (default: the process's standard input).
    with_seeds : bool
        Read the bundled seeds too, so that the files can refer to their items (a tracker's
        recommendation linking to Francis); an id the seeds already use is an error that
        suggests a prefix.

    Returns
    -------
    Loaded

    Raises
    ------
    InputError
        If a file cannot be read or parsed.
    ValidationFailed
        If items break the model, an id is used twice or a reference does not resolve;
        ``problems`` lists each one with its file and line.

    Examples
    --------
    >>> loaded = read_dataset()
    >>> len(loaded.dataset.reviews) > 5
    True
    """
    from reviewgraph.vocab.resources import seeds_path

    paths = list(paths)
    piped = [p for p in paths if str(p) == STDIN]
    paths = [p for p in paths if str(p) != STDIN]
    if len(piped) > 1:
        raise InputError("standard input (-) can be read only once")
    if piped and input_format is None:
        formats = ", ".join(INPUT_FORMATS)
        raise InputError(f"reading standard input (-) needs --input-format ({formats})")
    if input_format is not None and input_format not in INPUT_FORMATS:
        formats = ", ".join(INPUT_FORMATS)
        raise InputError(f"--input-format {input_format!r} is not one of {formats}")
    if (not paths and not piped) or with_seeds:
        paths = [seeds_path(), *paths]
    # CSV last, so that the names in its cells resolve through the bodies read before
    files = sorted(find_files(paths), key=lambda f: f.suffix.lower() == ".csv")
    collected = Collected()
    if piped and input_format != "csv":
        _read_stdin(stdin, input_format or "", collected, max_mb, base, encoding, columns)
    for path in progress(files) if progress else files:
        read_file(path, collected, max_mb=max_mb, base=base, encoding=encoding, columns=columns)
    if piped and input_format == "csv":
        _read_stdin(stdin, input_format, collected, max_mb, base, encoding, columns)
    _drop_placeholders(collected)
    from reviewgraph.io.names import derive_roles

    derive_roles(collected)
    items = [item for name in ITEM_TYPES for item in collected.items[name]]
    problems = collected.problems + check_references(
        items, collected.locations, collected.occurrences, collected.failed
    )
    if problems:
        raise ValidationFailed(sorted(problems, key=_in_row_order))
    dataset = _checked_dataset(collected)
    names = tuple(display_name(f) for f in files) + ((STDIN_NAME,) if piped else ())
    return Loaded(dataset, collected.locations, names, tuple(collected.notes))


def _read_stdin(
    stdin: BinaryIO | None,
    input_format: str,
    collected: Collected,
    max_mb: float,
    base: str,
    encoding: str,
    columns: dict[str, str] | None,
) -> None:
    """Read standard input as a file of ``input_format``, within the size limit."""
    import sys

    stream = stdin if stdin is not None else sys.stdin.buffer
    limit = int(max_mb * 1_000_000)
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise InputTooLargeError(
            f"standard input is over the {max_mb:g} MB input limit (raise it with --max-input-mb)",
            Location(STDIN_NAME),
        )
    text = _decode_bytes(raw, STDIN_NAME, encoding)
    suffix = INPUT_FORMATS[input_format]
    _read_text_as(text, Path("stdin" + suffix), STDIN_NAME, suffix, collected, base, columns)


def _checked_dataset(collected: Collected) -> Dataset:
    """The dataset of checked items: what ``Dataset(...)`` makes, without validating every
    item a second time.  Each item is a validated model, and no id is used twice (checked
    before), so each collection in its canonical order is the items sorted by id."""
    from operator import attrgetter

    by_id = attrgetter("id")
    fields: dict[str, Any] = {
        name: tuple(sorted(items, key=by_id)) for name, items in collected.items.items()
    }
    fields["extra_triples"] = tuple(sorted(set(collected.extra)))
    fields["language"] = collected.language
    return Dataset.model_construct(**fields)


def _in_row_order(problem: DataError) -> tuple[str, int]:
    """Sort messages by file, then by line or row as a number (row 4 before row 10)."""
    where = problem.location
    return (where.file, where.line or 0) if where else ("", 0)
