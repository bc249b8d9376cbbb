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
