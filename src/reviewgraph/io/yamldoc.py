"""Read the YAML authoring format safely, keeping line numbers.

The reader never lets YAML guess types: every scalar stays text (so ``1.10`` stays ``1.10``
and ``no`` stays ``no``) and pydantic parses it where a number, date or flag is expected.
Unquoted ``null``, ``~`` and empty values mean "not given".  Duplicate keys are refused,
alias expansion and nesting depth are capped, and every mapping remembers its line.
"""

from __future__ import annotations

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


class _Converter:
    def __init__(self, file: str) -> None:
        self.file = file
        self.count = 0

    def fail(self, message: str, node: yaml.Node) -> InputError:
        return InputError(message, Location(self.file, node.start_mark.line + 1))

    def convert(self, node: yaml.Node, depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(
                f"the document expands to more than {MAX_NODES:,} values (an alias bomb?)", node
            )
        if depth > MAX_DEPTH:
            raise self.fail(f"nesting is deeper than {MAX_DEPTH} levels", node)
        if isinstance(node, yaml.ScalarNode):
            if node.style is None and node.value in _NULLS:
                return None
            return node.value
        if isinstance(node, yaml.SequenceNode):
            out = LocList(self.convert(child, depth + 1) for child in node.value)
            out.line = node.start_mark.line + 1
            out.item_lines = [child.start_mark.line + 1 for child in node.value]
            return out
        if isinstance(node, yaml.MappingNode):
            result = LocDict()
            result.line = node.start_mark.line + 1
            result.key_lines = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.fail("a key must be plain text", key_node)
                key = key_node.value
                if key == "<<":
                    raise self.fail("merge keys (<<) are not supported", key_node)
                if key in result:
                    raise self.fail(
                        f"duplicate key {key!r} (first on line {result.key_lines[key]})", key_node
                    )
                result[key] = self.convert(value_node, depth + 1)
                result.key_lines[key] = key_node.start_mark.line + 1
            return result
        raise self.fail("unsupported YAML node", node)  # pragma: no cover


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
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.BaseLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.problem == "second occurrence" and exc.context and exc.context_mark:
            problem = f"{exc.context} on line {exc.context_mark.line + 1}"
        raise InputError(f"YAML syntax error: {problem}", Location(file, line)) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        char = exc.character
        shown = f"U+{char:04X}" if isinstance(char, int) else repr(char)
        raise InputError(
            f"YAML error: the character {shown} is not allowed ({exc.reason})",
            Location(file, line),
        ) from None
    except yaml.YAMLError as exc:
        message = " ".join(str(exc).split())
        raise InputError(f"YAML error: {message}", Location(file)) from None
    except (RecursionError, MemoryError):
        raise InputError("nesting is too deep to read", Location(file, _deep_line(text))) from None
    documents = [d for d in documents if d is not None]
    if not documents:
        return None
    if len(documents) > 1:
        second = documents[1].start_mark.line + 1
        raise InputError(
            f"a file may hold only one YAML document (another starts on line {second})",
            Location(file, second),
        )
    try:
        return _Converter(file).convert(documents[0])
    except (RecursionError, MemoryError):
        raise InputError("nesting is too deep to read", Location(file, _deep_line(text))) from None


def _deep_line(text: str) -> int | None:
    """Return the line where nesting first goes deeper than :data:`MAX_DEPTH` (events only)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.BaseLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH and event.start_mark is not None:
                    return int(event.start_mark.line) + 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except (yaml.YAMLError, RecursionError, MemoryError):
        return None
    return None
