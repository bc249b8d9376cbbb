"""/readyz: ready only when the database answers a real query at the migration level this code
expects and the photo storage answers; otherwise 503 saying which. An outage of the storage or of
the database shows in /readyz and in /metrics within seconds and clears when it comes back."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import pytest

from server.health.readiness import expected_level
from tests.ops.scrape import Scrape
from tests.support.backends import fresh_postgres_url, postgres_template, rclone_binary  # noqa: F401 (fixtures)
from tests.support.live_server import HOST, LiveServer, free_port
from tests.support.tcp_switch import TcpSwitch
from tests.support.world import build_world


def test_ready_when_the_database_storage_and_migrations_answer(client):
    answer = client.get("/readyz")
    assert answer.status_code == 200
    body = answer.json()
    assert body["ready"] is True and body["message"] == "正常に動作しています"
    assert {name: check["ok"] for name, check in body["checks"].items()} == \
        {"database": True, "migrations": True, "storage": True}
    assert body["checks"]["migrations"]["level"] == body["checks"]["migrations"]["expected"] == expected_level()


def test_a_database_behind_the_code_is_not_ready_and_says_so(client, settings):
    with sqlite3.connect(settings.db) as conn:
        conn.execute(f"PRAGMA user_version = {expected_level() - 1}")
    answer = client.get("/readyz")
    assert answer.status_code == 503
    body = answer.json()
    assert body["checks"]["migrations"] == {"ok": False, "seconds": 0.0, "level": expected_level() - 1,
                                            "expected": expected_level(),
                                            "error": f"database at {expected_level() - 1}, code expects {expected_level()}"}
    assert body["checks"]["database"]["ok"] and body["checks"]["storage"]["ok"]
    assert body["message"] == "データベースの版がこのサーバーと合いません（akiya migrate の実行を確かめてください）"


# -- An outage of a real S3 server and of PostgreSQL's connection, seen from a real server process.

class Rclone:
    """`rclone serve s3` on a fixed port over a folder, stopped and started again at will."""

    def __init__(self, root: Path):
        self.root, self.port, self.bucket = root, free_port(), "akiya"
        self.key, self.secret = "akiya-test", uuid.uuid4().hex
        (root / self.bucket).mkdir(parents=True)
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [rclone_binary(), "serve", "s3", "--addr", f"{HOST}:{self.port}", "--auth-key", f"{self.key},{self.secret}",
             "--config", os.devnull, str(self.root)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: _answers(self.port), "rclone to listen")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def environ(self) -> dict[str, str]:
        return {"AKIYA_STORAGE_URL": f"s3://{self.bucket}/t", "AKIYA_S3_ENDPOINT_URL": f"http://{HOST}:{self.port}",
                "AWS_ACCESS_KEY_ID": self.key, "AWS_SECRET_ACCESS_KEY": self.secret, "AWS_DEFAULT_REGION": "us-east-1"}


def _answers(port: int) -> bool:
    import socket

    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_until(condition, what: str, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s: {what}")


def failing_in_readyz(http: httpx.Client) -> set[str]:
    answer = http.get("/readyz")
    failed = {name for name, check in answer.json()["checks"].items() if not check["ok"]}
    assert (answer.status_code == 503) == bool(failed)
    return failed


def failing_in_metrics(http: httpx.Client) -> set[str]:
    scraped = Scrape(http.get("/metrics").text)
    return {s["check"] for s in scraped.series("akiya_ready") if scraped.value("akiya_ready", **s) == 0}


def shows(http: httpx.Client, failed: set[str], what: str, seconds: float) -> None:
    """Both /readyz and /metrics (each runs the checks itself) show exactly `failed` within `seconds`."""
    wait_until(lambda: failing_in_readyz(http) == failed, f"/readyz: {what}", seconds)
    wait_until(lambda: failing_in_metrics(http) == failed, f"/metrics: {what}", seconds)


def test_storage_and_database_outages_show_within_seconds_and_clear(tmp_path, fresh_postgres_url):  # noqa: F811
    s3 = Rclone(tmp_path / "s3")
    s3.start()
    database = httpx.URL(fresh_postgres_url)
    switch = TcpSwitch(database.host, database.port or 5432).start()
    through_switch = str(database.copy_with(port=switch.port))
    build_world(through_switch)
    server = LiveServer(through_switch, tmp_path / "data", env=s3.environ())
    try:
        server.start(timeout=90)  # a loaded shared machine: slow to start, never wrong
        with server.http(timeout=15) as http:
            shows(http, set(), "ready at first", 5)

            s3.stop()
            shows(http, {"storage"}, "storage failing", 10)
            assert http.get("/readyz").json()["message"] == "写真の保存先に接続できません"
            assert Scrape(http.get("/metrics").text).value("akiya_storage_errors_total", backend="s3", op="head") > 0
            s3.start()
            shows(http, set(), "storage back", 15)

            switch.cut()
            shows(http, {"database", "migrations"}, "database failing", 10)
            assert http.get("/readyz").json()["message"] == "データベースに接続できません"
            assert http.get("/healthz").status_code == 200  # alive all along: only not ready
            switch.restore()
            shows(http, set(), "database back", 20)
    finally:
        server.stop()
        switch.stop()
        s3.stop()
