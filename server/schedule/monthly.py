"""The monthly watch-visit generator.

Each subscription that is running on the visit's due date (the 20th of the month) gets one
watch task for that month: rubric watch_basic (latest version), the options running on that day,
its requested spot as the note, assigned to the house's usual carrier. The unique index on
(subscription_id, period) makes a second run a no-op; paused and ended subscriptions get none.
"""

from __future__ import annotations

import json
import re

import aiosqlite
import msgspec

from server.core import audit
from server.db.records import from_row
from server.menu.queries import options_of
from server.tasks.queries import WATCH_RUBRIC, add_task

DUE_DAY = 20
PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def due_date_for(period: str) -> str:
    """The day a month's watch visit is due: YYYY-MM-20."""
    return f"{period}-{DUE_DAY:02d}"


class DueSubscription(msgspec.Struct, frozen=True):
    """A watch subscription running on a month's due date, with what its visit needs."""

    id: int
    property_id: str
    options: str  # JSON list: the dated options running on the due date (subscription_options)
    requested_spot: str
    usual_carrier_id: int | None


async def subscriptions_due(conn: aiosqlite.Connection, period: str, office_code: str | None) -> list[DueSubscription]:
    """Subscriptions running on the due date (of one office's houses, or all when None)."""
    due = due_date_for(period)
    sql = """SELECT s.id, s.property_id, s.options, s.requested_spot, p.usual_carrier_id
             FROM watch_subscriptions s JOIN properties p ON p.id = s.property_id
             WHERE s.paused = 0 AND s.start_date <= ? AND (s.end_date IS NULL OR s.end_date >= ?)
               AND p.status = 'active' AND (CAST(? AS TEXT) IS NULL OR p.office_code = ?)
             ORDER BY s.id"""
    async with conn.execute(sql, (due, due, office_code, office_code)) as cur:
        found = [from_row(DueSubscription, r) for r in await cur.fetchall()]
    dated = await options_of(conn, [s.id for s in found])
    return [msgspec.structs.replace(s, options=json.dumps([o.service_key for o in dated[s.id] if o.runs_on(due)]))
            for s in found]


async def generate_monthly_visits(conn: aiosqlite.Connection, actor: audit.Actor, rubric_version: int,
                                  period: str, office_code: str | None = None) -> int:
    """Create the month's missing watch tasks (for one office, or all when None); returns how many."""
    created = 0
    for sub in await subscriptions_due(conn, period, office_code):
        task_id = await add_task(
            conn, actor, property_id=sub.property_id, kind="watch", rubric_id=WATCH_RUBRIC,
            rubric_version=rubric_version, due_date=due_date_for(period), assignee_id=sub.usual_carrier_id,
            options=json.loads(sub.options), note=sub.requested_spot, subscription_id=sub.id, period=period)
        created += task_id is not None
    if created:
        await audit.record(conn, actor, "schedule.monthly", "period", period,
                           {"tasks_created": created, "office_code": office_code})
    return created
