"""The server's own background work, started and stopped in the app's lifespan:
the daily monthly-visit generator, the daily expiry of unfinished photo uploads, and the
e-mail sender when SMTP is configured.

With several server processes on one database, the generator and the mail sender each run in
one process at a time, the holder of a lease (server/core/leases.py); the others wait and take over
when it stops or dies. Expiring partial uploads runs in every process (it deletes only files
older than the limit that no writer holds)."""

from __future__ import annotations

import asyncio
import contextlib

from server.core.leases import run_exclusively
from server.mail.sender import document_attachment, mail_loop
from server.photos.partials import expire_partials_daily
from server.photos.store import PhotoStore
from server.schedule.runner import daily_schedule

SCHEDULE_LEASE = "monthly_schedule"
MAIL_LEASE = "mail"


def start_background(state) -> list[asyncio.Task]:
    settings, holder = state.settings, state.holder
    tasks = [asyncio.create_task(run_exclusively(state.db, SCHEDULE_LEASE, holder,
                                                 lambda: daily_schedule(state.db, state.rubrics),
                                                 settings.lease_seconds),
                                 name="akiya-daily-schedule"),
             asyncio.create_task(expire_partials_daily(PhotoStore(settings.photos_dir).partial_dir(),
                                                       settings.upload_partial_days),
                                 name="akiya-expire-partials")]
    if settings.smtp_host:
        attach = document_attachment(state.documents)
        tasks.append(asyncio.create_task(run_exclusively(state.db, MAIL_LEASE, holder,
                                                         lambda: mail_loop(state.db, settings, attach),
                                                         settings.lease_seconds),
                                         name="akiya-mail"))
    return tasks


async def stop_background(tasks: list[asyncio.Task]) -> None:
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError):
            await task
