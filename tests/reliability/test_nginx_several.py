"""deploy/nginx/akiya-several.conf: the front of akiya.conf over two real server processes on two
ports and one PostgreSQL database (issue 15 item 4). Both processes answer; a push and its photos
go through the front and pulls agree whichever process answers them; when one process is
SIGKILLed the front sends everything to the other, and nothing already acknowledged is lost."""

from __future__ import annotations

import ssl
import subprocess
import time
from pathlib import Path

import httpx

from tests.reliability.test_nginx_front import Front
from tests.support.backends import fresh_postgres_url, postgres_template, postgres_url  # noqa: F401 (fixtures)
from tests.support.client import Session
from tests.support.field import survey_visit, watch_visit
from tests.support.live_server import HOST, LiveServer
from tests.support.world import build_world


def established(port: int) -> int:
    """Open TCP connections whose server end is on `port` (nginx keeps its upstream ones alive)."""
    needle = f"0100007F:{port:04X}"
    return sum(1 for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
               if line.split()[1] == needle and line.split()[3] == "01")


def front_session(front: Front, login: str) -> Session:
    http = httpx.Client(base_url=f"https://{HOST}:{front.https_port}", verify=ssl._create_unverified_context(),
                        timeout=30)
    return Session(http, login)


def test_the_several_processes_config_passes_nginx_t(tmp_path):
    checked = Front(tmp_path, [8000, 8001]).check()
    assert checked.returncode == 0, checked.stderr


def test_two_processes_behind_nginx_share_one_postgresql_and_one_takes_over_when_the_other_dies(
        fresh_postgres_url, tmp_path):
    world = build_world(fresh_postgres_url)
    env = {"AKIYA_FORWARDED_ALLOW_IPS": HOST}
    data = tmp_path / "data"  # one data directory for both (object storage in production)
    first = LiveServer(fresh_postgres_url, data, log=tmp_path / "a.log", env=env).start()
    second = LiveServer(fresh_postgres_url, data, log=tmp_path / "b.log", env=env).start()
    front = Front(tmp_path, [first.port, second.port]).start()
    try:
        aoki = front_session(front, "aoki")
        cursor = aoki.pull()["cursor"]
        for _ in range(20):  # several requests at once: least_conn spreads them over both
            with httpx.Client(base_url=aoki.client.base_url, verify=False) as other:
                assert other.get("/healthz").status_code == 200
            aoki.pull(cursor)
        assert established(first.port) > 0 and established(second.port) > 0, "both processes answered"

        visit = watch_visit(world)
        assert aoki.push([visit.op()]) == [{"op_id": visit.op_id, "status": "applied"}]
        assert set(visit.upload_all(aoki)) <= {200, 201}
        for _ in range(4):
            assert aoki.pull(cursor)["deleted"]["tasks"] == [world.tasks["watch"]]

        first.kill()  # SIGKILL: nginx finds it refusing and sends everything to the second
        later = survey_visit(world)
        assert aoki.push([later.op()]) == [{"op_id": later.op_id, "status": "applied"}]
        assert set(later.upload_all(aoki)) <= {200, 201}
        for _ in range(4):
            delta = aoki.pull(cursor)
            assert sorted(delta["deleted"]["tasks"]) == sorted([world.tasks["watch"], world.tasks["survey"]])
        for done in (visit, later):  # what was acknowledged, by either process, is all there
            shown = aoki.get(f"/api/v1/inspections/{done.id}")
            assert shown.status_code == 200, shown.text
            assert shown.json()["status"] == "submitted"
            assert {p["id"] for p in shown.json()["photos"]} == set(done.photos)
    finally:
        front.stop()
        first.kill()
        second.stop()
