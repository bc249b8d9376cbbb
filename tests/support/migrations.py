"""A database made by the migrations up to one number, given rows, then migrated to the last: how a
migration is tested on the data the previous one left, on either engine."""

from __future__ import annotations

import asyncio
from pathlib import Path

from server.db import connect
from server.db.migrate import apply_migrations
from server.db.migrate_pg import apply_migrations_pg


def sqlite_migrated_over(path: Path, before: int, rows: list[str]) -> None:
    """The SQLite file at `path` with migrations up to `before`, `rows` written, then every later migration."""
    async def run():
        conn = await connect(path)
        try:
            await apply_migrations(conn, upto=before)
            await conn.executescript(";\n".join(rows) + ";")
            await apply_migrations(conn)
        finally:
            await conn.close()

    asyncio.run(run())


async def postgres_migrated_over(conn, before: int, rows: list[str]) -> None:
    """The same on an open PostgreSQL connection (autocommit)."""
    await apply_migrations_pg(conn, upto=before)
    for statement in rows:
        await conn.execute(statement)
    await apply_migrations_pg(conn)
