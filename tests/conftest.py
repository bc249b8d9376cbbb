from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from server.app import create_app
from server.core.settings import Settings
from tests.support.client import Session
from tests.support.backends import Backend, backend_in, chosen_backends
from tests.support.backends import fresh_postgres_url, postgres_template, s3_storage  # noqa: F401 (fixtures)
from tests.support.world import build_world

TESTS = Path(__file__).parent
# Every test in these folders that uses the database (through `backend`, `settings`, `world`,
# `client`, a live server ...) runs once per backend: test_x[sqlite] and test_x[postgres]
# (AKIYA_TEST_DB=sqlite|postgres runs only that one). Elsewhere `backend` is SQLite (or the
# one AKIYA_TEST_DB names). `@pytest.mark.backends("sqlite")` keeps a test to the backends it
# names, with a comment saying why.
ON_EVERY_BACKEND = ("api", "documents", "reliability")


def pytest_configure(config):
    config.addinivalue_line("markers", "backends(*names): run this test on these backends only (sqlite, postgres)")


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
                      lambda: request.getfixturevalue("postgres_template"),
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


@pytest.fixture
def client(settings, world):
    with TestClient(create_app(settings)) as c:
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
