"""One door into SQLite: a single writer connection under a lock, a small pool of readers.

Every write is a whole function run inside BEGIN IMMEDIATE ... COMMIT on the writer, so a
request is one transaction and its audit row commits with it. Readers are checked out
exclusively, so no two tasks ever share a connection's transaction.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

import aiosqlite

from server.db.migrate import apply_migrations
from server.observe.metrics import checked_out

T = TypeVar("T")

# synchronous=NORMAL in WAL mode: a commit is in the OS once the call returns, so an
# acknowledged write survives the server process being killed (SIGKILL, crash). Only a
# power cut can lose the last commits; set AKIYA_SQLITE_SYNCHRONOUS=FULL for that.
PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
)


async def connect(path: Path | str, synchronous: str = "NORMAL") -> aiosqlite.Connection:
    conn = await aiosqlite.connect(str(path), isolation_level=None)
    conn.row_factory = sqlite3.Row
    for pragma in PRAGMAS:
        await conn.execute(pragma)
    await conn.execute(f"PRAGMA synchronous={synchronous}")
    return conn


class Database:
    def __init__(self, path: Path | str, readers: int = 4, synchronous: str = "NORMAL"):
        self.path = Path(path)
        self._reader_count = readers
        self._synchronous = synchronous
        self._writer: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        self._readers: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self._all_readers: list[aiosqlite.Connection] = []

    async def open(self) -> "Database":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = await connect(self.path, self._synchronous)
        await apply_migrations(self._writer)
        for _ in range(self._reader_count):
            reader = await connect(self.path, self._synchronous)
            await reader.execute("PRAGMA query_only=ON")
            self._all_readers.append(reader)
            self._readers.put_nowait(reader)
        return self

    async def close(self) -> None:
        for reader in self._all_readers:
            await reader.close()
        self._all_readers.clear()
        if self._writer is not None:
            await self._writer.close()
            self._writer = None

    async def __aenter__(self) -> "Database":
        return await self.open()

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def write(self, fn: Callable[..., Awaitable[T]], *args, **kwargs) -> T:
        """Run `fn(conn, *args, **kwargs)` as one transaction on the single writer."""
        assert self._writer is not None, "database is not open"
        waiting = time.perf_counter()
        async with self._write_lock:
            with checked_out("writer", waiting):
                conn = self._writer
                await conn.execute("BEGIN IMMEDIATE")
                try:
                    result = await fn(conn, *args, **kwargs)
                except BaseException:
                    await conn.execute("ROLLBACK")
                    raise
                await conn.execute("COMMIT")
                return result

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        """Check out a reader connection for the duration of the block."""
        waiting = time.perf_counter()
        reader = await self._readers.get()
        try:
            with checked_out("reader", waiting):
                yield reader
        finally:
            if reader.in_transaction:
                await reader.execute("ROLLBACK")
            self._readers.put_nowait(reader)


async def insert_change_log(conn, sql: str, rows: list) -> None:
    """Insert change-log rows (server/core/changes.py) so that the pull cursor's `seq > cursor` never
    passes a change that commits later: rows must become visible in `seq` order.

    SQLite: inserted at once. One write transaction runs at a time (BEGIN IMMEDIATE, also across
    processes), so seqs commit in order. PostgreSQL: transactions run concurrently; its connection
    inserts them at the end of the transaction under an advisory lock (server/db/postgres.py,
    `PgConnection.log_changes`)."""
    if hasattr(conn, "log_changes"):
        await conn.log_changes(sql, rows)
    else:
        await conn.executemany(sql, rows)


POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(target: Path | str) -> bool:
    """True for a libpq URL (postgresql://...), false for a SQLite file path.

    Pass the setting as text: pathlib.Path("postgresql://h/db") collapses the double slash."""
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def database_for(target: Path | str, readers: int = 4, synchronous: str = "NORMAL", writers: int = 1,
                 start_seconds: float = 30.0):
    """The database AKIYA_DB names, not yet opened: a `postgresql://` URL gives PostgreSQL
    (server/db/postgres.py), anything else is a SQLite file path. Both have `open()`/`close()`,
    `write(fn, *args)` and `read()`. `start_seconds`: how long PostgreSQL may take to accept connections."""
    if is_postgres_url(target):
        from server.db.postgres import PostgresDatabase  # psycopg only when PostgreSQL is used

        return PostgresDatabase(str(target), readers=readers, writers=writers, start_seconds=start_seconds)
    return Database(target, readers=readers, synchronous=synchronous)
