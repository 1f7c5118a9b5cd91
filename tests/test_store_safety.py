"""A store cannot lose data through reviewgraph (issue 18, items 1, 7, 14 and 15).

A missing, garbled or stale manifest never leads to deleting a generation: the store is
refused with a message naming ``store check`` and ``store repair``, which recover it from the
newest complete (sealed) generation.  A failed first load leaves no folder behind; a store
that cannot be written can be read; the package imports and reads without ``fcntl``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reviewgraph.cli import main
from reviewgraph.io.store import load_files
from reviewgraph.stores import open_store
from reviewgraph.stores import oxigraph as oxi
from reviewgraph.stores.oxigraph import StoreDamagedError
from reviewgraph.stores.repair import check_store, repair_store

BODIES = "bodies:\n  - id: {id}\n    name: Body {id}\n"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _file(folder: Path, name: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(BODIES.format(id=name), encoding="utf-8")
    return path


def _count(spec: str) -> int:
    with open_store(spec) as store:
        return sum(store.graphs().values())


def _generations(path: Path) -> list[str]:
    return sorted(p.name for p in path.iterdir() if p.is_dir() and p.name.startswith("gen-"))


@pytest.fixture
def loaded(tmp_path: Path) -> Iterator[Path]:
    """A store with two loads (so generation 2), and the data folder beside it."""
    path = tmp_path / "st"
    with open_store(f"oxigraph:{path}", writable=True) as store:
        load_files(store, [_file(tmp_path, "alpha")])
        load_files(store, [_file(tmp_path, "beta")])
    yield path


def _damaged_line(result: Result, path: Path) -> str:
    assert "Traceback" not in result.output + result.stderr
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: the store at {path} is damaged: ")
    assert f"reviewgraph store repair {path}" in lines[0]
    return lines[0]


# -- a missing manifest ------------------------------------------------------------------------


def test_load_into_a_store_without_its_manifest_deletes_nothing(
    loaded: Path, tmp_path: Path
) -> None:
    before = _count(f"oxigraph:{loaded}")
    gens = _generations(loaded)
    (loaded / "store.json").unlink()
    result = run("load", str(_file(tmp_path, "gamma")), "--store", f"oxigraph:{loaded}")
    assert "store.json is missing" in _damaged_line(result, loaded)
    assert _generations(loaded) == gens
    # readers are refused the same way (not told there is no store)
    assert "store.json is missing" in _damaged_line(
        run("stats", "--store", f"oxigraph:{loaded}"), loaded
    )
    result = run("store", "repair", str(loaded))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"repaired {loaded}: store.json names generation 2")
    assert _count(f"oxigraph:{loaded}") == before
    with open_store(f"oxigraph:{loaded}") as store:
        assert sorted(Path(f).name for f in store.sources().values())[-2:] == [
            "alpha.yaml",
            "beta.yaml",
        ]


@pytest.mark.parametrize(
    "garbage", ["", "{not json", '{"format": "other"}', '{"format": "reviewgraph-oxigraph-store"}']
)
def test_a_garbled_manifest_is_refused_and_repaired(loaded: Path, garbage: str) -> None:
    before = _count(f"oxigraph:{loaded}")
    (loaded / "store.json").write_text(garbage, encoding="utf-8")
    with pytest.raises(StoreDamagedError, match=r"store\.json is garbled"):
        open_store(f"oxigraph:{loaded}", writable=True)
    assert not check_store(loaded).healthy
    repair_store(loaded)
    assert _count(f"oxigraph:{loaded}") == before
    assert check_store(loaded).healthy


def test_a_manifest_naming_a_missing_generation_says_so(loaded: Path) -> None:
    manifest = json.loads((loaded / "store.json").read_text(encoding="utf-8"))
    manifest["generation"] = 7
    (loaded / "store.json").write_text(json.dumps(manifest), encoding="utf-8")
    line = _damaged_line(run("stats", "--store", f"oxigraph:{loaded}"), loaded)
    assert "store.json names generation 7, which is missing" in line
    assert "keeps changing" not in line
    assert _generations(loaded) == ["gen-000002"]
    result = run("store", "check", str(loaded))
    assert result.exit_code == 1
    assert "problem: store.json names generation 7, which is missing" in result.stdout
    repair_store(loaded)
    assert check_store(loaded).healthy


def test_a_stale_manifest_never_deletes_the_newer_generation(loaded: Path, tmp_path: Path) -> None:
    # a manifest restored from an older copy: it names generation 1, and 2 is complete
    with open_store(f"oxigraph:{loaded}", writable=True) as store:
        load_files(store, [_file(tmp_path, "gamma")])  # generation 3
    seal = json.loads((loaded / "gen-000003.json").read_text(encoding="utf-8"))
    stale = {**seal, "generation": 2}
    (loaded / "store.json").write_text(json.dumps(stale), encoding="utf-8")
    shutil.copytree(loaded / "gen-000003", loaded / "gen-000002")  # the older one is back
    result = run("load", str(_file(tmp_path, "delta")), "--store", f"oxigraph:{loaded}")
    assert "generation 3 is complete and newer" in _damaged_line(result, loaded)
    assert "gen-000003" in _generations(loaded)
    repair_store(loaded)
    assert json.loads((loaded / "store.json").read_text())["generation"] == 3


def test_repair_of_a_healthy_store_changes_nothing_it_reads(loaded: Path) -> None:
    before = _count(f"oxigraph:{loaded}")
    assert run("store", "check", f"oxigraph:{loaded}").exit_code == 0
    repair_store(loaded)
    assert _count(f"oxigraph:{loaded}") == before


def test_repair_without_a_sealed_generation_explains(loaded: Path) -> None:
    (loaded / "store.json").unlink()
    (loaded / "gen-000002.json").unlink()
    result = run("store", "repair", str(loaded))
    assert result.exit_code == 2
    assert "no complete (sealed) generation" in result.stderr and "--generation N" in result.stderr
    result = run("store", "repair", str(loaded), "--generation", "2")
    assert result.exit_code == 0, result.output
    assert check_store(loaded).healthy


def test_store_commands_on_a_missing_folder(tmp_path: Path) -> None:
    for command in ("check", "repair"):
        result = run("store", command, str(tmp_path / "none"))
        assert result.exit_code == 2 and "no reviewgraph store" in result.stderr


# -- kill points, then repair -----------------------------------------------------------------


def _child(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_killed_load_then_a_lost_manifest_is_repaired(loaded: Path, tmp_path: Path) -> None:
    before = _count(f"oxigraph:{loaded}")
    big = tmp_path / "big.nt"
    with big.open("w", encoding="utf-8") as handle:
        for i in range(400_000):
            handle.write(f'<http://example.org/s/{i}> <http://example.org/p> "value {i}" .\n')
    loader = _child(
        """
        import sys
        from reviewgraph.stores import open_store
        from reviewgraph.io.store import load_files
        store = open_store("oxigraph:" + sys.argv[1], writable=True)
        load_files(store, [sys.argv[2]])
        """,
        str(loaded),
        str(big),
    )
    deadline = time.monotonic() + 30
    while not (loaded / "gen-000003").is_dir() and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)
    if loader.poll() is not None:
        pytest.skip("the load finished before it could be killed")
    loader.send_signal(signal.SIGKILL)
    loader.wait()
    assert not (loaded / "gen-000003.json").exists(), "an unfinished generation has no seal"
    (loaded / "store.json").unlink()
    repair_store(loaded)  # the newest *sealed* generation, not the half-built one
    assert _count(f"oxigraph:{loaded}") == before
    with open_store(f"oxigraph:{loaded}", writable=True) as store:
        load_files(store, [_file(tmp_path, "gamma")])  # the next load collects the rest
    assert len(_generations(loaded)) == 1  # the half-built one was removed, not published
    assert _count(f"oxigraph:{loaded}") > before


def test_stopped_between_seal_and_manifest(
    loaded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _count(f"oxigraph:{loaded}")
    real = oxi._write_json

    def die_at_the_manifest(root: Path, target: Path, data: dict[str, object]) -> None:
        if target.name == "store.json":
            raise KeyboardInterrupt
        real(root, target, data)

    monkeypatch.setattr(oxi, "_write_json", die_at_the_manifest)
    with pytest.raises(KeyboardInterrupt), open_store(f"oxigraph:{loaded}", writable=True) as s:
        load_files(s, [_file(tmp_path, "gamma")])
    monkeypatch.undo()
    assert _count(f"oxigraph:{loaded}") == before  # readers still see generation 2
    with pytest.raises(StoreDamagedError, match="generation 3 is complete and newer"):
        with open_store(f"oxigraph:{loaded}", writable=True) as s:
            load_files(s, [_file(tmp_path, "delta")])
    repair_store(loaded)
    assert _count(f"oxigraph:{loaded}") > before  # the sealed load is adopted


# -- a failed first load -----------------------------------------------------------------------


def test_a_failed_first_load_leaves_no_folder(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    store = tmp_path / "new-store"
    result = run("load", str(bad), "--store", f"oxigraph:{store}")
    assert result.exit_code == 2
    assert not store.exists()


def test_a_failed_later_load_keeps_the_folder(loaded: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    before = _count(f"oxigraph:{loaded}")
    assert run("load", str(bad), "--store", f"oxigraph:{loaded}").exit_code == 2
    assert _count(f"oxigraph:{loaded}") == before


# -- read-only stores --------------------------------------------------------------------------


def _read_only_copy(loaded: Path) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="rg-read-only-"))
    folder.chmod(0o755)
    copy = folder / "st"
    shutil.copytree(loaded, copy)
    for lock in copy.glob("*.lock"):
        lock.unlink()  # as from an archive: no lock files, and none can be made
    for path in [copy, *copy.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(stat.S_IMODE(mode) & ~0o222)
    return copy


def _unlock(copy: Path) -> None:
    for path in [copy, *copy.rglob("*")]:
        path.chmod(stat.S_IMODE(path.stat().st_mode) | 0o200)
    shutil.rmtree(copy.parent)


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs setpriv to drop root")
def test_a_read_only_store_can_be_read_by_another_user(loaded: Path) -> None:
    copy = _read_only_copy(loaded)
    try:
        argv = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        if os.geteuid() != 0:
            argv = []
        done = subprocess.run(
            [*argv, sys.executable, "-m", "reviewgraph", "stats", "--store", f"oxigraph:{copy}"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert "bodies\t2" in done.stdout
    finally:
        _unlock(copy)


def test_a_read_only_store_can_be_read_when_lock_files_cannot_be_made(
    loaded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _read_only_copy(loaded)
    real_open = os.open

    def read_only_open(path: object, flags: int, *args: object) -> int:
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise PermissionError(13, "Permission denied (read-only)", str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    try:
        monkeypatch.setattr(oxi.os, "open", read_only_open)
        result = run("stats", "--store", f"oxigraph:{copy}")
        assert result.exit_code == 0, result.output
        assert "bodies\t2" in result.stdout
        result = run("load", str(loaded.parent / "alpha.yaml"), "--store", f"oxigraph:{copy}")
        assert result.exit_code == 2 and "cannot be written" in result.stderr
    finally:
        monkeypatch.undo()
        _unlock(copy)


# -- without fcntl (as on Windows) -------------------------------------------------------------


def test_the_package_imports_and_reads_without_fcntl(loaded: Path) -> None:
    code = """
        import sys
        sys.modules["fcntl"] = None  # import fcntl now raises ImportError
        from reviewgraph.cli import main
        main(["stats", "--store", "oxigraph:" + sys.argv[1]])
    """
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), str(loaded)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "bodies\t2" in done.stdout
