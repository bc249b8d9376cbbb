"""The server's own daily run of the monthly generator (started in the app's lifespan, in the one
process holding the schedule lease: server/office/background.py).

The run is due every day at 00:05 JST. Which day last ran is kept in the database
(`database_meta`, key `schedule.monthly.last_run`, the JST date of the run), written in the same
transaction as the run itself. So when the process holding the lease dies just before 00:05 and
another takes the lease over later, the newcomer sees that day's run is due and not done and runs
it at once (catching up), instead of waiting for the next day's 00:05. The generation is
idempotent (one visit per subscription and month), so a run twice is harmless; the marker keeps it
to once a day.

On a database that has never had a run (a new installation, or one from before this marker),
taking the lease over does nothing: nothing is generated at start-up, so a start never surprises
anyone; the first 00:05 run notes itself. POST /api/v1/schedule/monthly runs it now."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta

from server.core.audit import SYSTEM
from server.core.clock import JST, iso, now
from server.schedule.monthly import WATCH_RUBRIC, generate_monthly_visits

log = logging.getLogger("akiya.schedule")

RUN_AT = (0, 5)  # hour, minute (JST)
RETRY_AFTER = 300.0  # seconds: a run that failed (database unreachable ...) is tried again this soon
LAST_RUN_KEY = "schedule.monthly.last_run"
LAST_RUN_SQL = "SELECT value FROM database_meta WHERE key = ?"
SET_LAST_RUN_SQL = """INSERT INTO database_meta (key, value, set_at) VALUES (?, ?, ?)
                      ON CONFLICT (key) DO UPDATE SET value = excluded.value, set_at = excluded.set_at"""


def seconds_until_next_run(moment: datetime) -> float:
    """Until the next 00:05 JST."""
    local = moment.astimezone(JST)
    next_run = local.replace(hour=RUN_AT[0], minute=RUN_AT[1], second=0, microsecond=0)
    if next_run <= local:
        next_run += timedelta(days=1)
    return (next_run - local).total_seconds()


def last_due_day(moment: datetime) -> date:
    """The JST day of the latest 00:05 JST at or before `moment`: the run that should have happened."""
    local = moment.astimezone(JST)
    if (local.hour, local.minute) < RUN_AT:
        return local.date() - timedelta(days=1)
    return local.date()


async def run_if_due(conn, rubric_version: int, at: datetime, scheduled: bool = True) -> int | None:
    """In one write transaction: if the run due at `at` has not been done, run it (the month of
    `at`, JST) and note it done; how many visits it created, or None when nothing was due.

    `scheduled`: called at the run's time (00:05). Otherwise (a process taking the lease over) a
    database with no run noted yet is left alone: nothing is generated at start-up."""
    due = last_due_day(at).isoformat()
    async with conn.execute(LAST_RUN_SQL, (LAST_RUN_KEY,)) as cur:
        row = await cur.fetchone()
    if row is None and not scheduled or row is not None and row["value"] >= due:
        return None
    await conn.execute(SET_LAST_RUN_SQL, (LAST_RUN_KEY, due, iso(at)))
    return await generate_monthly_visits(conn, SYSTEM, rubric_version, at.astimezone(JST).strftime("%Y-%m"))


async def daily_schedule(db, rubrics, clock: Callable[[], datetime] = now) -> None:
    """Every day just after midnight (JST): the current month's visits (a no-op once they exist).
    On taking over (the lease holder's job starts here), a run that was due and not done runs first."""
    scheduled = False  # the first pass is the take-over check, the next ones are at 00:05
    while True:
        try:
            at = clock()
            created = await db.write(run_if_due, rubrics.latest(WATCH_RUBRIC).version, at, scheduled)
            if created is not None:
                log.info("monthly watch visits of %s (run due %s): %d created",
                         at.astimezone(JST).strftime("%Y-%m"), last_due_day(at), created)
        except Exception:
            log.exception("monthly watch visit generation failed: trying again in %.0f s", RETRY_AFTER)
            await asyncio.sleep(RETRY_AFTER)
            scheduled = True
            continue
        await asyncio.sleep(max(seconds_until_next_run(clock()), 1.0))
        scheduled = True
