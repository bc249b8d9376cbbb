"""A real akiya server process over a test world, and Chromium as STACK.md says to launch it.
Shared by the browser tests and bench/field_app.py."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

from server.audit import SYSTEM
from server.clock import today_jst
from server.db import Database
from server.tasks.queries import add_task, reassign_task
from tests.support.world import PASSWORD, World, build_world

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_PHOTOS = ROOT / "sample_photos"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "locale": "ja-JP", "timezone_id": "Asia/Tokyo", "service_workers": "allow",
         "permissions": ["geolocation"], "geolocation": {"latitude": 35.6871, "longitude": 139.7401, "accuracy": 12}}


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    world: World
    data_dir: Path
    base_url: str
    process: subprocess.Popen

    @property
    def app_url(self) -> str:
        return f"{self.base_url}/app/"

    def session(self, login: str) -> httpx.Client:
        client = httpx.Client(base_url=f"{self.base_url}/api/v1", timeout=30)
        response = client.post("/auth/login", json={"login": login, "password": PASSWORD})
        response.raise_for_status()
        client.headers["Authorization"] = f"Bearer {response.json()['token']}"
        return client

    def write(self, fn, *args, **kwargs):
        """Run `fn(conn, ...)` as one write transaction on the server's database (another process)."""
        async def run():
            async with Database(self.world.db_path, readers=1) as db:
                return await db.write(fn, *args, **kwargs)
        with ThreadPoolExecutor(1) as pool:  # Playwright's sync API already runs a loop in this thread
            return pool.submit(asyncio.run, run()).result()

    def rows(self, sql: str, *params) -> list[tuple]:
        with sqlite3.connect(f"file:{self.world.db_path}?mode=ro", uri=True) as conn:
            return conn.execute(sql, params).fetchall()

    def add_task(self, house: str, **kwargs) -> str:
        fields = {"due_date": today_jst().isoformat(), "assignee_id": self.world.users["aoki"], **kwargs}
        return self.write(add_task, SYSTEM, property_id=self.world.properties[house], **fields)

    def reassign(self, task_key: str, login: str) -> None:
        self.write(reassign_task, SYSTEM, self.world.tasks[task_key], self.world.users[login])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_server(tmp: Path) -> LiveServer:
    world = build_world(tmp / "akiya.sqlite3")
    data_dir = tmp / "data"
    port = _free_port()
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/akiya"), "serve", "--db", str(world.db_path), "--data-dir", str(data_dir),
         "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=sys.stderr)
    base = f"http://127.0.0.1:{port}"
    server = LiveServer(world, data_dir, base, process)
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            raise RuntimeError("the akiya server did not start")
        time.sleep(0.1)
