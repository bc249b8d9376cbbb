from __future__ import annotations

import uuid

import pytest
from litestar.testing import TestClient

from server.app import create_app
from server.settings import Settings
from tests.support.client import Session
from tests.support.world import build_world


@pytest.fixture
def settings(tmp_path) -> Settings:
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
