"""Migration 0022 on data made before it, on both engines: tasks and inspections keep their rows and
accept the kind 'work' (an owner's ordered work); an unknown kind is still refused."""

from __future__ import annotations

import asyncio
import sqlite3

import psycopg
import pytest

from tests.support.backends import _database, _server_url
from tests.support.migrations import postgres_migrated_over, sqlite_migrated_over

BEFORE = 21  # the last migration before 0022
ROWS = [
    "INSERT INTO municipalities VALUES ('131016', '千代田区', '東京都')",
    """INSERT INTO properties (id, municipality_code, address, lat, lon, created_at, updated_at)
       VALUES ('h1', '131016', '千代田区1', 35.6, 139.7, 'x', 'x')""",
    """INSERT INTO tasks (id, property_id, kind, rubric_id, rubric_version, due_date, created_at, updated_at)
       VALUES ('t-watch', 'h1', 'watch', 'watch_basic', 2, '2026-10-01', 'x', 'x')""",
]
WORK_TASK = """INSERT INTO tasks (id, property_id, kind, rubric_id, rubric_version, due_date, created_at, updated_at)
               VALUES ('t-work', 'h1', 'work', 'option_work', 1, '2026-10-02', 'x', 'x')"""
ODD_TASK = """INSERT INTO tasks (id, property_id, kind, rubric_id, rubric_version, due_date, created_at, updated_at)
              VALUES ('t-odd', 'h1', 'gardening', 'option_work', 1, '2026-10-02', 'x', 'x')"""
TASKS = "SELECT id, kind FROM tasks ORDER BY id"
EXPECTED = [("t-watch", "watch"), ("t-work", "work")]


def test_tasks_accept_the_work_kind_after_the_migration_on_sqlite(tmp_path):
    path = tmp_path / "old.sqlite3"
    sqlite_migrated_over(path, BEFORE, ROWS)
    with sqlite3.connect(path) as db:
        db.execute(WORK_TASK)
        with pytest.raises(sqlite3.IntegrityError):
            db.execute(ODD_TASK)
        assert db.execute(TASKS).fetchall() == EXPECTED
        [(inspections_sql,)] = db.execute("SELECT sql FROM sqlite_master WHERE name = 'inspections'").fetchall()
        assert "'disaster', 'work')" in inspections_sql


def test_tasks_accept_the_work_kind_after_the_migration_on_postgres(postgres_server):
    async def run(url):
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            await postgres_migrated_over(conn, BEFORE, ROWS)
            await conn.execute(WORK_TASK)
            with pytest.raises(psycopg.errors.CheckViolation):
                await conn.execute(ODD_TASK)
            checks = await (await conn.execute(
                "SELECT count(*) FROM pg_constraint WHERE conname = 'inspections_kind_check'"
                " AND pg_get_constraintdef(oid) LIKE '%work%'")).fetchone()
            return [tuple(r) for r in await (await conn.execute(TASKS)).fetchall()], checks[0]

    with _database("migration") as name:
        assert asyncio.run(run(_server_url(name))) == (EXPECTED, 1)
