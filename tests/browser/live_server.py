"""The shared live server (tests/support/live_server.py) over a test world, and Chromium as STACK.md
says to launch it. Shared by the browser tests and bench/field_app.py."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from server.core.audit import SYSTEM
from server.core.clock import today_jst
from server.db import Database
from server.tasks.queries import add_task, reassign_task
from tests.support.live_server import ROOT, LiveServer
from tests.support.world import World, build_world

SAMPLE_PHOTOS = ROOT / "sample_photos"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "locale": "ja-JP", "timezone_id": "Asia/Tokyo", "service_workers": "allow",
         "permissions": ["geolocation"], "geolocation": {"latitude": 35.6871, "longitude": 139.7401, "accuracy": 12}}


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)


class WorldServer(LiveServer):
    """The shared launcher over the test world, with the writes the browser tests make on its
    database from the test's side."""

    def __init__(self, world: World, data_dir: Path):
        super().__init__(world.db_path, data_dir)
        self.world = world

    def write(self, fn, *args, **kwargs):
        """Run `fn(conn, ...)` as one write transaction on the server's database (another process)."""
        async def run():
            async with Database(self.world.db_path, readers=1) as db:
                return await db.write(fn, *args, **kwargs)
        with ThreadPoolExecutor(1) as pool:  # Playwright's sync API already runs a loop in this thread
            return pool.submit(asyncio.run, run()).result()

    def add_task(self, house: str, **kwargs) -> str:
        fields = {"due_date": today_jst().isoformat(), "assignee_id": self.world.users["aoki"], **kwargs}
        return self.write(add_task, SYSTEM, property_id=self.world.properties[house], **fields)

    def reassign(self, task_key: str, login: str) -> None:
        self.write(reassign_task, SYSTEM, self.world.tasks[task_key], self.world.users[login])


def start_server(tmp: Path) -> WorldServer:
    return WorldServer(build_world(tmp / "akiya.sqlite3"), tmp / "data").start()
