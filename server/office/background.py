"""The server's own background work, started and stopped in the app's lifespan:
the daily monthly-visit generator, the daily expiry of unfinished photo uploads, and the
e-mail sender when SMTP is configured."""

from __future__ import annotations

import asyncio
import contextlib

from server.mail.sender import document_attachment, mail_loop
from server.photos.partials import expire_partials_daily
from server.photos.store import PhotoStore
from server.schedule.runner import daily_schedule


def start_background(state) -> list[asyncio.Task]:
    tasks = [asyncio.create_task(daily_schedule(state.db, state.rubrics), name="akiya-daily-schedule"),
             asyncio.create_task(expire_partials_daily(PhotoStore(state.settings.photos_dir).partial_dir(),
                                                       state.settings.upload_partial_days),
                                 name="akiya-expire-partials")]
    if state.settings.smtp_host:
        tasks.append(asyncio.create_task(mail_loop(state.db, state.settings, document_attachment(state.documents)),
                                         name="akiya-mail"))
    return tasks


async def stop_background(tasks: list[asyncio.Task]) -> None:
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError):
            await task
