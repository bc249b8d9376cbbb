"""Migration 0017 on data made before it, on both engines: each option in watch_subscriptions.options
becomes a dated option over the subscription's own period, a paused subscription gets an open pause from
its last change (as a day in Japan), and the menu is there with no price (prices are the admin's)."""

from __future__ import annotations

import asyncio
import sqlite3

import psycopg

from tests.support.backends import _database, _server_url
from tests.support.migrations import postgres_migrated_over, sqlite_migrated_over

BEFORE = 14  # the last migration before 0017 on this branch
ROWS = [
    "INSERT INTO municipalities VALUES ('131016', '千代田区', '東京都')",
    """INSERT INTO properties (id, municipality_code, address, lat, lon, created_at, updated_at)
       VALUES ('h1', '131016', '千代田区1', 35.6, 139.7, 'x', 'x'), ('h2', '131016', '千代田区2', 35.6, 139.7, 'x', 'x')""",
    "INSERT INTO owners (id, name, address, report_delivery, created_at) VALUES (1, '所有者', '', 'web', 'x')",
    """INSERT INTO watch_subscriptions (id, property_id, owner_id, options, start_date, end_date, paused,
                                        created_at, updated_at)
       VALUES (1, 'h1', 1, '["airing", "mail_forward"]', '2025-04-01', '2026-10-31', 0, 'x', '2026-10-01T00:00:00Z'),
              (2, 'h2', 1, '[]', '2026-01-01', NULL, 1, 'x', '2026-11-05T20:00:00Z')""",
]
AFTER = {
    "options": "SELECT subscription_id, service_key, start_date, end_date FROM subscription_options ORDER BY 1, 2",
    "pauses": "SELECT subscription_id, from_date, until_date FROM subscription_pauses",
    "menu": "SELECT count(*), min(kind) FROM services",
    "prices": "SELECT count(*) FROM service_prices",
}
EXPECTED = {
    "options": [(1, "airing", "2025-04-01", "2026-10-31"), (1, "mail_forward", "2025-04-01", "2026-10-31")],
    "pauses": [(2, "2026-11-06", None)],  # 20:00 UTC on the 5th is the 6th in Japan
    "menu": [(10, "base")],
    "prices": [(0,)],
}


def test_the_options_column_becomes_dated_options_on_sqlite(tmp_path):
    path = tmp_path / "old.sqlite3"
    sqlite_migrated_over(path, BEFORE, ROWS)
    with sqlite3.connect(path) as db:
        assert {name: db.execute(sql).fetchall() for name, sql in AFTER.items()} == EXPECTED


def test_the_options_column_becomes_dated_options_on_postgres(postgres_server):
    async def run(url):
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            await postgres_migrated_over(conn, BEFORE, ROWS)
            return {name: [tuple(r) for r in await (await conn.execute(sql)).fetchall()] for name, sql in AFTER.items()}

    with _database("migration") as name:
        assert asyncio.run(run(_server_url(name))) == EXPECTED
