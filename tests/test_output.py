"""Writing output files (issue 18, items 4, 6 and 11): one function, every kind of path.

The rules, from the issue: a regular file is replaced atomically and keeps its mode; a new
file follows the umask; a symbolic link is written through to its target; a device or a FIFO
is written directly and never replaced; ``-`` is standard output; a missing or read-only
folder, or a full disk, is a one-line error with nothing left behind.
"""

from __future__ import annotations

import errno
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reviewgraph.cli import main
from reviewgraph.errors import OutputError
from reviewgraph.io import output
from reviewgraph.io.output import write_output

SMALL = "bodies:\n  - id: dhsc\n    name: Department of Health and Social Care\n"


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def _export(small: Path, target: str, *extra: str) -> Result:
    return CliRunner().invoke(main, ["export", str(small), "--format", "nt", "-o", target, *extra])


def _one_error_line(result: Result) -> str:
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_new_file_follows_the_umask(tmp_path: Path, umask: None) -> None:
    write_output(tmp_path / "a.txt", b"a")
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o644
    os.umask(0o027)
    write_output(tmp_path / "b.txt", b"b")
    assert stat.S_IMODE((tmp_path / "b.txt").stat().st_mode) == 0o640


def test_replaced_file_keeps_its_mode(tmp_path: Path, umask: None) -> None:
    target = tmp_path / "keep.txt"
    target.write_bytes(b"old")
    target.chmod(0o664)
    write_output(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o664


def test_cli_export_over_a_0644_file_keeps_0644(small: Path, tmp_path: Path, umask: None) -> None:
    target = tmp_path / "out.nt"
    target.write_bytes(b"old")
    target.chmod(0o644)
    assert _export(small, str(target)).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert b"dhsc" in target.read_bytes()


def test_symlink_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_bytes(b"old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_output(link, b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "real.txt"]


def test_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "later.txt")
    write_output(link, b"x")
    assert link.is_symlink() and (tmp_path / "later.txt").read_bytes() == b"x"


def test_fifo_is_written_directly(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as handle:
            received.append(handle.read())

    reader = threading.Thread(target=read)
    reader.start()
    write_output(fifo, b"through the pipe")
    reader.join(timeout=30)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="mknod needs root")
def test_character_device_is_not_replaced(small: Path, tmp_path: Path) -> None:
    # a private copy of /dev/null (major 1, minor 3): the system's own is never at risk
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    result = _export(small, str(null))
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(null.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null", "small.yaml"]


def test_dev_null_stays_a_device(small: Path) -> None:
    before = os.stat("/dev/null")
    assert _export(small, "/dev/null").exit_code == 0
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_dash_is_standard_output(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _export(small, "-")
    assert result.exit_code == 0, result.output
    assert "<https://w3id.org/reviewgraph/id/dhsc>" in result.stdout
    assert not (tmp_path / "-").exists()


def test_missing_folder_is_one_line(small: Path, tmp_path: Path) -> None:
    result = _export(small, str(tmp_path / "nowhere" / "out.nt"))
    assert result.exit_code == 2
    line = _one_error_line(result)
    folder = tmp_path / "nowhere"
    assert line == f"Error: {folder}/out.nt: cannot write: the folder {folder} does not exist"


def test_report_into_missing_folder_is_one_line(small: Path, tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "r.html"
    result = CliRunner().invoke(main, ["report", str(small), "-o", str(target)])
    assert result.exit_code == 2
    assert "cannot write: the folder" in _one_error_line(result)


def test_output_is_a_folder(small: Path, tmp_path: Path) -> None:
    result = _export(small, str(tmp_path))  # click refuses it as a usage error
    assert result.exit_code == 2 and "is a directory" in result.stderr
    assert "Traceback" not in result.stderr
    with pytest.raises(OutputError, match=r"cannot write: it is a folder$"):
        write_output(tmp_path, b"x")


def test_read_only_folder_is_one_line(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # root ignores permissions, so the folder refuses through mkstemp, as a read-only one does
    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(output.tempfile, "mkstemp", refuse)
    result = _export(small, str(tmp_path / "out.nt"))
    assert result.exit_code == 2
    assert _one_error_line(result).endswith("out.nt: cannot write: Permission denied")
    assert not (tmp_path / "out.nt").exists()


def test_full_disk_keeps_the_old_file_and_no_temporary(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.nt"
    target.write_bytes(b"old")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.os, "fsync", full)
    result = _export(small, str(target))
    assert result.exit_code == 3
    assert _one_error_line(result) == f"Error: {target}: cannot write: the disk is full"
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.nt", "small.yaml"]


def test_full_device_is_one_line(small: Path) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    result = _export(small, "/dev/full")
    assert result.exit_code == 3
    assert _one_error_line(result) == "Error: /dev/full: cannot write: the disk is full"


def test_text_is_refused() -> None:
    with pytest.raises(TypeError):
        write_output("x.txt", "text")  # type: ignore[arg-type]


def test_output_error_is_an_os_error() -> None:
    assert issubclass(OutputError, OSError)


def test_no_writer_bypasses_write_output() -> None:
    """Every file the package writes goes through write_output (the store's own files
    excepted: its manifest is replaced by the store, under its write lock)."""
    root = Path(__file__).parents[1] / "src" / "reviewgraph"
    stores = root / "stores"
    allowed = {root / "io" / "output.py", stores / "oxigraph.py", stores / "generations.py"}
    offenders = []
    for path in root.rglob("*.py"):
        if path in allowed:
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("os.replace(", ".write_text(", ".write_bytes(", "mkstemp(", '"w")', '"wb")'):
            for number, line in enumerate(text.splitlines(), start=1):
                if needle in line and ">>>" not in line:
                    offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == []
