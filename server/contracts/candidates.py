"""Houses carriers reported as possibly vacant: the office confirms (active) or dismisses (removed)."""

from __future__ import annotations

import aiosqlite
import msgspec

from server.core import audit
from server.users.access import property_condition, sees_reported_photo
from server.db.records import from_row
from server.inspections.queries import latest_visit_sql
from server.properties.queries import settle_candidate
from server.core.problems import not_found
from server.core.changes import log_change
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
    condition, params = property_condition(user)
    photo = ("""(SELECT ph.id FROM photos ph WHERE ph.property_id = p.id AND ph.received_at IS NOT NULL)"""
             if sees_reported_photo(user) else "NULL")
    async with conn.execute(
        f"""SELECT p.id, p.address, p.lat, p.lon, p.notes, u.name AS reported_by, p.created_at,
                   {latest_visit_sql("p.id")} AS inspection_id,
                   {photo} AS photo_id
            FROM properties p LEFT JOIN users u ON u.id = p.reported_by
            WHERE p.status = 'candidate' AND {condition} ORDER BY p.created_at""", params) as cur:
        return [from_row(Candidate, r) for r in await cur.fetchall()]


async def decide_candidate(conn: aiosqlite.Connection, actor: audit.Actor, user: User, property_id: str,
                           confirm: bool) -> None:
    """Confirm (→ active, the reporting carrier becomes its usual carrier) or dismiss (→ removed)."""
    condition, params = property_condition(user)
    async with conn.execute(
        f"SELECT p.reported_by FROM properties p WHERE p.id = ? AND p.status = 'candidate' AND {condition}",
        (property_id, *params)) as cur:
        row = await cur.fetchone()
    if row is None:
        raise not_found("候補の物件")
    status = "active" if confirm else "removed"
    await settle_candidate(conn, property_id, status, row["reported_by"] if confirm else None)
    await log_change(conn, "property", property_id, row["reported_by"])
    await audit.record(conn, actor, "property.confirm" if confirm else "property.dismiss", "property", property_id)
