"""The carrier's task for work an owner ordered (service_orders.task_id), and the order marked done when
the office approves the visit that recorded it.

Work of a menu service in WORK_OPTIONS (草刈, 巡回看板の設置, 簡単な清掃, 不用品整理) is a task of kind 'work'
recorded with the option_work rubric; the task's one option is the service key, so the form shows only that
work's section. A one-off piece of work gets its task when the office records the order; quoted work when the
office records the owner's acceptance of the quote. 臨時見回り is a watch visit on the owner's day
(server/menu/queries.py makes it). Every write is audited in the caller's transaction."""

from __future__ import annotations

import msgspec

import aiosqlite

from server.core import audit
from server.core.clock import today_jst
from server.rubrics import WORK_OPTIONS, RubricRegistry
from server.tasks.queries import WATCH_RUBRIC, add_task

WORK_RUBRIC = "option_work"


class TaskForms(msgspec.Struct, frozen=True):
    """The forms (rubric id, version) new tasks are made with: the watch visit's and the work record's."""

    watch: tuple[str, int]
    work: tuple[str, int]


def task_forms(rubrics: RubricRegistry) -> TaskForms:
    """The latest version of each form, as the office's pages hand them to an order."""
    return TaskForms(watch=(WATCH_RUBRIC, rubrics.latest(WATCH_RUBRIC).version),
                     work=(WORK_RUBRIC, rubrics.latest(WORK_RUBRIC).version))


def is_work(service_key: str) -> bool:
    return service_key in WORK_OPTIONS


async def add_work_task(conn: aiosqlite.Connection, actor: audit.Actor, forms: TaskForms, order_id: int,
                        service_key: str, wanted_on: str, note: str) -> str | None:
    """The carrier's task for the order's work at the house of its subscription, due on the day asked for
    (today when that has passed, e.g. a quote accepted late), for the house's usual carrier. None when the
    order already has its task or is not work."""
    if not is_work(service_key):
        return None
    row = await (await conn.execute(
        """SELECT x.subscription_id, x.task_id, s.property_id, p.usual_carrier_id FROM service_orders x
           JOIN watch_subscriptions s ON s.id = x.subscription_id JOIN properties p ON p.id = s.property_id
           WHERE x.id = ?""", (order_id,))).fetchone()
    if row is None or row["task_id"] is not None:
        return None
    due = max(wanted_on, today_jst().isoformat())
    task_id = await add_task(
        conn, actor, property_id=row["property_id"], kind="work", rubric_id=forms.work[0],
        rubric_version=forms.work[1], due_date=due, assignee_id=row["usual_carrier_id"], options=[service_key],
        note=f"{WORK_OPTIONS[service_key]}（作業のお申し込み）" + (f": {note.strip()[:200]}" if note.strip() else ""),
        subscription_id=row["subscription_id"])
    await conn.execute("UPDATE service_orders SET task_id = ? WHERE id = ?", (task_id, order_id))
    await audit.record(conn, actor, "order.task", "service_order", order_id, {"task_id": task_id, "due": due})
    return task_id


async def order_done_by_visit(conn: aiosqlite.Connection, actor: audit.Actor, task_id: str | None, inspection_id: str,
                              day: str) -> int | None:
    """The office approved the visit made for an order's task: the order is done on the visit's day (in
    Japan), with the visit named in the audit. Its id, or None when the task is no order's or it is done."""
    if task_id is None:
        return None
    row = await (await conn.execute(
        "SELECT id FROM service_orders WHERE task_id = ? AND done_on IS NULL", (task_id,))).fetchone()
    if row is None:
        return None
    await conn.execute("UPDATE service_orders SET done_on = ? WHERE id = ? AND done_on IS NULL", (day, row["id"]))
    await audit.record(conn, actor, "order.done", "service_order", row["id"],
                       {"done_on": day, "inspection_id": inspection_id, "by": "review"})
    return row["id"]
