"""`akiya serve --workers 2` on PostgreSQL and on SQLite (issue 15 item 4): two worker processes answer on one
port, a push through one and pulls through either agree, and SIGTERM to the parent stops them all.

Which worker answered a connection is read from the kernel (the worker holding the accepted
socket), not from anything the server says."""

from __future__ import annotations

import os
import socket
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.support.backends import fresh_postgres_url, postgres_template, postgres_url  # noqa: F401 (fixtures)
from tests.support.field import watch_visit
from tests.support.live_server import HOST, LiveServer
from tests.support.world import build_world


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def worker_pids(parent: int) -> list[int]:
    """The parent's worker processes (not multiprocessing's resource tracker)."""
    return sorted(p for p in children(parent)
                  if b"resource_tracker" not in Path(f"/proc/{p}/cmdline").read_bytes())


def _hex_address(port: int) -> str:
    return f"0100007F:{port:04X}"  # 127.0.0.1 as /proc/net/tcp writes it


def serving_pid(server_port: int, client_port: int, candidates: list[int]) -> int | None:
    """Which of `candidates` holds the server's end of the connection from `client_port`."""
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1] == _hex_address(server_port) and fields[2] == _hex_address(client_port):
            inode = fields[9]
    if inode is None:
        return None
    for pid in candidates:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
            except OSError:
                continue
    return None


def who_answers(port: int, workers: list[int]) -> int:
    """One request on a fresh connection; the pid of the worker that answered it."""
    with socket.create_connection((HOST, port), timeout=10) as conn:
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: akiya\r\n\r\n")
        answer = conn.recv(4096)
        assert answer.startswith(b"HTTP/1.1 200"), answer
        return serving_pid(port, conn.getsockname()[1], workers)


def wait_for(condition, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s")


@pytest.fixture(params=["postgres", "sqlite"])
def database(request, tmp_path) -> str:
    if request.param == "postgres":
        return request.getfixturevalue("fresh_postgres_url")
    return str(tmp_path / "akiya.sqlite3")  # allowed too: writes stay one at a time (README)


def test_two_workers_answer_on_one_port_share_the_database_and_stop_on_sigterm(database, tmp_path):
    world = build_world(database)
    server = LiveServer(database, tmp_path / "data", log=tmp_path / "serve.log",
                        env={"AKIYA_WORKERS": "2"}).start()
    try:
        workers = wait_for(lambda: (lambda found: found if len(found) == 2 else None)(worker_pids(server.pid)))
        answered: Counter[int] = Counter()
        for _ in range(300):
            answered[who_answers(server.port, workers)] += 1
            if len(answered) == 2 and answered.total() >= 60:
                break
            time.sleep(0.01)
        assert set(answered) == set(workers), answered  # both workers answer, nobody else does

        # A push through whichever worker, pulls through either: the same database.
        aoki = server.session("aoki")
        cursor = aoki.pull()["cursor"]
        visit = watch_visit(world)
        assert aoki.push([visit.op()]) == [{"op_id": visit.op_id, "status": "applied"}]
        assert set(visit.upload_all(aoki)) <= {200, 201}
        for _ in range(6):  # fresh connections: both workers answer some of these
            assert aoki.pull(cursor)["deleted"]["tasks"] == [world.tasks["watch"]]
            assert aoki.push([visit.op()]) == [{"op_id": visit.op_id, "status": "duplicate"}]
    finally:
        server.stop()  # SIGTERM to the parent; LiveServer.stop fails if it does not end by itself
    assert server.process.returncode == 0
    assert [pid for pid in workers if Path(f"/proc/{pid}").exists()] == []
    log = (tmp_path / "serve.log").read_text()
    assert log.count("Application shutdown complete") == 2  # each worker closed its lifespan
