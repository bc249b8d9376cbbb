"""The change log behind the pull cursor: every change a phone must hear of, in order.

It sits beside the audit log (server/core/audit.py) and, like it, is written inside the transaction
that makes the change; every package that changes what a phone holds writes here and only the
pull (server/sync/pull.py) reads it.

The pull pages by `seq > cursor`, so rows must become visible in `seq` order: every insert goes
through `insert_change_log` (at once on SQLite; on PostgreSQL at the end of the transaction under
an advisory lock: see server/db/__init__.py)."""

from __future__ import annotations

import aiosqlite
import msgspec

from server.db import insert_change_log

INSERT_SQL = "INSERT INTO change_log (entity, entity_id, user_id, previous_user_id) VALUES (?, ?, ?, ?)"


class Change(msgspec.Struct):
    """One entry; `user_id` is whose phone should hear of it (None: every phone holding it)."""

    entity: str  # task | property | inspection
    entity_id: str
    user_id: int | None = None
    previous_user_id: int | None = None  # for a reassignment: the phone it was taken from


def change_row(change: Change) -> tuple:
    return (change.entity, change.entity_id, change.user_id, change.previous_user_id)


async def log_change(conn: aiosqlite.Connection, entity: str, entity_id: str, user_id: int | None,
                     previous_user_id: int | None = None) -> None:
    await insert_change_log(conn, INSERT_SQL, [(entity, entity_id, user_id, previous_user_id)])


async def log_changes(conn: aiosqlite.Connection, changes: list[Change]) -> None:
    """Many entries with one executemany (the push's batch)."""
    if changes:
        await insert_change_log(conn, INSERT_SQL, [change_row(c) for c in changes])


async def latest_seq(conn: aiosqlite.Connection) -> int:
    async with conn.execute("SELECT coalesce(max(seq), 0) AS seq FROM change_log") as cur:
        return (await cur.fetchone())["seq"]


async def changed_since(conn: aiosqlite.Connection, entity: str, since: int, user_id: int | None = None,
                        include_previous: bool = False) -> list[str]:
    """Ids of `entity` changed after `since`: for everyone (no user), or for a user's phone (with
    `include_previous`, also what was taken from it)."""
    if user_id is None:
        sql = "SELECT entity_id FROM change_log WHERE entity = ? AND seq > ?"
        params: tuple = (entity, since)
    elif include_previous:
        sql = """SELECT entity_id FROM change_log
                 WHERE entity = ? AND seq > ? AND (user_id = ? OR previous_user_id = ?)"""
        params = (entity, since, user_id, user_id)
    else:
        sql = "SELECT entity_id FROM change_log WHERE entity = ? AND seq > ? AND user_id = ?"
        params = (entity, since, user_id)
    # In the order of their first change since the cursor: the same answer on both engines.
    sql += " GROUP BY entity_id ORDER BY min(seq)"
    async with conn.execute(sql, params) as cur:
        return [row["entity_id"] for row in await cur.fetchall()]


def changed_for_sql(entity: str) -> str:
    """A condition on an id column: the entity changed for a user's phone after a seq (params: since, user_id)."""
    return f"(SELECT entity_id FROM change_log WHERE entity = '{entity}' AND seq > ? AND user_id = ?)"
