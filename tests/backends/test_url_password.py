"""A database URL's password never reaches the console or a log line, whatever the driver says about
the URL: malformed URLs (a stray %, a space, an unencoded @), a wrong login and an unreachable
server, fed to `akiya migrate-to` and to the server's start."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from server.db import Database
from server.db.url_password import hidden, shown
from tests.support.live_server import free_port

ROOT = Path(__file__).resolve().parents[2]

# (URL, the password's text that must not appear anywhere)
URLS = [
    ("postgresql://u:Pa%ss-w0rd!@127.0.0.1/db", "ss-w0rd"),      # invalid percent-encoding
    ("postgresql://u:sec ret-Wx9@127.0.0.1/db", "ret-Wx9"),      # a space
    ("postgresql://u:p@ss@w0rd-Qz@127.0.0.1/db", "w0rd-Qz"),     # an unencoded @: libpq takes "ss@w0rd-Qz" as the host
    ("postgresql://nobody:Hunter2-Secret@127.0.0.1:5432/nodb", "Hunter2"),  # a server that refuses the login
    ("postgresql://u:Secr3t-Pw@127.0.0.1:{port}/db", "Secr3t"),  # nobody listening
]


def _url(template: str) -> str:
    return template.format(port=free_port())


def _run(args: list[str], env: dict, timeout: float = 90) -> str:
    done = subprocess.run([sys.executable, "-m", "server.ops.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=timeout)
    assert done.returncode != 0
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("source") / "akiya.sqlite3"

    async def create():
        async with Database(path, readers=0):
            pass
    asyncio.run(create())
    return path


@pytest.mark.parametrize("template,secret", URLS)
def test_migrate_to_never_prints_the_targets_password(source, tmp_path, template, secret):
    out = _run(["migrate-to", "--db", str(source), "--data-dir", str(tmp_path), _url(template)], {})
    assert "移行先" in out or "移行できませんでした" in out, out
    assert secret not in out, out


@pytest.mark.parametrize("template,secret", URLS)
def test_the_server_refusing_to_start_never_prints_the_databases_password(tmp_path, template, secret):
    """…and gives up after AKIYA_DB_START_SECONDS (30 s by default: PostgreSQL may be starting too)."""
    started = time.monotonic()
    out = _run(["serve", "--host", "127.0.0.1", "--port", str(free_port())],
               {"AKIYA_DB": _url(template), "AKIYA_DATA_DIR": str(tmp_path), "AKIYA_DB_START_SECONDS": "2"})
    assert "Traceback" in out or "Error" in out, out  # it did fail, and said why
    assert secret not in out, out
    assert time.monotonic() - started < 25  # 2 s of waiting, not the default 30


def test_a_url_is_shown_with_its_password_masked_and_the_rest_kept():
    assert shown("postgresql://akiya:Pa%ss-w0rd!@db.example:5432/akiya") == "postgresql://akiya:***@db.example:5432/akiya"
    assert shown("postgresql://akiya@db/akiya") == "postgresql://akiya@db/akiya"
    assert hidden('invalid percent-encoded token: "Pa%ss-w0rd!"', "postgresql://u:Pa%ss-w0rd!@h/d") == \
        'invalid percent-encoded token: "***"'
