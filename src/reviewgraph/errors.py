"""The reviewgraph error tree.

Every failure the library reports on purpose is a :class:`ReviewGraphError`, so callers
(and the command line) can catch one type.  Each subclass says *when* it is raised and
carries structured attributes; the message is built in ``__str__`` so that it reads as
one line naming the file and line (or row), or the identifier at fault.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "EXIT_CODES",
    "BindingError",
    "DataError",
    "DuplicateIdError",
    "EndpointError",
    "GraphExistsError",
    "InputError",
    "InputTooLargeError",
    "Location",
    "OutputError",
    "QueryError",
    "QueryRefused",
    "ReviewGraphError",
    "StoreEnvironmentError",
    "StoreError",
    "StoreLockedError",
    "StoreNotFoundError",
    "UnknownReferenceError",
    "ValidationFailed",
    "exit_code",
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


class OutputError(ReviewGraphError, OSError):
    """Raised when an output file cannot be written (a missing or read-only folder, a full
    disk); nothing is left behind.

    Examples
    --------
    >>> str(OutputError("out/x.ttl", "the disk is full"))
    'out/x.ttl: cannot write: the disk is full'
    """

    def __init__(self, path: str, reason: str, *, environment: bool = False) -> None:
        super().__init__(f"{path}: cannot write: {reason}")
        self.path = path
        self.reason = reason
        self.environment = environment
        """Whether the cause lies in the machine (a full disk), not in the path given."""

    def __str__(self) -> str:
        return f"{self.path}: cannot write: {self.reason}"


class ValidationFailed(ReviewGraphError):  # noqa: N818 (reads better at the call site)
    """Raised when a dataset has several problems at once; ``problems`` holds each one."""

    def __init__(self, problems: list[DataError]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems

    def __str__(self) -> str:
        first = str(self.problems[0]) if self.problems else ""
        more = len(self.problems) - 1
        return first + (f" (and {more} more problem(s))" if more > 0 else "")


# --------------------------------------------------------------------------- stores


class StoreError(ReviewGraphError):
    """Raised when a store cannot be used as asked: a bad store name, a store opened
    read-only being written, a file loaded twice without ``replace``."""


class StoreNotFoundError(StoreError, LookupError):
    """Raised when a read-only store is opened at a path that holds no store."""


class GraphExistsError(StoreError):
    """Raised when a file is loaded again without ``replace=True``."""

    def __init__(self, file: str, graph: str) -> None:
        super().__init__(file, graph)
        self.file, self.graph = file, graph

    def __str__(self) -> str:
        return (
            f"{self.file}: already loaded (graph <{self.graph}>); "
            "pass --replace to replace its triples"
        )


class BindingError(StoreError, TypeError):
    """Raised when a query binding is not an RDF term or a date, or its name is not a
    SPARQL variable name."""


class StoreEnvironmentError(StoreError):
    """Raised when the environment stops a store from working: a lock held by another
    process, an endpoint that does not answer.  The command line exits with code 3."""


class StoreLockedError(StoreEnvironmentError):
    """Raised when a store is locked by another process (a second writer)."""

    def __init__(
        self,
        path: str,
        holder: str = "",
        advice: str = "wait for its load to finish, then try again",
    ) -> None:
        super().__init__(path, holder)
        self.path, self.holder, self.advice = path, holder, advice

    def __str__(self) -> str:
        who = f" ({self.holder})" if self.holder else ""
        return f"the store at {self.path} is locked by another process{who}: {self.advice}"


class EndpointError(StoreEnvironmentError):
    """Raised when a SPARQL endpoint does not answer, refuses the credentials or fails."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(url, reason)
        self.url, self.reason = url, reason

    def __str__(self) -> str:
        return f"the SPARQL endpoint {self.url} {self.reason}"


# --------------------------------------------------------------------------- queries


class QueryError(ReviewGraphError, ValueError):
    """Raised for a query file that breaks the contract, or parameters that do not fit it."""


class QueryRefused(QueryError):  # noqa: N818 (reads as what happened)
    """Raised for an update, a ``SERVICE`` call not allowed, a syntax error or a bad parameter."""


# --------------------------------------------------------------------------- exit codes

EXIT_CODES: tuple[tuple[type[BaseException], int], ...] = (
    (StoreEnvironmentError, 3),
    (ValidationFailed, 2),
    (InputError, 2),
    (QueryError, 2),
    (ReviewGraphError, 2),
)
"""The command line's exit code for each kind of error, the first match winning (0 is
success and 1 is ``validate``'s violations, neither an error)."""


def exit_code(error: BaseException) -> int:
    """The exit code the command line gives an error (see :data:`EXIT_CODES`).

    Examples
    --------
    >>> exit_code(StoreLockedError("/tmp/x")), exit_code(InputError("bad"))
    (3, 2)
    """
    if isinstance(error, OutputError) and error.environment:
        return 3  # a full disk: the machine's fault, not the path's
    for kind, code in EXIT_CODES:
        if isinstance(error, kind):
            return code
    return 1
