"""Copying the rows: SQLite → PostgreSQL with COPY, ids as they are, sequences moved past them.

COPY streams a table in one statement (faster than batched INSERTs by a wide margin, and one
round trip per table); rows are read from SQLite in batches, so memory stays flat whatever the size.
Deferred columns (server/ops/migrate_to/tables.py) go in as NULL and are set by batched UPDATEs.
Identity sequences are set past the largest id, and past SQLite's AUTOINCREMENT high-water mark
(`sqlite_sequence`) where there is one, so `change_log.seq` never hands out a number a phone's
pull cursor has already passed.
"""

from __future__ import annotations

import sqlite3

import psycopg

from server.ops.migrate_to.tables import Table, quote

BATCH = 5000


async def tables_with_rows(conn: psycopg.AsyncConnection, tables: list[Table]) -> dict[str, int]:
    """Row counts of the tables that already hold rows on the target."""
    found = {}
    for table in tables:
        cur = await conn.execute(f"SELECT count(*) FROM {quote(table.name)}")
        count = (await cur.fetchone())[0]
        if count:
            found[table.name] = count
    return found


async def postgres_columns(conn: psycopg.AsyncConnection) -> dict[str, dict[str, str]]:
    """table → column → data type, of the target's current schema."""
    cur = await conn.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema()")
    found: dict[str, dict[str, str]] = {}
    for table, column, data_type in await cur.fetchall():
        found.setdefault(table, {})[column] = data_type
    return found


async def copy_table(source: sqlite3.Connection, target: psycopg.AsyncConnection, table: Table) -> tuple[int, list]:
    """Every row of `table`, deferred columns as NULL: (rows copied, what `set_deferred` must set later)."""
    columns = ", ".join(quote(c) for c in table.columns)
    deferred = [table.columns.index(c) for c in table.deferred]
    keys = [table.columns.index(c) for c in table.key]
    later: list[tuple] = []  # (deferred values..., key values...) of rows with a deferred reference
    cur = source.execute(f"SELECT {columns} FROM {quote(table.name)} ORDER BY {', '.join(quote(c) for c in table.key)}")
    count = 0
    async with target.cursor() as pg:
        async with pg.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
            while rows := cur.fetchmany(BATCH):
                for row in rows:
                    if deferred and any(row[i] is not None for i in deferred):
                        later.append(tuple(row[i] for i in deferred) + tuple(row[i] for i in keys))
                        row = tuple(None if i in deferred else v for i, v in enumerate(row))
                    await copy.write_row(row)
                count += len(rows)
    return count, later


async def set_deferred(target: psycopg.AsyncConnection, table: Table, later: list[tuple]) -> None:
    """The deferred references, once every table they point to is in (batched UPDATEs)."""
    if not later:
        return
    sets = ", ".join(f"{quote(c)} = %s" for c in table.deferred)
    where = " AND ".join(f"{quote(c)} = %s" for c in table.key)
    async with target.cursor() as pg:
        for start in range(0, len(later), BATCH):
            await pg.executemany(f"UPDATE {quote(table.name)} SET {sets} WHERE {where}", later[start:start + BATCH])


async def reset_sequences(source: sqlite3.Connection, target: psycopg.AsyncConnection,
                          tables: list[Table]) -> dict[str, int]:
    """Move every identity sequence of the copied tables past the ids copied; table.column → next value."""
    names = {t.name for t in tables}
    cur = await target.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND (is_identity = 'YES' OR column_default LIKE 'nextval(%%')", ())
    high_water = {}
    if source.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone():
        high_water = dict(source.execute("SELECT name, seq FROM sqlite_sequence").fetchall())
    moved = {}
    for table, column in sorted(await cur.fetchall()):
        if table not in names:
            continue
        largest = (await (await target.execute(f"SELECT max({quote(column)}) FROM {quote(table)}")).fetchone())[0]
        last = max(largest or 0, high_water.get(table) or 0)
        sequence = "pg_get_serial_sequence(%s, %s)"
        if last:
            await target.execute(f"SELECT setval({sequence}, %s, true)", (quote(table), column, last))
        else:
            await target.execute(f"SELECT setval({sequence}, 1, false)", (quote(table), column))
        moved[f"{table}.{column}"] = last + 1
    return moved
