"""Open visits as the office sees them: overdue, due soon, unassigned; and assigning them to carriers."""

from __future__ import annotations

from datetime import date, timedelta

import aiosqlite
import msgspec

from server.core import audit
from server.core import problems
from server.users.access import acting_office, property_condition
from server.db.records import from_row
from server.core.problems import not_found
from server.tasks.queries import reassign_task
from server.users.queries import User

DUE_SOON_DAYS = 7


class OpenTask(msgspec.Struct):
    id: str
    kind: str
    property_id: str
    address: str
    district: str
    due: str
    priority: int
    assignee_id: int | None
    assignee: str | None
    note: str


class Carrier(msgspec.Struct):
    id: int
    name: str


async def open_tasks(conn: aiosqlite.Connection, user: User, *, district: str = "", kind: str = "",
                     unassigned: bool = False, due_before: str | None = None) -> list[OpenTask]:
    condition, params = property_condition(user)
    sql = f"""SELECT t.id, t.kind, p.id AS property_id, p.address, p.district, t.due_date AS due, t.priority,
                     t.assignee_id, u.name AS assignee, t.note
              FROM tasks t JOIN properties p ON p.id = t.property_id LEFT JOIN users u ON u.id = t.assignee_id
              WHERE t.status = 'open' AND {condition}
                AND (? = '' OR p.district = ?) AND (? = '' OR t.kind = ?)
                AND (? = 0 OR t.assignee_id IS NULL) AND (CAST(? AS TEXT) IS NULL OR t.due_date <= ?)
              ORDER BY t.priority DESC, t.due_date, p.district, p.address"""
    async with conn.execute(sql, (*params, district, district, kind, kind, int(unassigned), due_before,
                                  due_before)) as cur:
        return [from_row(OpenTask, r) for r in await cur.fetchall()]


def split_by_due(tasks: list[OpenTask], today: date) -> tuple[list[OpenTask], list[OpenTask]]:
    """(overdue, due within a week)."""
    soon = (today + timedelta(days=DUE_SOON_DAYS)).isoformat()
    overdue = [t for t in tasks if t.due < today.isoformat()]
    due_soon = [t for t in tasks if today.isoformat() <= t.due <= soon]
    return overdue, due_soon


async def districts_of(conn: aiosqlite.Connection, user: User) -> list[str]:
    condition, params = property_condition(user)
    async with conn.execute(
        f"SELECT DISTINCT p.district FROM properties p WHERE p.district <> '' AND {condition} ORDER BY 1",
        params) as cur:
        return [r["district"] for r in await cur.fetchall()]


async def carriers_of(conn: aiosqlite.Connection, user: User) -> list[Carrier]:
    office = acting_office(user)
    async with conn.execute(
        """SELECT id, name FROM users WHERE role = 'carrier' AND active = 1 AND (CAST(? AS TEXT) IS NULL OR office_code = ?)
           ORDER BY name""", (office, office)) as cur:
        return [from_row(Carrier, r) for r in await cur.fetchall()]


async def assign_tasks(conn: aiosqlite.Connection, actor: audit.Actor, user: User, task_ids: list[str],
                       carrier_id: int | None) -> int:
    """Give open tasks to a carrier of the clerk's office (None: unassign); the phones hear of it on
    their next pull. Returns how many changed hands."""
    if carrier_id is not None and carrier_id not in {c.id for c in await carriers_of(conn, user)}:
        raise problems.UNKNOWN_CARRIER()
    if not task_ids:
        raise problems.NO_TASKS()
    condition, params = property_condition(user)
    marks = ",".join("?" * len(task_ids))
    async with conn.execute(
        f"""SELECT t.id, t.assignee_id FROM tasks t JOIN properties p ON p.id = t.property_id
            WHERE t.id IN ({marks}) AND t.status = 'open' AND {condition}""", (*task_ids, *params)) as cur:
        found = {r["id"]: r["assignee_id"] for r in await cur.fetchall()}
    if len(found) != len(set(task_ids)):
        raise not_found("作業")
    changed = 0
    for task_id, current in found.items():
        if current != carrier_id:
            await reassign_task(conn, actor, task_id, carrier_id)
            changed += 1
    return changed
