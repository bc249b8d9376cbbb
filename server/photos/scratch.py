"""Each server process's own scratch folder for photo uploads being received.

A whole upload is written to a temp file before it is checked and stored, and a finished chunked
upload is moved aside the same way (server/photos/routes.py). Several server processes share the
data directory, so each writes into its own folder `photos/tmp/<holder>/` and holds an exclusive
`flock` on its `.alive` file for as long as it runs. The kernel drops a dead process's locks, so at
start a process deletes exactly the folders whose lock nobody holds (what a killed process left),
never another running process's uploads in flight. Resumable upload partials are not scratch: they
are shared by every process and expire by age (server/photos/partials.py).

Like the partials' locks this needs the data directory on a local disk (flock is not reliable on NFS).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from pathlib import Path

ALIVE = ".alive"
STAGING = ".new-"
STRAY_SECONDS = 3600  # a loose file (older layout) or a folder never finished is stale after this


class ProcessScratch:
    """This process's scratch folder, claimed (and locked) until `release()`."""

    def __init__(self, path: Path, lock_fd: int):
        self.path, self._lock_fd = path, lock_fd

    @classmethod
    def claim(cls, root: Path, holder: str) -> "ProcessScratch":
        """Clear what dead processes left under `root`, then make and lock `root/holder/`.
        The folder is made and locked under a staging name and renamed into place, so no
        other process ever sees it unlocked."""
        root.mkdir(parents=True, exist_ok=True)
        clear_stale(root)
        staging = root / f"{STAGING}{holder}"
        staging.mkdir()
        fd = os.open(staging / ALIVE, os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        path = root / holder
        os.rename(staging, path)
        return cls(path, fd)

    def release(self) -> None:
        """At shutdown: delete the folder (uploads still in it were never recorded), then unlock."""
        if self._lock_fd < 0:
            return
        shutil.rmtree(self.path, ignore_errors=True)
        os.close(self._lock_fd)
        self._lock_fd = -1


def clear_stale(root: Path, now: float | None = None) -> int:
    """Delete the scratch folders of processes that have ended (their `.alive` is unlocked) and
    loose files or unfinished folders older than STRAY_SECONDS; how many entries were deleted."""
    cutoff = (time.time() if now is None else now) - STRAY_SECONDS
    deleted = 0
    for entry in root.iterdir():
        try:
            if entry.is_dir() and not entry.name.startswith(STAGING):
                deleted += _clear_if_dead(entry, cutoff)
            elif entry.lstat().st_mtime < cutoff:
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
                deleted += 1
        except FileNotFoundError:
            continue  # another process starting at the same time cleared it first
    return deleted


def _clear_if_dead(folder: Path, cutoff: float) -> int:
    try:
        fd = os.open(folder / ALIVE, os.O_RDWR)
    except FileNotFoundError:  # not made by ProcessScratch.claim
        if folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            return 1
        return 0
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return 0  # its process is running
        shutil.rmtree(folder, ignore_errors=True)
        return 1
    finally:
        with contextlib.suppress(OSError):
            os.close(fd)
