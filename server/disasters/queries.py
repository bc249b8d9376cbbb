"""Disaster events: register (the same event twice is one event), edit, sweep, progress."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Annotated, Literal

import aiosqlite
import msgspec

from server.core import audit
from server.users.access import event_condition, event_edit_condition, property_condition
from server.core.clock import JST, now_iso
from server.db.records import from_row
from server.inspections.queries import task_visit_sql, visit_status_sql
from server.disasters.area import Area, area_json, contains, identity
from server.core import problems
from server.core.problems import not_found
from server.tasks.queries import add_task
from server.users.queries import User

DISASTER_RUBRIC = "post_disaster"
URGENT = 2
DUE_DAYS = 3  # the check is due within three days of the event
KIND_LABELS = {"earthquake": "地震", "typhoon": "台風", "heavy_rain": "大雨", "snow": "大雪", "other": "その他の災害"}


class EventIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: Literal["earthquake", "typhoon", "heavy_rain", "snow", "other"]  # other: name it in title
    occurred_at: Annotated[datetime, msgspec.Meta(tz=True, description="RFC 3339 with offset")]
    area: Area
    intensity: Annotated[str, msgspec.Meta(max_length=40, description="e.g. 震度5強")] = ""
    title: Annotated[str, msgspec.Meta(max_length=200)] = ""
    include_surveyed: bool = False


class TaskProgress(msgspec.Struct):
    task_id: str
    property_id: str
    address: str
    assignee: str | None
    status: str
    inspection_id: str | None
    inspection_status: str | None


class EventOut(msgspec.Struct):
    id: int
    kind: str
    intensity: str
    title: str
    occurred_at: str
    area: dict
    include_surveyed: bool
    editable: bool
    done: int
    remaining: int
    tasks: list[TaskProgress]


async def event_by_identity(conn: aiosqlite.Connection, key: str) -> int | None:
    async with conn.execute("SELECT id FROM disaster_events WHERE identity = ?", (key,)) as cur:
        row = await cur.fetchone()
    return row["id"] if row else None


async def register_event(conn: aiosqlite.Connection, actor: audit.Actor, user: User, event: EventIn,
                         rubric_version: int) -> tuple[int, bool, int]:
    """(event id, whether it is new, tasks created). The same kind, time and area is the same event."""
    key = identity(event.kind, event.occurred_at, event.area)
    event_id = await event_by_identity(conn, key)
    is_new = event_id is None
    if is_new:
        at = now_iso()
        cur = await conn.execute(
            """INSERT INTO disaster_events (kind, intensity, title, occurred_at, area, include_surveyed, created_by,
                                            created_at, identity, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (event.kind, event.intensity, event.title, event.occurred_at.isoformat(), area_json(event.area),
             int(event.include_surveyed), user.id, at, key, at))
        event_id = cur.lastrowid
        await audit.record(conn, actor, "disaster_event.create", "disaster_event", event_id,
                           {"kind": event.kind, "area": json.loads(area_json(event.area))})
    created = await sweep(conn, actor, user, event_id, event, rubric_version)
    return event_id, is_new, created


async def update_event(conn: aiosqlite.Connection, actor: audit.Actor, user: User, event_id: int, event: EventIn,
                       rubric_version: int) -> int:
    """Change an event and sweep again: houses already given a check keep it (no duplicates).
    Only the registering office or an admin: others' owners read its title on their notices."""
    await check_editable(conn, user, event_id)
    key = identity(event.kind, event.occurred_at, event.area)
    other = await event_by_identity(conn, key)
    if other is not None and other != event_id:
        raise problems.SAME_EVENT_EXISTS(other=other)
    await conn.execute(
        """UPDATE disaster_events SET kind = ?, intensity = ?, title = ?, occurred_at = ?, area = ?,
                  include_surveyed = ?, identity = ?, updated_at = ? WHERE id = ?""",
        (event.kind, event.intensity, event.title, event.occurred_at.isoformat(), area_json(event.area),
         int(event.include_surveyed), key, now_iso(), event_id))
    await audit.record(conn, actor, "disaster_event.update", "disaster_event", event_id,
                       {"kind": event.kind, "area": json.loads(area_json(event.area))})
    return await sweep(conn, actor, user, event_id, event, rubric_version)


async def houses_in_area(conn: aiosqlite.Connection, user: User, area: Area, include_surveyed: bool,
                         day: str) -> list[tuple[str, int | None]]:
    """(property id, usual carrier) of every house the caller covers that the sweep must check:
    watched with the disaster option (subscription running), and surveyed ones when asked."""
    condition, params = property_condition(user)
    sql = f"""SELECT p.id, p.usual_carrier_id, p.municipality_code, p.district, p.lat, p.lon FROM properties p
              WHERE p.status = 'active' AND {condition} AND (
                p.id IN (SELECT s.property_id FROM watch_subscriptions s
                         WHERE s.paused = 0 AND s.start_date <= ? AND (s.end_date IS NULL OR s.end_date >= ?)
                           AND EXISTS (SELECT 1 FROM json_each(s.options) WHERE value = 'disaster'))
                OR (? = 1 AND p.id IN (SELECT property_id FROM contract_properties)))
              ORDER BY p.id"""
    async with conn.execute(sql, (*params, day, day, int(include_surveyed))) as cur:
        rows = await cur.fetchall()
    return [(r["id"], r["usual_carrier_id"]) for r in rows
            if contains(area, r["municipality_code"], r["district"], r["lat"], r["lon"])]


async def sweep(conn: aiosqlite.Connection, actor: audit.Actor, user: User, event_id: int, event: EventIn,
                rubric_version: int) -> int:
    """An urgent post-disaster task for each house in the area; returns how many were new."""
    occurred = event.occurred_at.astimezone(JST).date()
    due = (occurred + timedelta(days=DUE_DAYS)).isoformat()
    note = event.title or f"{KIND_LABELS.get(event.kind, '')}{event.intensity}後の見回り"
    created = 0
    for property_id, carrier in await houses_in_area(conn, user, event.area, event.include_surveyed,
                                                     occurred.isoformat()):
        task_id = await add_task(conn, actor, property_id=property_id, kind="disaster", rubric_id=DISASTER_RUBRIC,
                                 rubric_version=rubric_version, due_date=due, assignee_id=carrier, priority=URGENT,
                                 note=note, disaster_event_id=event_id)
        created += task_id is not None
    return created


async def check_editable(conn: aiosqlite.Connection, user: User, event_id: int) -> None:
    """404 for an event the user may not see (as for a missing one); 403 for one they see but did not register."""
    event = await event_for(conn, user, event_id)
    if event is None:
        raise not_found("災害")
    if not event.editable:
        raise problems.EVENT_NOT_YOURS()


async def events_for(conn: aiosqlite.Connection, user: User) -> list[EventOut]:
    condition, params = event_condition(user)
    async with conn.execute(f"SELECT id FROM disaster_events e WHERE {condition} ORDER BY occurred_at DESC",
                            params) as cur:
        ids = [r["id"] for r in await cur.fetchall()]
    return [await event_for(conn, user, i) for i in ids]


async def event_for(conn: aiosqlite.Connection, user: User, event_id: int) -> EventOut | None:
    condition, params = event_condition(user)
    edit_condition, edit_params = event_edit_condition(user)
    editable = f"({edit_condition}) AS editable"
    async with conn.execute(
        f"""SELECT id, kind, intensity, title, occurred_at, area, include_surveyed, {editable} FROM disaster_events e
            WHERE id = ? AND {condition}""", (*edit_params, event_id, *params)) as cur:
        row = await cur.fetchone()
    if row is None:
        return None
    pcond, pparams = property_condition(user)
    async with conn.execute(
        f"""SELECT t.id AS task_id, p.id AS property_id, p.address, u.name AS assignee, t.status,
                   {task_visit_sql("t.id")} AS inspection_id, {visit_status_sql(task_visit_sql("t.id"))} AS inspection_status
            FROM tasks t JOIN properties p ON p.id = t.property_id LEFT JOIN users u ON u.id = t.assignee_id
            WHERE t.disaster_event_id = ? AND t.status <> 'cancelled' AND {pcond}
            ORDER BY t.status DESC, p.district, p.address""", (event_id, *pparams)) as cur:
        task_rows = await cur.fetchall()
    tasks = [from_row(TaskProgress, r) for r in task_rows]
    done = sum(t.status == "done" for t in tasks)
    return from_row(EventOut, row, area=json.loads(row["area"]), include_surveyed=bool(row["include_surveyed"]),
                    editable=bool(row["editable"]), done=done, remaining=len(tasks) - done, tasks=tasks)
