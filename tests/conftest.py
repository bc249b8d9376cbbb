from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from server.app import create_app
from tests.support.apps import app_for
from server.documents.render import PdfRenderer
from server.documents.service import fonts_of
from server.core.settings import Settings
from tests.support.client import Session
from tests.support.backends import Backend, backend_in, chosen_backends
from tests.support.backends import fresh_postgres_url, postgres_server, postgres_template, postgres_url, recycled_databases, s3_storage  # noqa: F401 (fixtures)
from tests.support.world import build_world
from tests.support import timeline

TESTS = Path(__file__).parent
STARTED = time.monotonic()  # this conftest is read as the run starts
# Every test in these folders that uses the database (through `backend`, `settings`, `world`,
# `client`, a live server ...) runs once per backend: test_x[sqlite] and test_x[postgres]
# (AKIYA_TEST_DB=sqlite|postgres runs only that one). Elsewhere `backend` is SQLite (or the
# one AKIYA_TEST_DB names). `@pytest.mark.backends("sqlite")` keeps a test to the backends it
# names, with a comment saying why.
ON_EVERY_BACKEND = ("api", "documents", "reliability", "survey_candidates")


# Under pytest-xdist (`make test` runs `-n 2 --dist loadgroup`) tests spread over the workers one
# by one, except these groups, each kept on one worker:
# - the slow end-to-end runs (chaos, a national month, nginx in front, several processes, the
#   push benchmark): whole, in one group, so they never run beside each other and fight for the cores;
# - every module of the browser suites and of tests/reliability, and the modules listed below:
#   their module-scoped fixtures (a live server, Chromium, a seeded demo town) are built once;
# - tests/browser_office: one group, its seeded demo town is shared by the whole folder.
# `make test-quick` leaves the end-to-end group out.
END_TO_END = {
    "reliability/test_chaos_sync.py", "reliability/test_nginx_front.py", "reliability/test_nginx_several.py",
    "reliability/test_two_processes_sync.py", "reliability/test_several_processes.py", "reliability/test_workers.py",
    "bench/test_national_month.py", "bench/test_sync_push.py", "ops/test_workers.py",
}
WHOLE_MODULES = {"fuzz/test_api_schema.py", "backends/test_migrate_to.py", "foundation/test_demo_seed.py",
                 "rubrics/test_engines_agree.py", "photos/test_exif.py", "demo/test_history.py",
                 "ops/test_request_log.py"}


def xdist_group(path: Path) -> str | None:
    """The group a test file's tests run in together (None: spread one by one)."""
    relative = path.relative_to(TESTS).as_posix()
    if relative in END_TO_END:
        return "end_to_end"
    folder = relative.split("/")[0]
    if folder == "browser_office":
        return folder
    if folder in ("browser", "reliability") or relative in WHOLE_MODULES:
        return relative
    return None


# Folders whose tests start real processes (servers, Chromium, nginx, rclone, a PostgreSQL of their own)
# or move data between backends: `make test-quick` leaves them out with the end-to-end group.
LIVE_FOLDERS = {"browser", "browser_office", "reliability", "ops", "bench", "backends"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        group = xdist_group(item.path)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
        if group == "end_to_end":
            item.add_marker(pytest.mark.end_to_end)
        if item.path.relative_to(TESTS).parts[0] in LIVE_FOLDERS:
            item.add_marker(pytest.mark.live)


def pytest_terminal_summary(terminalreporter):
    """The last line `make test` prints of pytest: how many passed, in minutes."""
    stats = terminalreporter.stats
    counts = {kind: len(stats.get(kind, [])) for kind in ("passed", "failed", "error", "skipped")}
    minutes = (time.monotonic() - STARTED) / 60
    shown = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n or kind == "passed")
    terminalreporter.write_line(f"pytest: {shown} in {minutes:.1f} min")


def pytest_configure(config):
    config.addinivalue_line("markers", "backends(*names): run this test on these backends only (sqlite, postgres)")
    config.addinivalue_line("markers", "end_to_end: one of the slow whole-system runs (`make test-quick` leaves them out)")
    config.addinivalue_line("markers", "live: starts real processes or other backends (`make test-quick` leaves them out)")
    config.addinivalue_line("markers", "own_pdf_workers: the app starts its own PDF worker pool (not the shared one)")


def pytest_generate_tests(metafunc):
    if metafunc.definition.path.relative_to(TESTS).parts[0] not in ON_EVERY_BACKEND:
        return
    names = chosen_backends()
    only = metafunc.definition.get_closest_marker("backends")
    if only is not None:
        names = tuple(n for n in names if n in only.args) or only.args  # AKIYA_TEST_DB filters, never empties
    for fixture, scope in (("backend", "function"), ("module_backend", "module")):
        if fixture in metafunc.fixturenames:
            metafunc.parametrize(fixture, names, indirect=True, scope=scope)


def _backend(request, directory: Path):
    default = chosen_backends()[0] if len(chosen_backends()) == 1 else "sqlite"
    return backend_in(getattr(request, "param", default), directory,
                      lambda: request.getfixturevalue("recycled_databases"),
                      lambda: request.getfixturevalue("s3_storage"))


@pytest.fixture
def backend(request, tmp_path) -> Iterator[Backend]:
    """Where this test's records live: a SQLite file and the data folder in tmp_path, or a fresh
    PostgreSQL database and a fresh prefix in S3 (photos; scratch and partials stay in tmp_path)."""
    with _backend(request, tmp_path) as chosen:
        yield chosen


@pytest.fixture(scope="module")
def module_backend(request, tmp_path_factory) -> Iterator[Backend]:
    """The same, shared by the tests of one module."""
    with _backend(request, tmp_path_factory.mktemp("backend")) as chosen:
        yield chosen


@pytest.fixture
def settings(backend) -> Settings:
    return backend.settings()


@pytest.fixture
def world(settings):
    return build_world(settings.db)


@pytest.fixture(scope="session")
def pdf_renderer():
    """One PDF worker pool for the in-process apps of this test process: spawning a worker and
    loading its fonts costs more than most tests (1.5-6 s here), and a pool keeps nothing of a
    document. Tests of the pool itself (a worker dying, fonts) make their own."""
    renderer = PdfRenderer(*fonts_of(Settings()))
    yield renderer
    renderer.close()


@pytest.fixture
def client(request, settings, world, pdf_renderer):
    """The app in process on this test's backend and world; it draws PDFs in the shared pool
    unless its fonts differ or the test is marked `own_pdf_workers`."""
    shared = fonts_of(settings) == pdf_renderer.fonts and request.node.get_closest_marker("own_pdf_workers") is None
    app = app_for(settings, pdf_renderer) if shared else create_app(settings)
    with TestClient(app) as c:
        yield c


@pytest.fixture
def as_(client):
    sessions = {}

    def login(name: str) -> Session:
        if name not in sessions:
            sessions[name] = Session(client, name)
        return sessions[name]

    return login


def new_id() -> str:
    return str(uuid.uuid4())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """AKIYA_TEST_TIMELINE=FILE: one line per test with its worker and times (tests/support/timeline.py)."""
    started, cpu = time.monotonic(), timeline.cpu_seconds()
    try:
        return (yield)
    finally:
        timeline.record(item, started, time.monotonic(), timeline.cpu_seconds() - cpu)
