"""The same door into PostgreSQL (AKIYA_DB=postgresql://...): `write(fn, *args)` runs
`fn(conn, *args)` as one transaction, `read()` lends a connection for a block.

The query code is written against aiosqlite: `await conn.execute(sql, params)` (or
`async with conn.execute(...) as cur`), `fetchone/fetchall`, `executemany`, `execute_fetchall`,
`cur.rowcount`, `cur.lastrowid`, `?` placeholders and rows read by position or by column name.
`PgConnection` gives psycopg 3 that shape:

- `?` becomes `%s` (and `?N` a named parameter) outside string literals, quoted identifiers and
  comments; a literal `%` is doubled. Each statement's translation is cached.
- Rows are tuples that also answer `row["column"]` and `row.keys()` (like sqlite3.Row), so
  `dict(row)` works too.
- `lastrowid`: an INSERT without RETURNING into a table with an identity `id` column gets
  `RETURNING id` appended (no extra round trip); the last id returned is `cur.lastrowid`.
- `executemany` is psycopg's, which runs in pipeline mode: a batch of statements is one round
  trip, so group commit (server/sync/group.py) keeps its effect.
- A bare `BEGIN` (a read transaction, e.g. server/sync/pull.py) starts a REPEATABLE READ
  transaction: one snapshot for all its statements, as a SQLite read transaction in WAL mode.

What it does not do: translate SQLite's SQL dialect (INSERT OR IGNORE, strftime, json_extract,
GROUP_CONCAT, scalar max(a, b) ...). Queries that use those need a portable spelling; see
docs/postgres-port.md.

Writers: `writers` connections (default 1) run write transactions, so one process still applies
one write transaction at a time as with SQLite; several processes write concurrently, and what
must happen exactly once rests on database rules (unique constraints, INSERT ... ON CONFLICT).
A transaction aborted by a deadlock or a serialization failure is run again (`write`). The change
log's rows are inserted at the end of their transaction under an advisory lock, so they become
visible in `seq` order (`PgConnection.serialise_change_log`, `log_changes`): the pull cursor stays
gap-free.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import psycopg
import psycopg.conninfo
from psycopg.types.datetime import DateBinaryLoader, DateLoader
from psycopg_pool import AsyncConnectionPool

from server.db.url_password import hidden, hide_in_logs
from server.observe.metrics import checked_out

T = TypeVar("T")

log = logging.getLogger("akiya")


# ---------------------------------------------------------------------------------------------
# Rows: tuples that can also be read by column name.

class _RowBase(tuple):
    __slots__ = ()
    _index: dict[str, int] = {}
    _names: tuple[str, ...] = ()

    def __getitem__(self, key):
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._index[key])
            except KeyError:
                lowered = key.lower()  # PostgreSQL folds unquoted names to lower case
                if lowered in self._index:
                    return tuple.__getitem__(self, self._index[lowered])
                raise IndexError(f"No item with that key: {key!r}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)

    def __repr__(self) -> str:
        return "Row(" + ", ".join(f"{n}={v!r}" for n, v in zip(self._names, self)) + ")"


@functools.lru_cache(maxsize=2048)
def _row_class(names: tuple[str, ...]) -> type[_RowBase]:
    return type("Row", (_RowBase,), {"__slots__": (), "_names": names,
                                     "_index": {n: i for i, n in reversed(list(enumerate(names)))}})


def row_factory(cursor: psycopg.AsyncCursor) -> Callable[[Sequence[Any]], Any]:
    """psycopg row factory giving sqlite3.Row-like tuples."""
    description = cursor.description
    if description is None:
        return tuple
    return _row_class(tuple(column.name for column in description))


# Dates: a DATE column (watch subscription periods, migration 0019) reads as ISO text YYYY-MM-DD,
# as the same column does on SQLite, so every reader sees one kind of value on both engines.

class _IsoDayLoader(DateLoader):
    def load(self, data) -> str:
        return super().load(data).isoformat()


class _IsoDayBinaryLoader(DateBinaryLoader):
    def load(self, data) -> str:
        return super().load(data).isoformat()


def read_dates_as_iso(conn: psycopg.AsyncConnection | psycopg.Connection) -> None:
    """Make `conn` give DATE values as ISO text (a datetime.date otherwise)."""
    conn.adapters.register_loader("date", _IsoDayLoader)
    conn.adapters.register_loader("date", _IsoDayBinaryLoader)


async def _configure(conn: psycopg.AsyncConnection) -> None:
    read_dates_as_iso(conn)


# ---------------------------------------------------------------------------------------------
# SQL: `?` placeholders to psycopg's.

_SIMPLE, _NUMBERED = "simple", "numbered"


@functools.lru_cache(maxsize=4096)
def translate(sql: str, with_params: bool = True) -> tuple[str, str | None]:
    """(psycopg SQL, placeholder style) for SQL written with sqlite3's `?` / `?N` placeholders.

    Without parameters psycopg sends the text as it is, so nothing changes. With them, `?`
    becomes `%s`, `?N` becomes `%(pN)s`, and every literal `%` (psycopg reads `%` everywhere,
    even inside quotes) becomes `%%`. Placeholders inside '...' strings, "..." identifiers,
    -- comments and /* */ comments are text and stay as they are.
    """
    if not with_params:
        return sql, None
    out: list[str] = []
    style: str | None = None
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in ("'", '"'):
            end = i + 1
            while True:  # a doubled quote inside is an escaped quote
                end = sql.find(ch, end)
                if end == -1:
                    end = n
                    break
                if end + 1 < n and sql[end + 1] == ch:
                    end += 2
                    continue
                end += 1
                break
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end == -1 else end
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            end = n if end == -1 else end + 2
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif ch == "?":
            j = i + 1
            while j < n and sql[j].isdigit():
                j += 1
            this = _NUMBERED if j > i + 1 else _SIMPLE
            if style not in (None, this):
                raise ValueError(f"mixed ? and ?N placeholders: {sql!r}")
            style = this
            out.append(f"%(p{sql[i + 1:j]})s" if this == _NUMBERED else "%s")
            i = j
        elif ch == "%":
            out.append("%%")
            i += 1
        else:
            j = i + 1
            while j < n and sql[j] not in "'\"-/?%":
                j += 1
            out.append(sql[i:j])
            i = j
    return "".join(out), style


def _params(style: str | None, params: Any) -> Any:
    if style == _NUMBERED and not isinstance(params, Mapping):
        return {f"p{k}": v for k, v in enumerate(params, start=1)}
    return params


_INSERT = re.compile(r"^\s*INSERT\s+(?:INTO\s+)?\"?([A-Za-z_][A-Za-z0-9_]*)\"?", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)
_BEGIN = re.compile(r"^\s*BEGIN(?:\s+(DEFERRED|IMMEDIATE|EXCLUSIVE))?(?:\s+TRANSACTION)?\s*;?\s*$", re.IGNORECASE)

_TRANSACTION_EDGE = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|END)\b", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def _returning_id(sql: str, identity_tables: frozenset[str]) -> str | None:
    """The statement with `RETURNING id` appended, for an INSERT into a table with an identity id."""
    match = _INSERT.match(sql)
    if not match or match[1].lower() not in identity_tables or _RETURNING.search(sql):
        return None
    return sql.rstrip().rstrip(";") + " RETURNING id"


@functools.lru_cache(maxsize=64)
def _begin(sql: str) -> str | None:
    match = _BEGIN.match(sql)
    if not match:
        return None
    if match[1] and match[1].upper() in ("IMMEDIATE", "EXCLUSIVE"):
        return "BEGIN"  # a write transaction: READ COMMITTED, rows locked as they are written
    return "BEGIN ISOLATION LEVEL REPEATABLE READ"  # a read transaction: one snapshot


# ---------------------------------------------------------------------------------------------
# Connection and cursor with aiosqlite's shape.

class PgCursor:
    def __init__(self, cursor: psycopg.AsyncCursor, lastrowid: int | None = None, rows: list | None = None):
        self._cursor = cursor
        self.lastrowid = lastrowid
        self._rows = rows  # rows already read (RETURNING id added by the adapter)

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def description(self):
        return self._cursor.description

    async def fetchone(self):
        if self._rows is not None:
            return self._rows.pop(0) if self._rows else None
        return await self._cursor.fetchone()

    async def fetchall(self) -> list:
        if self._rows is not None:
            rows, self._rows = self._rows, []
            return rows
        return await self._cursor.fetchall()

    async def fetchmany(self, size: int | None = None) -> list:
        if self._rows is not None:
            size = len(self._rows) if size is None else size
            rows, self._rows = self._rows[:size], self._rows[size:]
            return rows
        return await self._cursor.fetchmany(size or self._cursor.arraysize)

    def __aiter__(self):
        return self._iterate()

    async def _iterate(self):
        while (row := await self.fetchone()) is not None:
            yield row

    async def close(self) -> None:
        await self._cursor.close()

    async def __aenter__(self) -> "PgCursor":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()


class _Pending:
    """What `conn.execute(...)` returns: awaitable, or usable as `async with ... as cur`."""

    def __init__(self, run: Awaitable[PgCursor]):
        self._run = run
        self._cursor: PgCursor | None = None

    def __await__(self):
        return self._run.__await__()

    async def __aenter__(self) -> PgCursor:
        self._cursor = await self._run
        return self._cursor

    async def __aexit__(self, *exc) -> None:
        if self._cursor is not None:
            await self._cursor.close()


# The key of the transaction-level advisory lock every change-log writer takes (any constant
# that no other lock uses; migrate_pg.py's is another).
CHANGE_LOG_LOCK = 0x616B_6979_6163_6C01  # "akiyacl" + 1


class PgConnection:
    """A psycopg AsyncConnection (autocommit, transactions explicit) with aiosqlite's methods."""

    def __init__(self, conn: psycopg.AsyncConnection, identity_tables: frozenset[str] = frozenset(),
                 defer_change_log: bool = False):
        self.raw = conn
        self._identity_tables = identity_tables
        self._change_log_locked = False
        self._deferred: list[tuple[str, list]] | None = [] if defer_change_log else None

    async def serialise_change_log(self) -> None:
        """Make this transaction's change-log rows commit in `seq` order with everyone else's.

        `change_log.seq` values are taken at insert; commits land in any order, so without this a
        reader paging `seq > cursor` could see 12 before 11 commits and skip 11 for ever. The
        transaction takes one advisory lock before its first change-log insert and keeps it until
        it commits or rolls back (PostgreSQL makes the commit visible before it releases the
        lock), so the next writer's seqs are taken only after this one's rows are visible: the
        visible order is the commit order."""
        if not self._change_log_locked:
            await self.raw.execute("SELECT pg_advisory_xact_lock(%s)", (CHANGE_LOG_LOCK,))
            self._change_log_locked = True

    async def log_changes(self, sql: str, rows: list) -> None:
        """Change-log rows of this transaction. In a `PostgresDatabase.write` transaction they are
        kept until its function has returned and inserted just before the commit (`flush_change_log`),
        so the lock above is held for that insert and the commit only, however long the
        transaction (a month's schedule, a disaster sweep) and without waiting for any row lock
        while holding it. Elsewhere they are inserted at once, under the lock."""
        if self._deferred is not None:
            self._deferred.append((sql, list(rows)))
            return
        await self.serialise_change_log()
        await self.executemany(sql, rows)

    async def flush_change_log(self) -> None:
        """Insert the kept change-log rows under the lock (called by `write` before it commits)."""
        deferred, self._deferred = self._deferred, None
        if deferred:
            await self.serialise_change_log()
            for sql, rows in deferred:
                await self.executemany(sql, rows)

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> _Pending:
        return _Pending(self._execute(sql, params))

    async def _execute(self, sql: str, params) -> PgCursor:
        if params is None and _TRANSACTION_EDGE.match(sql):
            self._change_log_locked = False  # a transaction starts or ends: its lock is gone
            if (begin := _begin(sql)) is not None:
                sql = begin
        returning = _returning_id(sql, self._identity_tables) if self._identity_tables else None
        query, style = translate(returning or sql, params is not None)
        cursor = self.raw.cursor()
        try:
            await cursor.execute(query, _params(style, params) if params is not None else None)
            if returning is None:
                return PgCursor(cursor)
            rows = await cursor.fetchall()
        except BaseException:
            await cursor.close()
            raise
        return PgCursor(cursor, lastrowid=rows[-1][0] if rows else None, rows=[])

    async def executemany(self, sql: str, seq_of_params: Iterable[Sequence[Any] | Mapping[str, Any]]) -> PgCursor:
        query, style = translate(sql, True)
        cursor = self.raw.cursor()
        try:
            await cursor.executemany(query, [_params(style, p) for p in seq_of_params])
        except BaseException:
            await cursor.close()
            raise
        return PgCursor(cursor)

    async def execute_fetchall(self, sql: str, params=None) -> list:
        async with self.execute(sql, params) as cur:
            return await cur.fetchall()

    async def commit(self) -> None:
        await self.raw.commit()
        self._change_log_locked = False

    async def rollback(self) -> None:
        await self.raw.rollback()
        self._change_log_locked = False


# ---------------------------------------------------------------------------------------------
# The database: a pool of writers and a pool of readers.

async def identity_tables(conn: psycopg.AsyncConnection) -> frozenset[str]:
    """Tables of the current schema whose `id` column takes its value from a sequence."""
    cur = await conn.execute(
        "SELECT table_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND column_name = 'id' "
        "AND (is_identity = 'YES' OR column_default LIKE 'nextval(%%')", ())
    return frozenset(row[0] for row in await cur.fetchall())


# Conflicts PostgreSQL resolves by aborting one transaction, which may simply be run again.
RETRYABLE = (psycopg.errors.SerializationFailure, psycopg.errors.DeadlockDetected)  # 40001, 40P01
WRITE_ATTEMPTS = 5
RETRY_PAUSE = 0.02  # seconds: the first pause is up to this, each next one up to twice the last


def _without_password(exc: Exception, url: str) -> Exception:
    """`exc` again with its message free of `url`'s password (same type where it can be made)."""
    message = hidden(str(exc), url)
    if message == str(exc):
        return exc
    try:
        return type(exc)(message)
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {message}")


class PostgresDatabase:
    """`Database`'s interface on PostgreSQL. `url` is a libpq URL: postgresql://user@host:port/db."""

    def __init__(self, url: str, readers: int = 4, writers: int = 1, migrate: bool = True,
                 start_seconds: float = 30.0):
        self.url = url
        self._start_seconds = start_seconds
        self._migrate = migrate
        self._readers = readers
        self._writers = writers
        self._write_pool: AsyncConnectionPool | None = None
        self._read_pool: AsyncConnectionPool | None = None
        self._identity_tables: frozenset[str] = frozenset()

    async def open(self) -> "PostgresDatabase":
        try:
            return await self._open()
        except Exception as exc:  # the driver's message may quote the URL's password
            raise _without_password(exc, self.url) from None

    async def _open(self) -> "PostgresDatabase":
        hide_in_logs(self.url)  # psycopg_pool logs each failed connection with the driver's message
        psycopg.conninfo.conninfo_to_dict(self.url)  # a malformed URL fails here, not after the pool's timeout
        # Pools are made here, inside the event loop that will use them.
        kwargs = {"row_factory": row_factory, "autocommit": True}
        self._write_pool = AsyncConnectionPool(self.url, min_size=self._writers, max_size=self._writers,
                                               open=False, kwargs=kwargs, configure=_configure, name="akiya-write")
        self._read_pool = AsyncConnectionPool(self.url, min_size=1, max_size=self._readers,
                                              open=False, kwargs=kwargs, configure=_configure, name="akiya-read")
        try:
            await self._write_pool.open(wait=True, timeout=self._start_seconds)
            await self._read_pool.open(wait=True, timeout=self._start_seconds)
            async with self._write_pool.connection() as conn:
                if self._migrate:
                    from server.db.migrate_pg import apply_migrations_pg
                    await apply_migrations_pg(conn)
                self._identity_tables = await identity_tables(conn)
        except BaseException:
            await self.close()
            raise
        return self

    async def refresh_schema(self) -> None:
        """Read again which tables have identity ids (after creating tables outside migrations)."""
        async with self._write_pool.connection() as conn:
            self._identity_tables = await identity_tables(conn)

    async def close(self) -> None:
        for pool in (self._read_pool, self._write_pool):
            if pool is not None:
                await pool.close()
        self._read_pool = self._write_pool = None

    async def __aenter__(self) -> "PostgresDatabase":
        return await self.open()

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def write(self, fn: Callable[..., Awaitable[T]], *args, **kwargs) -> T:
        """Run `fn(conn, *args, **kwargs)` as one transaction on a writer connection.

        A transaction that PostgreSQL aborts to resolve a conflict with another one (a deadlock,
        40P01, or a serialization failure, 40001: the other process's transaction goes through)
        is run again from the start, up to `WRITE_ATTEMPTS` times in all, after a short random
        pause so the two do not meet again in step. `fn` must therefore do nothing outside the
        database that cannot be done twice (every `write` function only runs SQL)."""
        assert self._write_pool is not None, "database is not open"
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                waiting = time.perf_counter()
                async with self._write_pool.connection() as raw, raw.transaction():
                    with checked_out("writer", waiting):
                        conn = PgConnection(raw, self._identity_tables, defer_change_log=True)
                        result = await fn(conn, *args, **kwargs)
                        await conn.flush_change_log()
                        return result
            except RETRYABLE as exc:
                if attempt == WRITE_ATTEMPTS:
                    raise
                pause = random.uniform(0, RETRY_PAUSE * 2 ** (attempt - 1))
                log.warning("write transaction %s aborted (%s, SQLSTATE %s): attempt %d of %d again in %.0f ms",
                            getattr(fn, "__qualname__", fn), type(exc).__name__, exc.sqlstate,
                            attempt + 1, WRITE_ATTEMPTS, pause * 1000)
                await asyncio.sleep(pause)
        raise AssertionError("unreachable")

    @asynccontextmanager
    async def read(self) -> AsyncIterator[PgConnection]:
        """Check out a reader connection for the duration of the block."""
        assert self._read_pool is not None, "database is not open"
        waiting = time.perf_counter()
        async with self._read_pool.connection() as raw:
            conn = PgConnection(raw, self._identity_tables)
            try:
                with checked_out("reader", waiting):
                    yield conn
            finally:
                if conn.in_transaction:
                    await raw.rollback()
