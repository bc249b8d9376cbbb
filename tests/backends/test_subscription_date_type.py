"""Migration 0019 on PostgreSQL: watch subscription periods become DATE columns. Text stored before
0014's CHECK that is no real day stops it, naming the subscription, with nothing changed; once the
row is corrected the migration goes through and the periods read back as ISO text."""

from __future__ import annotations

import asyncio

import psycopg
import pytest

from server.db.migrate_pg import apply_migrations_pg
from server.db.postgres import read_dates_as_iso
from tests.foundation.test_migrations import migration_named
from tests.support.backends import _database, _server_url

NUMBER = migration_named("subscription_date_type")
BEFORE_CHECKS = migration_named("subscription_dates") - 1


async def _through_0019_with_a_period_ending_on(url: str, end_date: str) -> list:
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        read_dates_as_iso(conn)
        await apply_migrations_pg(conn, upto=BEFORE_CHECKS)
        async with conn.transaction():
            await conn.execute("SET LOCAL session_replication_role = replica")  # no house or owner needed
            await conn.execute("""INSERT INTO watch_subscriptions (id, property_id, owner_id, start_date, end_date,
                                  created_at, updated_at) VALUES (6, 'h6', 1, '2026-04-01', NULL, 'x', 'x'),
                                  (7, 'h7', 2, '2026-04-01', %s, 'x', 'x')""", (end_date,))
        await apply_migrations_pg(conn, upto=NUMBER - 1)
        with pytest.raises(RuntimeError, match=r"watch_subscriptions 7 have start_date or end_date that is not a day"):
            await apply_migrations_pg(conn, upto=NUMBER)
        cur = await conn.execute("SELECT end_date FROM watch_subscriptions WHERE id = 7")
        assert await cur.fetchall() == [(end_date,)]  # still the text it was

        await conn.execute("UPDATE watch_subscriptions SET end_date = '2026-07-01' WHERE id = 7")
        assert await apply_migrations_pg(conn, upto=NUMBER) == NUMBER
        cur = await conn.execute("""SELECT data_type FROM information_schema.columns
                                    WHERE table_name = 'watch_subscriptions' AND column_name IN ('start_date', 'end_date')""")
        assert await cur.fetchall() == [("date",), ("date",)]
        cur = await conn.execute("SELECT id, start_date, end_date FROM watch_subscriptions ORDER BY id")
        return await cur.fetchall()


def test_a_period_that_is_no_day_stops_0019_until_corrected_then_periods_are_dates(postgres_server):
    with _database("test") as name:
        rows = asyncio.run(_through_0019_with_a_period_ending_on(_server_url(name), "2026/07/01"))
    assert rows == [(6, "2026-04-01", None), (7, "2026-04-01", "2026-07-01")]
