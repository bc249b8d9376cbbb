"""Houses as the office sees them: list, history with photos, map points; photo access checks."""

from __future__ import annotations

import json

import aiosqlite
import msgspec

from server.users.access import inspection_condition, property_condition, reported_photo_condition
from server.db.records import from_row
from server.inspections.lists import history_rows
from server.inspections.queries import last_approved_flagged_sql
from server.users.queries import User


class House(msgspec.Struct):
    id: str
    address: str
    district: str
    lat: float | None
    lon: float | None
    status: str
    carrier: str | None
    watched: bool
    surveyed: bool
    open_tasks: int
    flagged: bool

    @property
    def map_status(self) -> str:
        """flagged | open | candidate | ok: the colour of its point on the map."""
        if self.status == "candidate":
            return "candidate"
        if self.flagged:
            return "flagged"
        return "open" if self.open_tasks else "ok"


class HistoryEntry(msgspec.Struct):
    id: str
    kind: str
    status: str
    finished_at: str
    carrier: str
    rank_label: str | None
    flags: list[dict]
    review_comment: str
    photo_ids: list[str]


class TaskLine(msgspec.Struct):
    id: str
    kind: str
    due: str
    status: str
    assignee: str | None


async def houses_for(conn: aiosqlite.Connection, user: User, *, status: str = "", district: str = "") -> list[House]:
    condition, params = property_condition(user)
    sql = f"""SELECT p.id, p.address, p.district, p.lat, p.lon, p.status, u.name AS carrier,
                     EXISTS (SELECT 1 FROM watch_subscriptions s WHERE s.property_id = p.id AND s.end_date IS NULL)
                       AS watched,
                     EXISTS (SELECT 1 FROM contract_properties cp WHERE cp.property_id = p.id) AS surveyed,
                     (SELECT count(*) FROM tasks t WHERE t.property_id = p.id AND t.status = 'open') AS open_tasks,
                     coalesce({last_approved_flagged_sql('p.id')}, 0) AS flagged
              FROM properties p LEFT JOIN users u ON u.id = p.usual_carrier_id
              WHERE {condition} AND (? = '' OR p.status = ?) AND (? = '' OR p.district = ?)
                AND (? <> '' OR p.status <> 'removed')
              ORDER BY p.district, p.address"""
    async with conn.execute(sql, (*params, status, status, district, district, status)) as cur:
        return [from_row(House, r, watched=bool(r["watched"]), surveyed=bool(r["surveyed"]), flagged=bool(r["flagged"]))
                for r in await cur.fetchall()]


async def house_for(conn: aiosqlite.Connection, user: User, property_id: str) -> House | None:
    found = [h for h in await houses_for(conn, user, status="") if h.id == property_id]
    if not found:
        found = [h for h in await houses_for(conn, user, status="removed") if h.id == property_id]
    return found[0] if found else None


async def history_of(conn: aiosqlite.Connection, user: User, property_id: str) -> list[HistoryEntry]:
    rows = await history_rows(conn, user, property_id)
    out = []
    for r in rows:
        async with conn.execute("""SELECT id FROM photos WHERE inspection_id = ? AND received_at IS NOT NULL
                                   ORDER BY slot, id""", (r["id"],)) as cur:
            photos = [p["id"] for p in await cur.fetchall()]
        result = json.loads(r["result"])
        out.append(from_row(HistoryEntry, r, rank_label=result.get("rank_label"), flags=result.get("flags", []),
                            photo_ids=photos))
    return out


async def tasks_of(conn: aiosqlite.Connection, property_id: str) -> list[TaskLine]:
    async with conn.execute(
        """SELECT t.id, t.kind, t.due_date AS due, t.status, u.name AS assignee FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id
           WHERE t.property_id = ? ORDER BY t.due_date DESC LIMIT 24""", (property_id,)) as cur:
        return [from_row(TaskLine, r) for r in await cur.fetchall()]


async def photo_visible(conn: aiosqlite.Connection, user: User, photo_id: str) -> bool:
    """Whether the user may see this photo: exactly when they may see its inspection; a report's photo
    only the office of the house's area, admin and the carrier who reported it."""
    condition, params = inspection_condition(user)
    async with conn.execute(
        f"""SELECT 1 FROM photos ph JOIN inspections i ON i.id = ph.inspection_id JOIN properties p ON p.id = i.property_id
            WHERE ph.id = ? AND ph.received_at IS NOT NULL AND {condition}""",
        (photo_id, *params)) as cur:
        if await cur.fetchone() is not None:
            return True
    return await report_photo_visible(conn, user, photo_id)


async def report_photo_visible(conn: aiosqlite.Connection, user: User, photo_id: str) -> bool:
    condition, params = reported_photo_condition(user)
    async with conn.execute(
        f"""SELECT 1 FROM photos ph JOIN properties p ON p.id = ph.property_id
            WHERE ph.id = ? AND ph.received_at IS NOT NULL AND {condition}""", (photo_id, *params)) as cur:
        return await cur.fetchone() is not None


async def report_photo_of(conn: aiosqlite.Connection, user: User, property_id: str) -> str | None:
    """The received photo the carrier sent with the vacant-house report, if the user may see it."""
    condition, params = reported_photo_condition(user)
    async with conn.execute(
        f"""SELECT ph.id FROM photos ph JOIN properties p ON p.id = ph.property_id
            WHERE ph.property_id = ? AND ph.received_at IS NOT NULL AND {condition}""",
        (property_id, *params)) as cur:
        row = await cur.fetchone()
    return row["id"] if row else None
