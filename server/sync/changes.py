"""The change log behind the pull cursor: every change a phone must hear of, in order."""

from __future__ import annotations

import aiosqlite

INSERT = "INSERT INTO change_log (entity, entity_id, user_id, previous_user_id) VALUES (?, ?, ?, ?)"


async def log_change(conn: aiosqlite.Connection, entity: str, entity_id: str, user_id: int | None,
                     previous_user_id: int | None = None) -> None:
    await conn.execute(INSERT, (entity, entity_id, user_id, previous_user_id))


async def latest_seq(conn: aiosqlite.Connection) -> int:
    async with conn.execute("SELECT coalesce(max(seq), 0) FROM change_log") as cur:
        return (await cur.fetchone())[0]
