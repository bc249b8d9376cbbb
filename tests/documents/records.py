"""Approved visits written straight into a test database, at the dates a test needs, and the
owner's documents built from them and read back with pdftotext."""

from __future__ import annotations

import asyncio
import json
import subprocess
import uuid
from datetime import datetime
from pathlib import Path

import msgspec

from reports import disaster_notice_pdf, load_fonts, owner_monthly_pdf
from server.db import database_for
from server.demo.photos import house_photo
from server.documents import build
from server.photos.store import PhotoStore
from server.rubrics import score
from tests.support.answers import minimal_answers
from tests.support.field import JST, RUBRICS

FONTS = load_fonts()


class Records:
    def __init__(self, world, photos_dir: Path):
        self.world = world
        self.store = PhotoStore(photos_dir)

    def _run(self, fn, *args):
        async def go():
            async with database_for(self.world.db_path, readers=1) as db:
                return await db.write(fn, *args)
        return asyncio.run(go())

    def approved_visit(self, started: datetime, *, version: int, overrides: dict | None = None,
                       options=("airing",), notes: str = "", photos: dict[str, datetime] | None = None,
                       rubric_id: str = "watch_basic", task: str = "watch", house: str = "watched",
                       headings: dict[str, float] | None = None) -> str:
        """An approved visit with answers filled in (minimal + overrides) and photos per slot."""
        rubric = RUBRICS.get(rubric_id, version)
        answers = minimal_answers(rubric, list(options), overrides)
        result = msgspec.to_builtins(score(rubric, answers, list(options)))
        visit_id = str(uuid.uuid4())

        async def write(conn):
            at = started.isoformat()
            await conn.execute(
                """INSERT INTO inspections (id, task_id, property_id, rubric_id, rubric_version, kind, carrier_id,
                   started_at, finished_at, answers, options, notes, body_sha256, result, status, received_at,
                   reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'approved', ?, ?)""",
                (visit_id, self.world.tasks.get(task), self.world.properties[house], rubric_id, version, rubric.kind,
                 self.world.users["aoki"], at, at, json.dumps(answers), json.dumps(list(options)), notes,
                 uuid.uuid4().hex, json.dumps(result), at, at))
            for n, (slot, taken) in enumerate((photos or {}).items()):
                photo_id = str(uuid.uuid4())
                self.store.prepare(photo_id)
                self.store.report(photo_id).write_bytes(house_photo(n + 1, lat=35.687, lon=139.74, taken_at=taken,
                                                                    size=(320, 240)))
                await conn.execute(
                    """INSERT INTO photos (id, inspection_id, slot, sha256, received_at, taken_at, heading)
                       VALUES (?, ?, ?, ?, ?, ?, ?)""",
                    (photo_id, visit_id, slot, "0" * 64, at, taken.isoformat(), (headings or {}).get(slot)))
        self._run(write)
        return visit_id

    def set_requested_spot(self, spot: str) -> None:
        async def write(conn):
            await conn.execute("UPDATE watch_subscriptions SET requested_spot = ? WHERE property_id = ?",
                               (spot, self.world.properties["watched"]))
            await conn.execute(
                "UPDATE tasks SET subscription_id = (SELECT id FROM watch_subscriptions WHERE property_id = ?) WHERE id = ?",
                (self.world.properties["watched"], self.world.tasks["watch"]))
        self._run(write)

    def owner_report(self, month: str):
        async def read():
            async with database_for(self.world.db_path, readers=1) as db:
                async with db.read() as conn:
                    return await build.owner_monthly(conn, RUBRICS, self.store, self.world.properties["watched"], month)
        return asyncio.run(read())

    def disaster_notice(self, inspection_id: str):
        async def read():
            async with database_for(self.world.db_path, readers=1) as db:
                async with db.read() as conn:
                    return await build.disaster_notice(conn, RUBRICS, self.store, inspection_id)
        return asyncio.run(read())


def pdf_text(pdf: bytes, tmp_path: Path, layout: bool = True) -> str:
    """The PDF's text: laid out as on the page, or in reading order (captions stay whole)."""
    path = tmp_path / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def owner_pdf_text(records: Records, month: str, tmp_path: Path, layout: bool = True) -> str:
    return pdf_text(owner_monthly_pdf(records.owner_report(month), FONTS), tmp_path, layout)


def notice_pdf_text(records: Records, inspection_id: str, tmp_path: Path) -> str:
    return pdf_text(disaster_notice_pdf(records.disaster_notice(inspection_id), FONTS), tmp_path)


def jst(*args) -> datetime:
    return datetime(*args, tzinfo=JST)
