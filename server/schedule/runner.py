"""The server's own daily run of the monthly generator (started in the app's lifespan)."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from server.audit import SYSTEM
from server.clock import JST, now
from server.schedule.monthly import WATCH_RUBRIC, generate_monthly_visits

log = logging.getLogger("akiya.schedule")


async def run_for_current_month(db, rubrics) -> int:
    rubric = rubrics.latest(WATCH_RUBRIC)
    period = now().astimezone(JST).strftime("%Y-%m")
    return await db.write(generate_monthly_visits, SYSTEM, rubric.version, period)


def seconds_until_next_run(moment: datetime) -> float:
    """Until the next 00:05 JST."""
    local = moment.astimezone(JST)
    next_run = local.replace(hour=0, minute=5, second=0, microsecond=0)
    if next_run <= local:
        next_run += timedelta(days=1)
    return (next_run - local).total_seconds()


async def daily_schedule(db, rubrics) -> None:
    """Every day just after midnight (JST): the current month's visits (a no-op once they exist).
    Not at start-up, so a restart never surprises anyone; POST /api/v1/schedule/monthly runs it now."""
    while True:
        await asyncio.sleep(seconds_until_next_run(now()))
        try:
            created = await run_for_current_month(db, rubrics)
            if created:
                log.info("monthly watch visits created: %d", created)
        except Exception:
            log.exception("monthly watch visit generation failed")
