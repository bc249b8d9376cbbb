"""Resumable uploads still arriving (`Content-Range` chunks): one writer at a time, and expiry.

One writer per photo: the writer holds an exclusive `flock` on the partial file while it appends.
flock works across processes sharing the data directory on one machine (and between requests in
one process, since each request opens the file anew), and the kernel drops it when the process
dies, so a crash never leaves a stale lock behind. (It is not reliable on NFS: keep the data
directory on a local disk.)

Partials nobody finished are deleted after `AKIYA_UPLOAD_PARTIAL_DAYS` days, at start and daily, by
every server process: each deletes only a partial untouched for that long that no writer holds, and
only the file it looked at (same inode), so two processes expiring at once delete it once and never
a partial an upload has just started or resumed.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import time
from pathlib import Path

log = logging.getLogger("akiya")

DAY_SECONDS = 86_400


@contextlib.contextmanager
def partial_writer(partial: Path):
    """The partial opened for appending under an exclusive lock, or None when another writer holds it."""
    partial.parent.mkdir(parents=True, exist_ok=True)
    f = _locked(partial)
    try:
        yield f
    finally:
        if f is not None:
            f.close()  # closing releases the lock


def _locked(partial: Path):
    while True:
        f = open(partial, "ab")
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.close()
            return None
        if _same_file(partial, f):
            return f
        f.close()  # finished (renamed) or expired (deleted) while we waited: open the file now at that path


def _same_file(path: Path, f) -> bool:
    return _same_inode(path, f.fileno())


def _same_inode(path: Path, fd: int) -> bool:
    try:
        return os.stat(path).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False


def expire_partials(partial_dir: Path, days: int, now: float | None = None) -> int:
    """Delete partials untouched for `days` days (unless a writer holds one); how many were deleted."""
    if not partial_dir.is_dir():
        return 0
    cutoff = (time.time() if now is None else now) - days * DAY_SECONDS
    deleted = 0
    for path in partial_dir.glob("*/*.part"):
        try:
            fd = os.open(path, os.O_WRONLY)
        except FileNotFoundError:
            continue
        try:
            if os.fstat(fd).st_mtime >= cutoff:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # being written right now
            # Checked again under the lock: a writer may have appended since (this runs in every
            # server process, and a chunk can arrive between the first look and the lock).
            if os.fstat(fd).st_mtime >= cutoff:
                continue
            if _same_inode(path, fd):
                path.unlink()
                deleted += 1
        finally:
            os.close(fd)
    return deleted


async def expire_partials_daily(partial_dir: Path, days: int) -> None:
    """Background task: expire partials once a day (the lifespan has already done it at start)."""
    while True:
        await asyncio.sleep(DAY_SECONDS)
        try:
            deleted = await asyncio.to_thread(expire_partials, partial_dir, days)
        except OSError:
            log.exception("expiring partial uploads failed")
            continue
        if deleted:
            log.info("deleted %d partial uploads older than %d days", deleted, days)
