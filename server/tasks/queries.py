"""The tasks table's owner. A task is a visit a carrier is to make (survey, monthly watch,
post-disaster check)."""

from __future__ import annotations

import json
import uuid

import aiosqlite
import msgspec

from server.core import audit
from server.core.changes import log_change
from server.core.clock import now_iso
from server.db.records import from_row

WATCH_RUBRIC = "watch_basic"  # the monthly watch visit's form (and a 臨時見回り's)


class TaskOut(msgspec.Struct):
    """A task as the carrier's phone receives it."""

    id: str
    property_id: str
    kind: str
    rubric_id: str
    rubric_version: int
    due: str
    priority: int
    options: list[str]
    note: str
    requested_spot: str  # the owner's requested spot of a watch task's subscription ("" when none): the visit must answer it
    requested_spot_photo_id: str | None  # the owner's mark on last month's photo of that spot (a guide photo id) ...
    requested_spot_cell: int | None  # ... and its cell of a 3×3 grid (0 = 左上 … 8 = 右下)


class Task(TaskOut):
    """A task as the server holds it: what the phone receives, and where it stands and whose it is."""

    status: str
    assignee_id: int | None

    def out(self) -> TaskOut:
        return TaskOut(**{name: getattr(self, name) for name in TaskOut.__struct_fields__})


_COLUMNS = """id, property_id, kind, rubric_id, rubric_version, due_date AS due, priority, options, note, status,
    assignee_id,
    COALESCE((SELECT s.requested_spot FROM watch_subscriptions s
              WHERE s.id = tasks.subscription_id AND tasks.kind = 'watch'), '') AS requested_spot,
    (SELECT s.requested_spot_photo_id FROM watch_subscriptions s
     WHERE s.id = tasks.subscription_id AND tasks.kind = 'watch') AS requested_spot_photo_id,
    (SELECT s.requested_spot_cell FROM watch_subscriptions s
     WHERE s.id = tasks.subscription_id AND tasks.kind = 'watch') AS requested_spot_cell"""


def _task(row) -> Task:
    return from_row(Task, row, options=json.loads(row["options"]))


DONE_SQL = "UPDATE tasks SET status = 'done', updated_at = ? WHERE id = ?"


async def mark_done_many(conn: aiosqlite.Connection, done: list[tuple[str, str]]) -> None:
    """Tasks whose visit was pushed, as (task id, when) pairs (the push's batch, one executemany)."""
    if done:
        await conn.executemany(DONE_SQL, [(at, task_id) for task_id, at in done])


async def add_task(conn: aiosqlite.Connection, actor: audit.Actor, *, property_id: str, kind: str, rubric_id: str,
                   rubric_version: int, due_date: str, assignee_id: int | None, priority: int = 0,
                   options: list[str] = (), note: str = "", contract_id: int | None = None,
                   subscription_id: int | None = None, disaster_event_id: int | None = None,
                   period: str | None = None, id: str | None = None) -> str | None:
    """Create a task and tell the assignee's phone; None when the same visit already exists
    (one watch visit per subscription and month, one check per house and disaster event)."""
    task_id = id or str(uuid.uuid4())
    at = now_iso()
    cur = await conn.execute(
        """INSERT INTO tasks (id, property_id, kind, rubric_id, rubric_version, contract_id, subscription_id,
                              disaster_event_id, period, due_date, assignee_id, priority, options, note, status,
                              created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)
           ON CONFLICT DO NOTHING""",
        (task_id, property_id, kind, rubric_id, rubric_version, contract_id, subscription_id, disaster_event_id,
         period, due_date, assignee_id, priority, json.dumps(list(options)), note, at, at),
    )
    if cur.rowcount == 0:
        return None
    await log_change(conn, "task", task_id, assignee_id)
    await audit.record(conn, actor, "task.create", "task", task_id,
                       {"kind": kind, "property_id": property_id, "assignee_id": assignee_id})
    return task_id


async def reassign_task(conn: aiosqlite.Connection, actor: audit.Actor, task_id: str, assignee_id: int | None) -> bool:
    async with conn.execute("SELECT assignee_id FROM tasks WHERE id = ?", (task_id,)) as cur:
        row = await cur.fetchone()
    if row is None:
        return False
    previous = row["assignee_id"]
    await conn.execute("UPDATE tasks SET assignee_id = ?, updated_at = ? WHERE id = ?", (assignee_id, now_iso(), task_id))
    await log_change(conn, "task", task_id, assignee_id, previous)
    await audit.record(conn, actor, "task.assign", "task", task_id, {"from": previous, "to": assignee_id})
    return True


async def tasks_by_ids(conn: aiosqlite.Connection, ids: list[str]) -> dict[str, Task]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = await conn.execute_fetchall(f"SELECT {_COLUMNS} FROM tasks WHERE id IN ({marks})", ids)  # one thread hop
    return {row["id"]: _task(row) for row in rows}


async def open_tasks_for_carrier(conn: aiosqlite.Connection, carrier_id: int) -> list[Task]:
    async with conn.execute(
        f"SELECT {_COLUMNS} FROM tasks WHERE assignee_id = ? AND status = 'open' ORDER BY priority DESC, due_date, id",
        (carrier_id,),
    ) as cur:
        return [_task(row) for row in await cur.fetchall()]
