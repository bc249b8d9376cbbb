"""Houses carriers reported as possibly vacant: the office confirms (active) or dismisses (removed)."""

from __future__ import annotations

import aiosqlite
import msgspec

from server import audit
from server.access import property_condition
from server.properties.queries import settle_candidate
from server.errors import not_found
from server.changes import log_change
from server.users.queries import User


class Candidate(msgspec.Struct):
    id: str
    address: str
    lat: float | None
    lon: float | None
    notes: str
    reported_by: str | None
    created_at: str
    inspection_id: str | None
    photo_id: str | None  # the photo sent with the report, once received


async def candidates_for(conn: aiosqlite.Connection, user: User) -> list[Candidate]:
    if user.role not in ("office", "municipality", "admin"):
        return []
    condition, params = property_condition(user)
    # The report's photo is for the office of the area and admin, not for the municipality.
    photo = ("""(SELECT ph.id FROM photos ph WHERE ph.property_id = p.id AND ph.received_at IS NOT NULL)"""
             if user.role in ("office", "admin") else "NULL")
    async with conn.execute(
        f"""SELECT p.id, p.address, p.lat, p.lon, p.notes, u.name, p.created_at,
                   (SELECT i.id FROM inspections i WHERE i.property_id = p.id ORDER BY i.finished_at DESC LIMIT 1),
                   {photo}
            FROM properties p LEFT JOIN users u ON u.id = p.reported_by
            WHERE p.status = 'candidate' AND {condition} ORDER BY p.created_at""", params) as cur:
        return [Candidate(*r) for r in await cur.fetchall()]


async def decide_candidate(conn: aiosqlite.Connection, actor: audit.Actor, user: User, property_id: str,
                           confirm: bool) -> None:
    """Confirm (→ active, the reporting carrier becomes its usual carrier) or dismiss (→ removed)."""
    condition, params = property_condition(user)
    async with conn.execute(
        f"SELECT p.reported_by FROM properties p WHERE p.id = ? AND p.status = 'candidate' AND {condition}",
        (property_id, *params)) as cur:
        row = await cur.fetchone()
    if row is None or user.role not in ("office", "admin"):
        raise not_found("候補の物件")
    status = "active" if confirm else "removed"
    await settle_candidate(conn, property_id, status, row[0] if confirm else None)
    await log_change(conn, "property", property_id, row[0])
    await audit.record(conn, actor, "property.confirm" if confirm else "property.dismiss", "property", property_id)
