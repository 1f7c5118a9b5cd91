"""Shared test set-up: hypothesis profiles, a no-network guard and a tiny valid dataset.

Hypothesis profiles
-------------------
``ci``  no deadline, derandomised (the same examples on every run, so CI on two cores is
        stable), no example database; ``HYPOTHESIS_MAX_EXAMPLES`` sets the number of examples
        (default 100).  Loaded when the ``CI`` environment variable is set.
``dev`` the default elsewhere: random examples, remembered in ``.hypothesis/``.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from reviewgraph.models import (
    Body,
    Citation,
    Commitment,
    Dataset,
    Deliverable,
    DueDateStatement,
    Fulfilment,
    Link,
    Person,
    Recommendation,
    Response,
    Review,
    Source,
    Stance,
    StatusClaim,
    Theme,
)

DATA = Path(__file__).parent / "data"
"""The folder of small test fixtures."""

_MAX_EXAMPLES = int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "100"))

settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    database=None,
    max_examples=_MAX_EXAMPLES,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "dev",
    deadline=None,
    max_examples=_MAX_EXAMPLES,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


# --------------------------------------------------------------------------- no network


class NetworkBlockedError(RuntimeError):
    """Raised when a test tries to reach a host other than this machine."""


def _is_local(address: Any) -> bool:
    if isinstance(address, (str, bytes)):  # a Unix socket path
        return True
    if not isinstance(address, tuple) or not address:
        return False
    host = address[0]
    if isinstance(host, bytes):
        host = host.decode()
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True, scope="session")
def _no_network() -> Iterator[None]:
    """Refuse every socket connection that is not to the loopback interface."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def connect(self: socket.socket, address: Any) -> None:
        if not _is_local(address):
            raise NetworkBlockedError(f"a test tried to connect to {address!r}")
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if not _is_local(address):
            raise NetworkBlockedError(f"a test tried to connect to {address!r}")
        return real_connect_ex(self, address)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", connect)
        mp.setattr(socket.socket, "connect_ex", connect_ex)
        yield


# --------------------------------------------------------------------------- tiny dataset

AS_OF = date(2030, 1, 1)
"""A "today" after every date in the tiny dataset."""


def build_tiny_dataset() -> Dataset:
    """Return a small dataset that uses every item kind and is valid under the shapes.

    Review ``tiny-2020`` (published 2020-01-15) makes recommendation ``1``; the government
    responds on 2020-03-01 accepting it and commits (``tiny-register``, owned by NHS England)
    to a register due by March 2022; a status claim of 2021-06 says it is in progress; a
    deliverable of 2021-09 fulfils it, and a link says the commitment was implemented by it.
    """
    cites = (Citation(source="tiny-src", locator="p. 3", accessed=date(2024, 1, 2)),)
    return Dataset(
        sources=(
            Source(
                id="tiny-src",
                url="https://example.org/tiny-review",
                title="The tiny review",
                publisher="Department of Examples",
                date="2020-01-15",
            ),
        ),
        bodies=(
            Body(id="dept", name="Department of Examples", government=True),
            Body(id="nhse", name="NHS England", parent="dept"),
        ),
        people=(Person(id="jo-bloggs", name="Jo Bloggs", roles="Lead reviewer"),),
        themes=(Theme(id="registers", label="Registers of managers"),),
        reviews=(
            Review(
                id="tiny-2020",
                title="The tiny review",
                kind="independent review",
                url="https://example.org/tiny-review",
                commissioned_by=("dept",),
                leads=("jo-bloggs",),
                published="2020-01-15",
                stated_recommendations=1,
                themes=("registers",),
                citations=cites,
            ),
        ),
        recommendations=(
            Recommendation(
                id="tiny-2020/1",
                review="tiny-2020",
                label="1",
                summary="Keep a register of managers.",
                addressees=("nhse",),
                themes=("registers",),
                citations=cites,
            ),
        ),
        responses=(
            Response(
                id="tiny-response",
                by="dept",
                date="2020-03-01",
                answers=("tiny-2020",),
                citations=cites,
            ),
        ),
        stances=(
            Stance(
                id="tiny-response/1",
                response="tiny-response",
                recommendation="tiny-2020/1",
                stance="accepted",
                citations=cites,
            ),
        ),
        commitments=(
            Commitment(
                id="tiny-register",
                summary="Set up a register of managers.",
                made_by="dept",
                owner="nhse",
                made_on="2020-03-01",
                response="tiny-response",
                answers=("tiny-2020/1",),
                citations=cites,
            ),
        ),
        due_dates=(
            DueDateStatement(
                id="tiny-register/due-1",
                commitment="tiny-register",
                target="by March 2022",
                stated_on="2020-03-01",
                stated_by="dept",
                citations=cites,
            ),
        ),
        status_claims=(
            StatusClaim(
                id="tiny-register/status-1",
                about="tiny-register",
                status="in progress",
                asserted_on="2021-06",
                assessor="dept",
                role="owner",
                citations=cites,
            ),
        ),
        deliverables=(
            Deliverable(
                id="tiny-register-live",
                title="The register of managers",
                kind="programme",
                date="2021-09",
                by="nhse",
                fulfils=(Fulfilment(commitment="tiny-register", degree="in full"),),
                citations=cites,
            ),
        ),
        links=(
            Link(
                id="tiny-link",
                type="implemented by",
                from_="tiny-register",
                to="tiny-register-live",
                basis="stated",
                rationale="The register is what the commitment promised.",
                citations=cites,
            ),
        ),
    )


@pytest.fixture(scope="session")
def tiny_dataset() -> Dataset:
    """A small dataset using every item kind, valid under the SHACL shapes."""
    return build_tiny_dataset()


# --------------------------------------------------------------------------- endpoint


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _oxigraph_executable() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server (PyPI ``oxigraph``) on a free loopback port, for the whole run."""
    executable = _oxigraph_executable()
    if executable is None:
        pytest.skip("the Oxigraph server is not installed (pip install oxigraph)")
    port = free_port()
    folder = tmp_path_factory.mktemp("oxigraph-server")
    process = subprocess.Popen(
        [executable, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("the Oxigraph server did not start")
            time.sleep(0.1)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def serve() -> Iterator[Any]:
    """Start loopback servers answering with a function (``tests/loopback.py``); all are
    stopped after the test."""
    from loopback import start_server, stop_servers

    running: list[Any] = []
    yield lambda reply: start_server(reply, running)
    stop_servers(running)


@pytest.fixture
def loopback_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Endpoint credentials ann / s3cret from the environment, and no ``~/.netrc``."""
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("USER", "PASSWORD", "TOKEN", "AUTH", "DEADLINE", "MAX_MB", "DIALECT"):
        monkeypatch.delenv(f"REVIEWGRAPH_ENDPOINT_{name}", raising=False)
    monkeypatch.setenv("REVIEWGRAPH_ENDPOINT_USER", "ann")
    monkeypatch.setenv("REVIEWGRAPH_ENDPOINT_PASSWORD", "s3cret")


# --------------------------------------------------------------------------- real servers
#
# Each server is started once per session on free loopback ports and stopped at the end.
# A server whose program is absent is skipped outside CI; under CI (the CI variable set,
# as .ci/run runs) it is a failure, so that a missing install step cannot pass as a skip.

SERVERS = Path(__file__).parent / "servers"
"""Launch helpers: the Comunica package (npm) and its loopback-only preload."""


def need(program: str | None, what: str) -> str:
    """The program's path; skip (or, under CI, fail) if it is not installed."""
    if program is None:
        message = f"{what} is not installed (see docs/servers.md; .ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return program


def _wait(url: str, process: subprocess.Popen[bytes], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(f"{what} did not start")
            time.sleep(0.2)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started in a session of its own, with every process it started
    (Comunica's worker processes): its process group, by the id of the one started."""
    import signal

    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue


VIRTUOSO_MAX_ROWS = 1000
"""The tests' Virtuoso cuts answers at 1,000 rows (Debian's virtuoso.ini: 10,000), so that the
seeds' larger graphs and answers are read through pages there."""

VIRTUOSO_USER = ("dba", "dba")
"""The user of a fresh Virtuoso database (its SPARQL Update endpoint asks for Digest)."""


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Virtuoso open source (Debian ``virtuoso-opensource``) in a fresh database folder,
    its SQL and HTTP ports on 127.0.0.1; the URLs of its query and update endpoints."""
    executable = need(shutil.which("virtuoso-t"), "Virtuoso (virtuoso-t)")
    template = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
    need(str(template) if template.is_file() else None, "Virtuoso's virtuoso.ini")
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    text = template.read_text(encoding="utf-8")
    text = text.replace("/var/lib/virtuoso-opensource-7/db/", f"{folder}/")
    lines = []
    for line in text.splitlines():
        key = line.split("=")[0].strip()
        if key == "ServerPort" and "1111" in line:
            line = f"ServerPort = 127.0.0.1:{sql_port}"
        elif key == "ServerPort" and "8890" in line:
            line = f"ServerPort = 127.0.0.1:{http_port}"
        elif key == "ResultSetMaxRows":
            line = f"ResultSetMaxRows = {VIRTUOSO_MAX_ROWS}"
        lines.append(line)
    (folder / "virtuoso.ini").write_text("\n".join(lines) + "\n", encoding="utf-8")
    process = subprocess.Popen(
        [executable, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{http_port}"
    _wait(f"{url}/sparql?query=ASK%7B%7D", process, 60, "Virtuoso")
    try:
        yield {"query": f"{url}/sparql", "update": f"{url}/sparql-auth", "url": url}
    finally:
        _stop(process)


def _comunica_executable() -> str | None:
    local = SERVERS / "comunica" / "node_modules" / ".bin" / "comunica-sparql-file-http"
    return str(local) if local.is_file() else shutil.which("comunica-sparql-file-http")


@pytest.fixture(scope="session")
def comunica_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled seeds exported as N-Quads: one named graph per file, under
    ``https://example.org/comunica/``, and the annotations graph; no manifest."""
    import pyoxigraph as ox

    from reviewgraph.io.store import load_files
    from reviewgraph.stores import open_store

    store = open_store("memory")
    load_files(store, graph_base="https://example.org/comunica/")
    path = tmp_path_factory.mktemp("comunica") / "seeds.nq"
    quads = store.oxigraph().quads_for_pattern(None, None, None, None)  # type: ignore[attr-defined]
    path.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    return path


@pytest.fixture(scope="session")
def comunica(comunica_files: Path) -> Iterator[str]:
    """Comunica's SPARQL endpoint (npm ``@comunica/query-sparql-file``) over the exported
    seeds, read-only, on 127.0.0.1 (a preload binds its listener there)."""
    executable = need(_comunica_executable(), "Comunica (comunica-sparql-file-http)")
    need(shutil.which("node"), "Node.js")
    port = free_port()
    env = {**os.environ, "NODE_OPTIONS": f"--require {SERVERS / 'loopback.js'}"}
    process = subprocess.Popen(
        [executable, str(comunica_files), "-p", str(port), "--unionDefaultGraph", "-t", "60"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/sparql"
    _wait(f"{url}?query=ASK%7B%7D", process, 90, "Comunica")
    try:
        yield url
    finally:
        _stop(process)


_SLF4J_CLASHES = (
    "log4j-over-slf4j", "slf4j-log4j12", "slf4j-jcl", "slf4j-jdk14", "slf4j-simple",
    "slf4j-migrator", "jcl-over-slf4j", "jul-to-slf4j", "maven3-slf4j-provider",
)  # fmt: skip


@pytest.fixture(scope="session")
def jena(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The command that runs Jena ARQ (Debian ``libapache-jena-java``, a Debian JRE).

    ``java -cp '/usr/share/java/*' arq.sparql`` does not start on Debian 12: the folder
    holds both ``log4j-over-slf4j`` and ``slf4j-log4j12`` (SLF4J refuses the pair), and
    Debian's ``jena-core`` moves Jena's bundled Xerces to ``xerces.*`` but leaves its message
    files under ``org/apache/jena/ext/xerces`` ("internal error" in ``XSSimpleTypeDecl``).
    So the class path is every jar there but the clashing SLF4J bindings, plus a folder
    with the message files copied where the classes look for them.
    """
    import zipfile

    java = need(shutil.which("java"), "Java (default-jre-headless)")
    core = Path("/usr/share/java/jena-core.jar")
    need(str(core) if core.is_file() else None, "Jena ARQ (libapache-jena-java)")
    fix = tmp_path_factory.mktemp("jena-messages")
    prefix = "org/apache/jena/ext/xerces/"
    with zipfile.ZipFile(core) as jar:
        for name in jar.namelist():
            if name.startswith(prefix) and name.endswith(".properties"):
                target = fix / "xerces" / name[len(prefix) :]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    jars = [
        str(j)
        for j in sorted(Path("/usr/share/java").glob("*.jar"))
        if not j.name.startswith(_SLF4J_CLASHES)
    ]
    # a short run: the quick compiler and the serial collector start it in a quarter the time
    quick = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
    return [java, *quick, "-cp", os.pathsep.join([str(fix), *jars]), "arq.sparql"]


# --------------------------------------------------------------------------- selection

SLOW = (
    "tests/test_servers.py",
    "tests/test_endpoint_hostile.py",
    "tests/test_endpoint_paging.py::test_a_server_that_cuts_answers_silently_is_read_in_pages",
    "tests/test_endpoint_paging.py::test_a_server_whose_pages_fall_short_is_one_line_error",
    "tests/test_fuzz.py",
    "tests/test_fuzz_readers.py",
    "tests/test_cli_stores.py",
    "tests/test_neighbourhood.py",
    "tests/test_package.py",
    "tests/test_report.py",
    "tests/test_workbook.py::test_seeds_round_trip_through_a_workbook",
    "tests/test_sparql.py::test_generated_",
    "tests/test_sparql.py::test_stance_heavy_",
    "tests/test_sparql.py::test_seed_rdflib_texts_",
    "tests/test_sparql.py::test_queries_scale_linearly",
    "tests/test_rdf.py::test_models_to_rdf_to_models_is_the_identity",
    "tests/test_rdf.py::test_graph_to_models_to_graph_is_isomorphic",
    "tests/test_rdf.py::test_a_parsed_graph_survives_models",
    "tests/test_records.py::test_the_reader_gives_the_records_of_the_models",
    "tests/test_records.py::test_every_record_turns_back_into_its_model",
    "tests/test_records.py::test_the_index_file_round_trips",
    "tests/test_records.py::test_hostile_ids_on_every_route",
    "tests/test_docs.py::test_site_builds_strict",
    "tests/test_one_line.py::test_as_of_at_the_ends_of_the_range",
)
"""Tests that the default selection (``pytest``) leaves out: servers, browsers, the built
site, the wheel, and the property-based and generated-data runs.  ``pytest -m ""`` (what
``.ci/run`` runs) runs everything."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests listed in :data:`SLOW` as ``slow``."""
    for item in items:
        if item.nodeid.startswith(SLOW):
            item.add_marker(pytest.mark.slow)
