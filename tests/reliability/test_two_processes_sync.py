"""Two server processes on two ports, one PostgreSQL database and one photo storage (issue 15 item 5):
a push to one and its photos to the other, pulls from either see both; one process SIGKILLed
mid-stream (during a photo upload, and at random points of pushes and uploads) loses nothing that
either process acknowledged. The short form, for CI.

`STORAGES` names the photo storage the processes share: "local" (one data directory, as on one
machine) and "s3" (AKIYA_STORAGE_URL on a real `rclone serve s3`; each process then has a data
directory of its own, as stateless processes on several machines would)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from server.storage import photo_key, storage_for
from tests.reliability.chaos import ChaosReport, Killer
from tests.reliability.device import Device
from tests.reliability.records import base_photo, build_world_with_carriers, survey_records
from tests.support.backends import fresh_postgres_url, postgres_template, postgres_url, s3_storage  # noqa: F401 (fixtures)
from tests.support.field import watch_visit
from tests.support.live_server import HOST, LiveServer
from tests.support.world import build_world

STORAGES = ["local", "s3"]


@dataclass
class Shared:
    """What both processes are given: the database, the storage, and how to read the storage back."""

    db: str
    root: Path
    storage: str  # "local" or "s3"
    env: dict[str, str]
    storage_url: str | None = None

    def data_dir(self, name: str) -> Path:
        return self.root / ("data" if self.storage == "local" else f"data-{name}")

    def server(self, name: str) -> LiveServer:
        return LiveServer(self.db, self.data_dir(name), log=self.root / f"{name}.log", env=self.env)

    def originals(self, photo_ids: list[str]) -> dict[str, bytes | None]:
        """Each photo's original as the storage holds it (None: not there)."""
        async def read():
            store = storage_for(self.storage_url, self.data_dir("a"))
            found = {}
            try:
                for photo_id in photo_ids:
                    try:
                        found[photo_id] = b"".join([chunk async for chunk in store.get(photo_key("original", photo_id))])
                    except (KeyError, FileNotFoundError):
                        found[photo_id] = None
            finally:
                await store.close()
            return found
        return asyncio.run(read())

    def rows(self, sql: str, *params) -> list[tuple]:
        with psycopg.connect(self.db) as conn:
            return conn.execute(sql.replace("?", "%s"), params).fetchall()


@pytest.fixture(params=STORAGES)
def shared(request, fresh_postgres_url, tmp_path, monkeypatch) -> Shared:
    env = {"AKIYA_LEASE_SECONDS": "2"}
    if request.param == "local":
        return Shared(fresh_postgres_url, tmp_path, "local", env)
    s3 = request.getfixturevalue("s3_storage")
    prefix = tmp_path.name
    for name, value in s3.environ().items():
        monkeypatch.setenv(name, value)  # for reading the storage back from the test
    return Shared(fresh_postgres_url, tmp_path, "s3", {**env, **s3.environ(), "AKIYA_STORAGE_URL": s3.url(prefix)},
                  storage_url=s3.url(prefix))


def test_a_push_to_one_process_and_its_photos_to_the_other_are_seen_from_both(shared):
    world = build_world(shared.db)
    a, b = shared.server("a").start(), shared.server("b").start()
    try:
        via_a = a.session("aoki")
        via_b = b.session("aoki")
        cursor = via_a.pull()["cursor"]
        visit = watch_visit(world)
        assert via_a.push([visit.op()]) == [{"op_id": visit.op_id, "status": "applied"}]
        assert visit.upload_all(via_b) == [201] * len(visit.photos)
        for session in (via_a, via_b):
            assert session.pull(cursor)["deleted"]["tasks"] == [world.tasks["watch"]]
            shown = session.get(f"/api/v1/inspections/{visit.id}").json()
            assert shown["status"] == "submitted"
            assert {p["id"] for p in shown["photos"]} == set(visit.photos)
            for photo_id in visit.photos:  # received by b, known to a
                assert session.head(f"/api/v1/photos/{photo_id}").status_code == 200
        assert via_b.push([visit.op()]) == [{"op_id": visit.op_id, "status": "duplicate"}]
    finally:
        a.stop()
        b.stop()
    assert shared.originals(list(visit.photos)) == visit.photos


def _cut_upload(server: LiveServer, token: str, photo_id: str, data: bytes) -> None:
    """Start a photo upload to `server`, send half the bytes, then SIGKILL the server."""
    with socket.create_connection((HOST, server.port), timeout=10) as conn:
        conn.sendall(f"PUT /api/v1/photos/{photo_id} HTTP/1.1\r\nHost: akiya\r\nAuthorization: Bearer {token}\r\n"
                     f"Content-Type: image/jpeg\r\nContent-Length: {len(data)}\r\n\r\n".encode())
        conn.sendall(data[:len(data) // 2])
        time.sleep(0.3)  # the server is reading the body
        server.kill()


def test_a_process_killed_mid_stream_loses_nothing_acknowledged(shared):
    devices, per_device, kills = 3, 6, 1  # plus the SIGKILL during one upload, first
    logins = build_world_with_carriers(shared.db, devices)
    rng = random.Random(15)
    records = [survey_records(per_device, base_photo(n + 1), f"{n}-") for n in range(devices)]
    expected = {r.inspection_id: r for rs in records for r in rs}
    a, b = shared.server("a").start(), shared.server("b").start()
    started = time.monotonic()
    try:
        # One upload cut off by a SIGKILL of its process: the device sends it again to the other one.
        first = Device("device-00", logins[0], b.port, [])
        first.run()  # signs in (through b)
        head = records[0][0]
        assert first._call("POST", "/api/v1/sync/push",
                           json.dumps({"device_id": "device-00", "ops": [head.op]}).encode(),
                           {200})[1]["results"][0]["status"] == "applied"
        photo_id, data = next(iter(head.photos.items()))
        _cut_upload(a, first.token, photo_id, data)
        a.start()

        # Each request to the next process in turn: a push to one, its photos to the other.
        fleet = [Device(f"device-{n:02d}", logins[n], 0, records[n], seed=100 + n, ports=[a.port, b.port],
                               give_up_after=45) for n in range(devices)]
        total = devices * per_device * 3
        killer = Killer(a, kills, lambda: sum(d.photos_done for d in fleet), total, rng)
        # early enough that the devices are still sending after the restarts (a start takes seconds)
        killer.points = sorted(rng.uniform(0.05, 0.4) * total for _ in range(kills))
        threads = [threading.Thread(target=d.run, name=d.name) for d in fleet]
        killer.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        killer.done.set()
        killer.join()
    finally:
        a.stop()
        b.stop()
    report = ChaosReport(devices, per_device, killer.kills, time.monotonic() - started)
    for d in fleet:
        report.outbox_left += len(d.outbox)
        report.device_stats = dict(Counter(report.device_stats) + d.stats)
        if d.error:
            report.device_errors.append(d.error)
    if killer.error:
        report.device_errors.append(f"killer: {killer.error}")
    ids = {row[0] for row in shared.rows("SELECT id FROM inspections")}
    report.inspections = len(ids)
    report.missing_inspections = len(expected.keys() - ids)
    report.unexpected_inspections = len(ids - expected.keys())
    report.awaiting_photos = shared.rows("SELECT count(*) FROM inspections WHERE status = 'awaiting_photos'")[0][0]
    report.sync_ops = shared.rows("SELECT count(*) FROM sync_ops")[0][0]
    received = dict(shared.rows("SELECT id, sha256 FROM photos WHERE received_at IS NOT NULL"))
    report.photos_received = len(received)
    report.duplicate_photo_rows = shared.rows("SELECT count(*) - count(DISTINCT sha256) FROM photos")[0][0]
    declared = {pid: blob for r in expected.values() for pid, blob in r.photos.items()}
    stored = shared.originals(list(received))
    report.photo_hash_mismatches = sum(
        1 for pid, sha in received.items()
        if pid not in declared or hashlib.sha256(declared[pid]).hexdigest() != sha
        or stored[pid] is None or hashlib.sha256(stored[pid]).hexdigest() != sha)
    report.integrity = "ok"
    print("\n".join(report.lines()))
    assert report.kills == kills
    assert report.problems() == []
    assert report.seconds < 60
