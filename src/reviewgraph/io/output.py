"""Write an output file: the one function every writer of reviewgraph goes through.

:func:`write_output` decides how by what the path names:

- ``-``: standard output, as bytes;
- a symbolic link: the file it points to (the link itself stays);
- a device, a FIFO or a socket (``-o /dev/null``): written directly, never replaced;
- a regular file, or a new one: written to a temporary file in the same folder, flushed to
  disk and renamed into place, so a failure leaves no partial file and never truncates the
  old one.  A file that is replaced keeps its mode; a new file gets ``0666`` less the umask,
  as any program's output would.

Every failure (a missing or read-only folder, a full disk) is an :class:`OutputError` with
a one-line message naming the path.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO

from reviewgraph.errors import OutputError

__all__ = ["STDOUT", "current_umask", "write_output"]

STDOUT = "-"
"""The path that means standard output."""


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows.

    Examples
    --------
    >>> 0 <= current_umask() <= 0o777
    True
    """
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere: set and restore (not thread-safe, but brief)
    os.umask(mask)
    return mask


_ENVIRONMENT = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is exceeded"}


def _failure(shown: str, exc: OSError) -> OutputError:
    if exc.errno in _ENVIRONMENT:
        return OutputError(shown, _ENVIRONMENT[exc.errno], environment=True)
    if exc.errno == errno.EIO:
        return OutputError(shown, exc.strerror or "input/output error", environment=True)
    return OutputError(shown, exc.strerror or str(exc))


def write_output(path: str | Path, data: bytes, *, stdout: BinaryIO | None = None) -> None:
    """Write ``data`` to ``path`` (see the module's description of each kind of path).

    Parameters
    ----------
    path : str or Path
        The file to write, or ``-`` for standard output.
    data : bytes
        The whole content.
    stdout : binary file, optional
        Where ``-`` writes (default: ``sys.stdout.buffer``).

    Raises
    ------
    OutputError
        If the file cannot be written; nothing is left behind.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> write_output(target, b"hello")
    >>> target.read_bytes()
    b'hello'
    >>> try:
    ...     write_output(target.parent / "missing" / "out.txt", b"x")
    ... except OutputError as exc:
    ...     print(exc.reason.replace(str(target.parent), "TMP"))
    the folder TMP/missing does not exist
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"write_output takes bytes, not {type(data).__name__}")
    shown = str(path)
    if shown == STDOUT:
        _write_stdout(data, stdout)
        return
    target = Path(os.path.realpath(path))  # through every symbolic link to its target
    try:
        info: os.stat_result | None = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _failure(shown, exc) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(shown, "it is a folder")
    if info is not None and not stat.S_ISREG(info.st_mode):
        _write_direct(shown, target, data)
        return
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(shown, f"the folder {folder_name(path)} does not exist")
    mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~current_umask()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _failure(shown, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _failure(shown, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def folder_name(path: str | Path) -> str:
    """The folder part of ``path`` as the user wrote it (``.`` for a bare name).

    Examples
    --------
    >>> folder_name("out/x.ttl"), folder_name("x.ttl")
    ('out', '.')
    """
    return str(Path(path).parent)


def _write_direct(shown: str, target: Path, data: bytes) -> None:
    """A device, FIFO or socket: open it for writing and write; it is never replaced."""
    try:
        fd = os.open(target, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise _failure(shown, exc) from None
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    except OSError as exc:
        raise _failure(shown, exc) from None
    finally:
        os.close(fd)


def _write_stdout(data: bytes, stdout: BinaryIO | None) -> None:
    stream = stdout if stdout is not None else getattr(sys.stdout, "buffer", None)
    try:
        if stream is None:  # a text-only stdout (as in some test runners)
            sys.stdout.write(bytes(data).decode("utf-8"))
            sys.stdout.flush()
        else:
            stream.write(data)
            stream.flush()
    except BrokenPipeError:
        raise OutputError(STDOUT, "standard output was closed") from None
    except OSError as exc:
        raise _failure(STDOUT, exc) from None
