"""The reviewgraph error tree.

Every failure the library reports on purpose is a :class:`ReviewGraphError`, so callers
(and the command line) can catch one type.  Each subclass says *when* it is raised and
carries structured attributes; the message is built in ``__str__`` so that it reads as
one line naming the file and line (or row), or the identifier at fault.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DataError",
    "DuplicateIdError",
    "InputError",
    "InputTooLargeError",
    "Location",
    "ReviewGraphError",
    "UnknownReferenceError",
    "ValidationFailed",
]


@dataclass(frozen=True, order=True)
class Location:
    """Where a node was read from: a file and a line, or a CSV row and column.

    Examples
    --------
    >>> str(Location("seeds/kark-2019.yaml", 41))
    'seeds/kark-2019.yaml:41'
    >>> str(Location("tracker.csv", 3, column="stance"))
    'tracker.csv:3 (column stance)'
    """

    file: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        text = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.column:
            text += f" (column {self.column})"
        return text


class ReviewGraphError(Exception):
    """Base class of every error reviewgraph raises on purpose."""


class InputError(ReviewGraphError, ValueError):
    """Raised when a file cannot be read or parsed (syntax, encoding, size, emptiness)."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class InputTooLargeError(InputError):
    """Raised when an input file is larger than the configured limit."""


class DataError(InputError):
    """Raised when parsed data breaks the model (a wrong type, value or missing field)."""

    def __init__(
        self, message: str, location: Location | None = None, item: str | None = None
    ) -> None:
        super().__init__(message, location)
        self.item = item

    def __str__(self) -> str:
        text = f"{self.item}: {self.message}" if self.item else self.message
        return f"{self.location}: {text}" if self.location else text


class DuplicateIdError(DataError):
    """Raised when two items in one dataset share an identifier."""


class UnknownReferenceError(DataError, LookupError):
    """Raised when an item refers to an identifier that no loaded file defines."""


class ValidationFailed(ReviewGraphError):  # noqa: N818 (reads better at the call site)
    """Raised when a dataset has several problems at once; ``problems`` holds each one."""

    def __init__(self, problems: list[DataError]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems

    def __str__(self) -> str:
        first = str(self.problems[0]) if self.problems else ""
        more = len(self.problems) - 1
        return first + (f" (and {more} more problem(s))" if more > 0 else "")
