"""Demo mode shows the demo password on the sign-in page, so it runs only on a database that
seed-demo made, says so in the log, and stays on loopback unless explicitly allowed."""

import asyncio
import logging

import pytest
from litestar.testing import TestClient

from server.app import create_app
from server.ops.cli import main
from server.db import Database
from server.demo.mode import DemoRefused, mark_demo_database
from server.core.settings import Settings

HINT = "akiya-demo"


def as_demo_database(settings: Settings) -> Settings:
    """The world's database, marked the way seed-demo marks the demo town (seeding it whole takes a minute)."""
    async def mark():
        async with Database(settings.db, readers=1) as db:
            await db.write(mark_demo_database, "2026-11-29")

    asyncio.run(mark())
    return settings


def refused_at_start(settings: Settings, match: str) -> None:
    """The app does not start: its lifespan raises DemoRefused (the test client wraps it in a group)."""
    with pytest.raises(BaseExceptionGroup) as failed:
        login_page(settings)
    assert failed.group_contains(DemoRefused, match=match, depth=None)


@pytest.fixture
def akiya_log():
    """Records of the server's own logger (the app's logging set-up replaces the root handlers caplog uses)."""
    class Keep(logging.Handler):
        def __init__(self):
            super().__init__(logging.WARNING)
            self.messages: list[str] = []

        def emit(self, record):
            self.messages.append(f"{record.levelname} {record.getMessage()}")

    keep = Keep()
    logging.getLogger("akiya").addHandler(keep)
    yield keep.messages
    logging.getLogger("akiya").removeHandler(keep)


def login_page(settings: Settings) -> str:
    with TestClient(create_app(settings)) as client:
        return client.get("/office/login").text


def test_demo_mode_refuses_a_database_seed_demo_did_not_make(settings, world):
    refused_at_start(settings.model_copy(update={"demo": True}), "seed-demo")


def test_akiya_serve_in_demo_mode_on_a_real_database_says_why_and_does_not_start(settings, world, monkeypatch, capsys):
    monkeypatch.setenv("AKIYA_DEMO", "1")
    monkeypatch.setattr("uvicorn.run", lambda *a, **kw: pytest.fail("the server was started"))
    assert main(["serve", "--db", str(settings.db), "--data-dir", str(settings.data_dir)]) == 2
    assert "akiya seed-demo で作ったデータベース" in capsys.readouterr().err


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20"])
def test_demo_mode_refuses_a_non_loopback_host_without_the_flag(settings, world, host, monkeypatch, capsys):
    demo = as_demo_database(settings).model_copy(update={"demo": True, "host": host})
    refused_at_start(demo, "AKIYA_DEMO_PUBLIC")
    monkeypatch.setenv("AKIYA_DEMO", "1")
    monkeypatch.setattr("uvicorn.run", lambda *a, **kw: pytest.fail("the server was started"))
    assert main(["serve", "--db", str(settings.db), "--data-dir", str(settings.data_dir), "--host", host]) == 2
    assert "AKIYA_DEMO_PUBLIC=1" in capsys.readouterr().err


def test_demo_mode_on_the_network_when_explicitly_allowed(settings, world):
    demo = as_demo_database(settings).model_copy(update={"demo": True, "host": "0.0.0.0", "demo_public": True})
    assert HINT in login_page(demo)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_demo_mode_starts_on_loopback_and_warns_in_the_log(settings, world, host, akiya_log):
    demo = as_demo_database(settings).model_copy(update={"demo": True, "host": host})
    page = login_page(demo)
    assert HINT in page and "carrier1" in page
    assert any(m.startswith("WARNING DEMO MODE") for m in akiya_log)


def test_the_demo_hint_is_not_shown_outside_demo_mode_even_on_the_demo_database(settings, world, akiya_log):
    page = login_page(as_demo_database(settings))
    assert HINT not in page and "デモ用ログイン" not in page
    assert not any("DEMO MODE" in m for m in akiya_log)


@pytest.mark.parametrize("demo_mode", [True, False])
def test_the_form_shown_again_after_a_wrong_password_keeps_the_hint_only_in_demo_mode(settings, world, demo_mode):
    from tests.office.pages import csrf_token

    demo = as_demo_database(settings).model_copy(update={"demo": demo_mode})
    with TestClient(create_app(demo)) as client:
        again = client.post("/office/login", data={"login": "ueda", "password": "wrong-guess-1",
                                                   "_csrf_token": csrf_token(client)})
    assert again.status_code == 401
    assert (HINT in again.text) is demo_mode
