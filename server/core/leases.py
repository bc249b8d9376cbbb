"""Leases: a named job that runs in exactly one server process at a time.

Several server processes share one database. A lease row names its holder (a process: host,
process id and a random part, see `new_holder`) and when the lease expires. The holder renews it
well before then; the other processes try to take it now and then, and succeed only once it has
expired, so when the holder dies (SIGKILL, power cut) another takes over within `seconds`.

Taking is one `UPDATE ... WHERE name = ? AND (expires_at < now OR holder = me)` checked by its row
count: on SQLite the write transaction is serialised (BEGIN IMMEDIATE); on PostgreSQL a concurrent
UPDATE of the same row waits for the other transaction and re-checks the WHERE against the row it
committed, so two processes never both see a row count of 1. Plain SQL that both databases run.

Times come from each process's clock (server/core/clock.py, UTC): the machines running the server must
keep their clocks in step (NTP) to well within a lease's length.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from server.core import audit
from server.core.clock import iso, now

log = logging.getLogger("akiya.leases")

NOBODY = ""


def new_holder() -> str:
    """This process's name as a lease holder: host, process id and a random part (a restarted
    process with a recycled pid, or a second app in one process, is someone else)."""
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(4)}"


async def try_take(conn, name: str, holder: str, seconds: float, at: datetime | None = None) -> bool:
    """Take lease `name` for `seconds` if it is free, expired or already ours (then it is renewed).
    Audited when the lease changes hands. Run inside a write transaction (db.write)."""
    at = at or now()
    # A lease never held yet: a row held by nobody that expired before any time ('' sorts first).
    await conn.execute("INSERT INTO leases (name, holder, taken_at, expires_at) VALUES (?, ?, '', '')"
                       " ON CONFLICT (name) DO NOTHING", (name, NOBODY))
    async with conn.execute("SELECT holder, expires_at FROM leases WHERE name = ?", (name,)) as cur:
        previous = await cur.fetchone()
    cur = await conn.execute(
        "UPDATE leases SET holder = ?, taken_at = ?, expires_at = ? WHERE name = ? AND (expires_at < ? OR holder = ?)",
        (holder, iso(at), iso(at + timedelta(seconds=seconds)), name, iso(at), holder))
    taken = cur.rowcount == 1
    if taken and previous["holder"] != holder:
        details = {"holder": holder}
        if previous["holder"] != NOBODY:
            details |= {"from": previous["holder"], "expired_at": previous["expires_at"]}
        await audit.record(conn, audit.SYSTEM, "lease.take", "lease", name, details)
    return taken


async def renew(conn, name: str, holder: str, seconds: float, at: datetime | None = None) -> bool:
    """Extend our lease by `seconds` from now; False when someone else holds it now (we lost it)."""
    at = at or now()
    cur = await conn.execute("UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ?",
                             (iso(at + timedelta(seconds=seconds)), name, holder))
    return cur.rowcount == 1


async def release(conn, name: str, holder: str, at: datetime | None = None) -> bool:
    """Give the lease up now (at shutdown), so another process need not wait for it to expire."""
    at = at or now()
    cur = await conn.execute("UPDATE leases SET holder = ?, expires_at = ? WHERE name = ? AND holder = ?",
                             (NOBODY, iso(at), name, holder))
    if cur.rowcount == 1:
        await audit.record(conn, audit.SYSTEM, "lease.release", "lease", name, {"holder": holder})
        return True
    return False


async def holder_of(conn, name: str, at: datetime | None = None) -> str | None:
    """Who holds lease `name` now (None: nobody, or it has expired)."""
    at = at or now()
    async with conn.execute("SELECT holder FROM leases WHERE name = ? AND expires_at >= ? AND holder <> ?",
                            (name, iso(at), NOBODY)) as cur:
        row = await cur.fetchone()
    return row["holder"] if row else None


LEASE_SECONDS = 60.0


async def run_exclusively(db, name: str, holder: str, job: Callable[[], Awaitable[None]],
                          seconds: float = LEASE_SECONDS) -> None:
    """Run `job()` (a loop that runs until cancelled) only while `holder` holds lease `name`.

    Every `seconds / 3`: without the lease, try to take it; with it, renew it. The job starts
    when the lease is taken and is cancelled when the lease is lost or could not be renewed (it
    starts again once the lease is taken again, at once if nobody else took it meanwhile). Cancelled
    (at shutdown): the job is cancelled and the lease released, so another process takes over
    at once instead of after expiry."""
    every = seconds / 3
    task: asyncio.Task | None = None
    try:
        while True:
            try:
                held = await db.write(renew if task else try_take, name, holder, seconds)
            except Exception:  # e.g. the database busy: stop rather than run on an unrenewed lease
                log.exception("lease %s: could not %s it", name, "renew" if task else "take")
                held = False
            if held and task is None:
                log.info("lease %s taken by %s: running it in this process", name, holder)
                task = asyncio.create_task(job(), name=f"akiya-{name}")
            elif not held and task is not None:
                log.warning("lease %s lost by %s: stopping it in this process", name, holder)
                await _cancel(task)
                task = None
            if task is not None:
                await asyncio.wait({task}, timeout=every)
                if task.done():  # the job should never end; log why and start it again after a pause
                    if not task.cancelled() and task.exception() is not None:
                        log.error("lease %s: the job ended", name, exc_info=task.exception())
                    task = None
                    await asyncio.sleep(every)
            else:
                await asyncio.sleep(every)
    finally:
        if task is not None:
            await _cancel(task)
            try:
                await db.write(release, name, holder)
            except Exception:
                log.exception("lease %s: could not release it", name)


async def _cancel(task: asyncio.Task) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
