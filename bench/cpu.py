"""CPU used by processes the benchmarks start or talk to: the servers, and the PostgreSQL backend
processes serving a database (read from /proc; PostgreSQL must run on this machine)."""

from __future__ import annotations

import os
from pathlib import Path


def cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far; 0 if it is gone or unreadable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants now (`akiya serve --workers N`: the parent and its N workers)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def tree_cpu_seconds(pid: int) -> float:
    """CPU of `pid` and its descendants so far (a worker that ended and was replaced is not counted)."""
    return sum(cpu_seconds(p) for p in process_tree(pid))


def tree_peak_rss_mb(pid: int) -> float:
    """The largest peak resident set (VmHWM) among `pid` and its descendants, in MB."""
    peaks = []
    for p in process_tree(pid):
        try:
            peaks += [int(line.split()[1]) / 1024 for line in Path(f"/proc/{p}/status").read_text().splitlines()
                      if line.startswith("VmHWM:")]
        except OSError:
            continue
    return max(peaks, default=0.0)


class PostgresCpu:
    """CPU of the PostgreSQL backends serving one database, between two readings. Backends that
    appear in between (a pool growing) count from zero; those gone by the second reading are lost,
    so the figure is a floor (the servers' pools keep their connections, so little is lost)."""

    def __init__(self, url: str):
        import psycopg

        self._conn = psycopg.connect(url, autocommit=True)

    def reading(self) -> dict[int, float]:
        pids = [r[0] for r in self._conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")]
        return {pid: cpu_seconds(pid) for pid in pids}

    def since(self, before: dict[int, float]) -> float:
        return sum(cpu - before.get(pid, 0.0) for pid, cpu in self.reading().items())

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "PostgresCpu":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
