"""Reading and changing a test's database from the test's side, on either engine.

`rows(db, sql, *params)` and `execute(db, sql, *params)` take what AKIYA_DB says (a SQLite file or
a postgresql:// URL) and SQL written as the server writes it (`?` placeholders, the SQL both
engines accept). Each call is its own connection in autocommit, so a running server sees a
change at once and the test never holds a lock; `reading(db)` keeps one connection for many
queries.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from server.db import is_postgres_url

Query = Callable[..., list[tuple]]  # query(sql, *params) -> rows as tuples


@contextmanager
def reading(db: Path | str, *, writable: bool = False) -> Iterator[Query]:
    """One connection to `db` for several queries: yields `query(sql, *params) -> list of tuples`."""
    if is_postgres_url(db):
        import psycopg

        from server.db.postgres import read_dates_as_iso, translate

        with psycopg.connect(db, autocommit=True) as conn:
            read_dates_as_iso(conn)  # as the server reads them: a DATE is ISO text on both engines
            def query(sql: str, *params) -> list[tuple]:
                cur = conn.execute(translate(sql, with_params=bool(params))[0], params or None)
                return [tuple(row) for row in cur.fetchall()] if cur.description is not None else []

            yield query
        return
    target = str(db) if writable else f"file:{db}?mode=ro"
    with closing(sqlite3.connect(target, uri=not writable, isolation_level=None)) as conn:
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute("PRAGMA foreign_keys=ON")
        yield lambda sql, *params: conn.execute(sql, params).fetchall()


def rows(db: Path | str, sql: str, *params) -> list[tuple]:
    """Every row of one query, as tuples."""
    with reading(db) as query:
        return query(sql, *params)


def value(db: Path | str, sql: str, *params):
    """The first column of the first row (None when there is no row)."""
    found = rows(db, sql, *params)
    return found[0][0] if found else None


def execute(db: Path | str, sql: str, *params) -> list[tuple]:
    """Run one statement and commit it; the rows it returns (`INSERT ... RETURNING id`), if any."""
    with reading(db, writable=True) as query:
        return query(sql, *params)
