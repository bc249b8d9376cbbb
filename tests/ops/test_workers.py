"""`akiya serve --workers 2`: each worker listens on a socket of its own (SO_REUSEPORT), and /metrics
from any worker adds up the counts of all of them, including a worker that died."""

from __future__ import annotations

import os
import signal
import socket
import time
from pathlib import Path

import httpx

from tests.ops.scrape import Scrape
from tests.reliability.test_workers import wait_for, worker_pids
from tests.support.live_server import HOST, LiveServer
from tests.support.world import build_world


def listening_socket_owners(port: int, pids: list[int]) -> dict[str, int]:
    """inode of each socket listening on `port` -> the pid among `pids` holding it."""
    inodes = [line.split()[9] for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
              if line.split()[1] == f"0100007F:{port:04X}" and line.split()[3] == "0A"]
    owners = {}
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            for inode in inodes:
                if target == f"socket:[{inode}]":
                    owners[inode] = pid
    return owners


def healthz_count(port: int) -> float:
    with socket.create_connection((HOST, port), timeout=10):
        pass
    found = Scrape(httpx.get(f"http://{HOST}:{port}/metrics", timeout=10).text)
    return found.value("akiya_http_requests_total", route="/healthz", status="200")


def test_each_worker_listens_on_its_own_socket_and_metrics_add_up_every_worker(tmp_path):
    build_world(tmp_path / "akiya.sqlite3")
    server = LiveServer(tmp_path / "akiya.sqlite3", tmp_path / "data", env={"AKIYA_WORKERS": "2"})
    server.start(timeout=90)  # two spawned workers on a loaded shared machine: slow to start
    try:
        workers = wait_for(lambda: (lambda found: found if len(found) == 2 else None)(worker_pids(server.pid)))
        owners = wait_for(lambda: (lambda found: found if len(found) == 2 else None)(
            listening_socket_owners(server.port, [server.pid, *workers])))
        assert sorted(owners.values()) == sorted(workers)  # two sockets, one per worker, none in the parent

        before = healthz_count(server.port)
        for _ in range(40):  # fresh connections: the kernel spreads them over the two sockets
            assert httpx.get(f"{server.base_url}/healthz", timeout=10).status_code == 200
        counts = {healthz_count(server.port) for _ in range(6)}  # scrapes answered by either worker
        assert min(counts) >= before + 40

        os.kill(workers[0], signal.SIGKILL)  # its counts stay; the parent starts another
        wait_for(lambda: (lambda found: found if len(found) == 2 and workers[0] not in found else None)(
            worker_pids(server.pid)))
        time.sleep(0.5)
        after = wait_for(lambda: healthz_count(server.port) if _ready(server) else None)
        assert after >= before + 40
    finally:
        server.stop()


def _ready(server: LiveServer) -> bool:
    try:
        return all(httpx.get(f"{server.base_url}/healthz", timeout=5).status_code == 200 for _ in range(6))
    except httpx.TransportError:
        return False
