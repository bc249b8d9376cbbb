"""The audit log: who did what, when, from which device. Written inside the same transaction."""

from __future__ import annotations

import msgspec
import aiosqlite

from server.core.clock import now_iso


class Actor(msgspec.Struct, frozen=True):
    """Who is acting: a signed-in user from a device/address, or the system (CLI, scheduler)."""

    user_id: int | None = None
    device_id: str | None = None
    client_addr: str | None = None


SYSTEM = Actor()

_INSERT = """
INSERT INTO audit_log (at, user_id, device_id, client_addr, action, entity, entity_id, details)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
"""


async def record(
    conn: aiosqlite.Connection,
    actor: Actor,
    action: str,
    entity: str | None = None,
    entity_id: str | int | None = None,
    details: dict | None = None,
) -> None:
    await conn.execute(
        _INSERT,
        (
            now_iso(),
            actor.user_id,
            actor.device_id,
            actor.client_addr,
            action,
            entity,
            None if entity_id is None else str(entity_id),
            msgspec.json.encode(details or {}).decode(),
        ),
    )


def audit_rows(entries: list[tuple]) -> list[tuple]:
    """Rows for executemany(_INSERT, ...) when a batch writes many entries at once."""
    at = now_iso()
    return [
        (at, actor.user_id, actor.device_id, actor.client_addr, action, entity,
         None if entity_id is None else str(entity_id), msgspec.json.encode(details or {}).decode())
        for actor, action, entity, entity_id, details in entries
    ]


INSERT_SQL = _INSERT
