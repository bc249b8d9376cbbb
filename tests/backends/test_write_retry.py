"""PostgresDatabase.write runs a transaction again when PostgreSQL aborts it for a deadlock (40P01)
or a serialization failure (40001), a bounded number of times; other errors go straight through."""

from __future__ import annotations

import asyncio

import psycopg
import pytest

from server.db.postgres import WRITE_ATTEMPTS, PostgresDatabase
from tests.support.backends import fresh_postgres_url, postgres_template, postgres_url  # noqa: F401 (fixtures)


async def _counters(db: PostgresDatabase) -> None:
    async def create(conn):
        await conn.execute("CREATE TABLE counters (name TEXT PRIMARY KEY, n BIGINT NOT NULL)")
        await conn.execute("INSERT INTO counters (name, n) VALUES ('x', 0), ('y', 0)")
    await db.write(create)


def test_a_deadlock_between_two_connections_is_resolved_by_running_the_loser_again(fresh_postgres_url):
    async def scenario():
        one, two = PostgresDatabase(fresh_postgres_url, readers=1), PostgresDatabase(fresh_postgres_url, readers=1)
        async with one, two:
            await _counters(one)
            both_hold_one_row = asyncio.Barrier(2)
            runs = {"x-then-y": 0, "y-then-x": 0}

            async def cross(conn, first, second, name):
                runs[name] += 1
                await conn.execute("SET LOCAL deadlock_timeout = '50ms'")
                await conn.execute("UPDATE counters SET n = n + 1 WHERE name = ?", (first,))
                if runs[name] == 1:  # the first time, each waits until the other holds its first row
                    await both_hold_one_row.wait()
                await conn.execute("UPDATE counters SET n = n + 1 WHERE name = ?", (second,))
                return name

            done = await asyncio.wait_for(asyncio.gather(
                one.write(cross, "x", "y", "x-then-y"), two.write(cross, "y", "x", "y-then-x")), timeout=20)
            async with one.read() as conn:
                counts = dict(await conn.execute_fetchall("SELECT name, n FROM counters ORDER BY name"))
            return done, runs, counts

    done, runs, counts = asyncio.run(scenario())
    assert done == ["x-then-y", "y-then-x"]  # both writes went through
    assert sorted(runs.values()) == [1, 2]  # PostgreSQL aborted one of them once; it ran again
    assert counts == {"x": 2, "y": 2}  # and the aborted attempt left nothing behind


def test_serialization_failures_are_retried_a_bounded_number_of_times(fresh_postgres_url):
    async def scenario():
        async with PostgresDatabase(fresh_postgres_url, readers=1) as db:
            await _counters(db)
            calls = {"flaky": 0, "hopeless": 0}

            async def fail(conn):
                await conn.execute("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$")

            async def flaky(conn):  # fails twice, then goes through
                calls["flaky"] += 1
                await conn.execute("UPDATE counters SET n = n + 1 WHERE name = 'x'")
                if calls["flaky"] < 3:
                    await fail(conn)
                return "ok"

            async def hopeless(conn):
                calls["hopeless"] += 1
                await fail(conn)

            assert await db.write(flaky) == "ok"
            with pytest.raises(psycopg.errors.SerializationFailure):
                await db.write(hopeless)
            async with db.read() as conn:
                x = (await conn.execute_fetchall("SELECT n FROM counters WHERE name = 'x'"))[0][0]
            return calls, x

    calls, x = asyncio.run(scenario())
    assert calls == {"flaky": 3, "hopeless": WRITE_ATTEMPTS}
    assert x == 1  # the two aborted attempts were rolled back


def test_other_errors_are_not_retried(fresh_postgres_url):
    async def scenario():
        async with PostgresDatabase(fresh_postgres_url, readers=1) as db:
            await _counters(db)
            calls = 0

            async def duplicate(conn):
                nonlocal calls
                calls += 1
                await conn.execute("INSERT INTO counters (name, n) VALUES ('x', 9)")

            with pytest.raises(psycopg.errors.UniqueViolation):
                await db.write(duplicate)
            return calls

    assert asyncio.run(scenario()) == 1
