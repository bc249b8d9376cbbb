from __future__ import annotations

import os
import uuid

import pytest
from litestar.testing import TestClient

from server.app import create_app
from server.settings import Settings
from tests.support.client import Session
from tests.support.backends import fresh_postgres_url, postgres_template  # noqa: F401 (fixtures)
from tests.support.world import build_world

# AKIYA_TEST_DB=postgres: each test's database is a fresh PostgreSQL database (a migrated copy,
# dropped after the test) instead of a SQLite file; e.g. `AKIYA_TEST_DB=postgres pytest tests/api`.
TEST_DB = os.environ.get("AKIYA_TEST_DB", "sqlite")


@pytest.fixture
def settings(tmp_path, request) -> Settings:
    if TEST_DB == "postgres":
        return Settings(db=request.getfixturevalue("fresh_postgres_url"), data_dir=tmp_path / "data")
    assert TEST_DB == "sqlite", f"AKIYA_TEST_DB={TEST_DB}: sqlite (default) or postgres"
    return Settings(db=tmp_path / "akiya.sqlite3", data_dir=tmp_path / "data")


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
