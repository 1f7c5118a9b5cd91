"""Read the YAML authoring format safely, keeping line numbers.

The reader never lets YAML guess types: every scalar stays text (so ``1.10`` stays ``1.10``
and ``no`` stays ``no``) and pydantic parses it where a number, date or flag is expected.
Unquoted ``null``, ``~`` and empty values mean "not given".  Duplicate keys are refused,
alias expansion and nesting depth are capped, and every mapping remembers its line.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import yaml

from reviewgraph.errors import InputError, Location

__all__ = ["MAX_DEPTH", "MAX_NODES", "LocDict", "LocList", "parse_yaml"]

MAX_DEPTH = 64
"""The deepest nesting of mappings and lists accepted."""
MAX_NODES = 1_000_000
"""The most values a document may expand to (guards against alias bombs)."""

_NULLS = {"", "~", "null", "Null", "NULL"}


class LocDict(dict[str, Any]):
    """A mapping read from YAML, with the line it starts on and the line of each key."""

    line: int
    key_lines: dict[str, int]


class LocList(list[Any]):
    """A list read from YAML, with the line it starts on and the line of each entry."""

    line: int
    item_lines: list[int]


class _Builder:
    """Build the document from the parser's events, counting values as it goes.

    Reading events and building the values straight from them, rather than composing a node
    tree first, lets an over-large document be refused at the value past the cap, and
    libyaml's parser (PyYAML's C binding) reads 19 MB in about 2 s where the pure-Python
    composer took about 45 s.  Aliases are expanded as copies and counted in full.
    """

    def __init__(self, file: str, events: Iterator[yaml.Event]) -> None:
        self.file = file
        self.events = events
        self.count = 0
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # value, values in it, line

    def fail(self, message: str, event: yaml.Event) -> InputError:
        return InputError(message, Location(self.file, _line(event)))

    def document(self) -> Any:
        """The one document of the stream (``None`` for an empty stream)."""
        found: Any = None
        documents = 0
        for event in self.events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                first = next(self.events)  # where the document's content starts
                if documents > 1:
                    raise InputError(
                        "a file may hold only one YAML document (another starts on line "
                        f"{_line(first)})",
                        Location(self.file, _line(first)),
                    )
                found = self.value(first, 0)
        return found

    def _counted(self, event: yaml.Event, amount: int = 1) -> None:
        self.count += amount
        if self.count > MAX_NODES:
            raise self.fail(
                f"the document expands to more than {MAX_NODES:,} values (an alias bomb?)", event
            )

    def value(self, event: yaml.Event, depth: int) -> Any:
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                raise self.fail(f"YAML syntax error: found undefined alias {event.anchor!r}", event)
            anchored, size, _ = self.anchors[event.anchor]
            self._counted(event, size)
            return copy.deepcopy(anchored)
        self._counted(event)
        if depth > MAX_DEPTH:
            raise self.fail(f"nesting is deeper than {MAX_DEPTH} levels", event)
        before = self.count
        if isinstance(event, yaml.ScalarEvent):
            out: Any = None if not event.style and event.value in _NULLS else event.value
        elif isinstance(event, yaml.SequenceStartEvent):
            out = self.sequence(event, depth)
        elif isinstance(event, yaml.MappingStartEvent):
            out = self.mapping(event, depth)
        else:  # pragma: no cover - the parser gives nothing else in a document
            raise self.fail("unsupported YAML node", event)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            if anchor in self.anchors:
                first = self.anchors[anchor][2]
                raise self.fail(
                    f"YAML syntax error: found duplicate anchor {anchor!r}; first occurrence "
                    f"on line {first}",
                    event,
                )
            self.anchors[anchor] = (out, self.count - before + 1, _line(event))
        return out

    def sequence(self, start: yaml.Event, depth: int) -> LocList:
        out = LocList()
        out.line = _line(start)
        out.item_lines = []
        for event in self.events:
            if isinstance(event, yaml.SequenceEndEvent):
                return out
            out.item_lines.append(_line(event))
            out.append(self.value(event, depth + 1))
        raise self.fail("YAML syntax error: the list is not closed", start)  # pragma: no cover

    def mapping(self, start: yaml.Event, depth: int) -> LocDict:
        result = LocDict()
        result.line = _line(start)
        result.key_lines = {}
        for event in self.events:
            if isinstance(event, yaml.MappingEndEvent):
                return result
            key = self._key(event)
            if key == "<<":
                raise self.fail("merge keys (<<) are not supported", event)
            if key in result:
                raise self.fail(
                    f"duplicate key {key!r} (first on line {result.key_lines[key]})", event
                )
            result[key] = self.value(next(self.events), depth + 1)
            result.key_lines[key] = _line(event)
        raise self.fail("YAML syntax error: the mapping is not closed", start)  # pragma: no cover

    def _key(self, event: yaml.Event) -> str:
        if isinstance(event, yaml.ScalarEvent):  # keys are not counted as values
            return str(event.value)
        if isinstance(event, yaml.AliasEvent) and event.anchor in self.anchors:
            anchored = self.anchors[event.anchor][0]
            if isinstance(anchored, str):
                return anchored
        raise self.fail("a key must be plain text", event)


def _line(event: yaml.Event) -> int:
    return int(event.start_mark.line) + 1 if event.start_mark is not None else 0


_CParser = getattr(yaml, "CBaseLoader", None)


class _ParserRefusalError(Exception):
    """What the YAML parser itself refused (not the builder's rules), as its one-line error."""

    def __init__(self, error: InputError) -> None:
        super().__init__(str(error))
        self.error = error


def _build(text: str, file: str, loader: Any) -> Any:
    """Build the document from ``loader``'s events (the parser's errors as one line)."""
    try:
        return _Builder(file, iter(yaml.parse(text, Loader=loader))).document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        error = InputError(f"YAML syntax error: {problem}", Location(file, line))
    except yaml.YAMLError as exc:
        error = InputError(f"YAML error: {' '.join(str(exc).split())}", Location(file))
    raise _ParserRefusalError(error)


def parse_yaml(text: str, file: str = "<string>") -> Any:
    """Parse one YAML document into dicts, lists, text and ``None``, keeping line numbers.

    Parameters
    ----------
    text : str
        The document.
    file : str
        The file name used in error messages.

    Returns
    -------
    LocDict, LocList, str or None

    Raises
    ------
    InputError
        On a syntax error, a duplicate key, more than one document, too deep nesting or
        an alias bomb; the message names the file and line.

    Examples
    --------
    >>> doc = parse_yaml("label: 1.10\\nflag: no\\nnothing: ~\\n")
    >>> doc
    {'label': '1.10', 'flag': 'no', 'nothing': None}
    >>> doc.key_lines["flag"]
    2
    """
    bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if bad is not None:
        char = ord(bad.group())
        raise InputError(
            f"YAML error: the character U+{char:04X} is not allowed (special characters are "
            "not allowed)",
            Location(file, text.count("\n", 0, bad.start()) + 1),
        )
    if _CParser is not None:
        try:
            return _build(text, file, _CParser)
        except _ParserRefusalError:
            pass  # libyaml's words for a syntax error are terser than PyYAML's: read again,
            # in Python, to say what is wrong as PyYAML says it (or accept what only libyaml
            # refused)
    try:
        return _build(text, file, yaml.BaseLoader)
    except _ParserRefusalError as failure:
        raise failure.error from None
