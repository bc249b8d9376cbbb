"""Direct looks at (and small changes to) a test's database file, beside the running app."""

from __future__ import annotations

import sqlite3
from contextlib import closing


def query(settings, sql: str, *params) -> list[tuple]:
    with closing(sqlite3.connect(settings.db)) as conn:
        return conn.execute(sql, params).fetchall()


def execute(settings, sql: str, *params) -> None:
    with closing(sqlite3.connect(settings.db, isolation_level=None)) as conn:
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute(sql, params)


def count(settings, table: str, where: str = "1", *params) -> int:
    return query(settings, f"SELECT count(*) FROM {table} WHERE {where}", *params)[0][0]
