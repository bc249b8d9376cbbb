"""The PDF worker processes a process has spawned (multiprocessing 'spawn'), found in /proc."""

from __future__ import annotations

import os
import signal
from pathlib import Path


def pdf_workers(pid: int | None = None, of=None) -> list[int]:
    """Children of `pid` (default: this process) started by multiprocessing's spawn; `of`: only
    the live workers of that PdfRenderer's pool (the tests' shared pool has workers too)."""
    if of is not None:
        pool = of._pool
        return sorted(p.pid for p in (pool._processes or {}).values() if p.is_alive()) if pool else []
    pid = pid or os.getpid()
    children = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        children.update(int(c) for c in (task / "children").read_text().split())
    found = []
    for child in sorted(children):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"spawn_main" in cmdline:
            found.append(child)
    return found


def kill_pdf_workers(pid: int | None = None, of=None) -> int:
    """SIGKILL every PDF worker (as the kernel's OOM killer would); how many there were."""
    workers = pdf_workers(pid, of)
    for worker in workers:
        os.kill(worker, signal.SIGKILL)
    return len(workers)
