from __future__ import annotations

import uuid

import pytest
from litestar.testing import TestClient

from server.app import create_app
from server.settings import Settings
from tests.support.world import PASSWORD, build_world


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


class Session:
    """A signed-in persona: `aoki.get(...)`, `aoki.push(ops)`."""

    def __init__(self, client: TestClient, login: str):
        self.client = client
        self.login = login
        response = client.post("/api/v1/auth/login", json={"login": login, "password": PASSWORD})
        assert response.status_code == 200, response.text
        self.token = response.json()["token"]
        self.user = response.json()["user"]
        self.headers = {"Authorization": f"Bearer {self.token}"}

    def get(self, url, **kw):
        return self.client.get(url, headers=self.headers, **kw)

    def post(self, url, **kw):
        return self.client.post(url, headers=self.headers, **kw)

    def put(self, url, **kw):
        return self.client.put(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def head(self, url, **kw):
        return self.client.head(url, headers=self.headers, **kw)

    def push(self, ops, device_id="phone-1"):
        response = self.post("/api/v1/sync/push", json={"device_id": device_id, "ops": ops})
        assert response.status_code == 200, response.text
        return response.json()["results"]


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
