"""Migration 0024 on data made before it, on both engines: an owner's request and a subscription keep their
rows with no mark; a mark is a received photo's id and a cell 0–8 of the 3×3 grid, and a cell outside it is
refused by the database too."""

from __future__ import annotations

import asyncio
import sqlite3

import psycopg
import pytest

from tests.support.backends import _database, _server_url
from tests.support.migrations import postgres_migrated_over, sqlite_migrated_over

BEFORE = 23  # the last migration before 0024
ROWS = [
    "INSERT INTO municipalities VALUES ('131016', '千代田区', '東京都')",
    """INSERT INTO properties (id, municipality_code, address, lat, lon, created_at, updated_at)
       VALUES ('h1', '131016', '千代田区1', 35.6, 139.7, 'x', 'x')""",
    "INSERT INTO owners (id, name, created_at) VALUES (1, '小野', 'x')",
    """INSERT INTO watch_subscriptions (id, property_id, owner_id, options, requested_spot, start_date,
                                        created_at, updated_at)
       VALUES (1, 'h1', 1, '[]', '北側の雨どい', '2026-01-01', 'x', 'x')""",
    """INSERT INTO users (id, login, name, role, owner_id, password_hash, created_at)
       VALUES (1, 'ono', '小野', 'owner', 1, 'x', 'x')""",
    """INSERT INTO owner_requests (id, subscription_id, kind, body, asked_by, asked_at)
       VALUES (1, 1, 'spot', '北側の雨どい', 1, 'x')""",
]
MARKED = "UPDATE owner_requests SET spot_photo_id = NULL, spot_cell = 8 WHERE id = 1"
OUTSIDE = "UPDATE watch_subscriptions SET requested_spot_cell = 9 WHERE id = 1"
STATE = """SELECT r.spot_photo_id, r.spot_cell, s.requested_spot, s.requested_spot_photo_id, s.requested_spot_cell
           FROM owner_requests r JOIN watch_subscriptions s ON s.id = r.subscription_id"""
EXPECTED = [(None, 8, "北側の雨どい", None, None)]


def test_requests_and_subscriptions_keep_their_rows_and_take_a_mark_on_sqlite(tmp_path):
    path = tmp_path / "old.sqlite3"
    sqlite_migrated_over(path, BEFORE, ROWS)
    with sqlite3.connect(path) as db:
        db.execute(MARKED)
        with pytest.raises(sqlite3.IntegrityError):
            db.execute(OUTSIDE)
        assert db.execute(STATE).fetchall() == EXPECTED


def test_requests_and_subscriptions_keep_their_rows_and_take_a_mark_on_postgres(postgres_server):
    async def run(url):
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            await postgres_migrated_over(conn, BEFORE, ROWS)
            await conn.execute(MARKED)
            with pytest.raises(psycopg.errors.CheckViolation):
                await conn.execute(OUTSIDE)
            return [tuple(r) for r in await (await conn.execute(STATE)).fetchall()]

    with _database("migration") as name:
        assert asyncio.run(run(_server_url(name))) == EXPECTED
