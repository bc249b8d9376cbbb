"""The raw insert ceiling of each engine: rows as wide as a v2 survey inspection (same columns, same
answers JSON) inserted into a bare table, one `executemany` per batch, one transaction per batch. What
the database alone allows on this machine now, to read the push figures against (no HTTP, no
validation, scoring, change log, audit, indexes beyond the primary key).

Run: .venv/bin/python bench/insert_ceiling.py [--rows 3200 --per-batch 800]
SQLite: a fresh file in WAL mode with synchronous=NORMAL (the server's PRAGMAs). PostgreSQL: a fresh
database on AKIYA_TEST_PG or 127.0.0.1:5432 (dropped after), psycopg's executemany (pipeline mode, as
the server's push).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

COLUMNS = ("id", "task_id", "property_id", "rubric_id", "rubric_version", "kind", "carrier_id", "device_id",
           "started_at", "finished_at", "lat", "lon", "accuracy_m", "answers", "options", "notes", "supersedes",
           "body_sha256", "result", "rank", "total", "likelihood", "status", "received_at")


def _rows(count: int) -> list[tuple]:
    from server.rubrics import RubricRegistry
    from server.core.settings import Settings
    from tests.support.answers import minimal_answers

    rubric = RubricRegistry.load_dir(Settings().rubrics_dir).get("municipal_survey", 2)
    answers = json.dumps(minimal_answers(rubric), ensure_ascii=False)
    result = json.dumps({"points": {}, "total": 0, "statutory": {"min": 0, "max": 0}})
    house = str(uuid.uuid4())
    return [(str(uuid.uuid4()), None, house, "municipal_survey", 2, "survey", 1, "bench", "2026-12-06T09:00:00+09:00",
             "2026-12-06T09:10:00+09:00", 35.6, 139.7, 8.0, answers, "[]", "", None, "0" * 64, result, "B", 10, "high",
             "awaiting_photos", "2026-12-06T00:00:00+00:00") for _ in range(count)]


def sqlite_ceiling(rows: int, per_batch: int) -> float:
    batches = [_rows(per_batch) for _ in range(rows // per_batch)]
    with tempfile.TemporaryDirectory(prefix="akiya-ceiling-") as work:
        conn = sqlite3.connect(Path(work) / "bare.sqlite3", isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
            conn.execute(f"PRAGMA {pragma}")
        conn.execute(f"CREATE TABLE inspections ({', '.join(COLUMNS)}, PRIMARY KEY (id))")
        sql = f"INSERT INTO inspections VALUES ({', '.join('?' * len(COLUMNS))})"
        started = time.perf_counter()
        for batch in batches:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(sql, batch)
            conn.execute("COMMIT")
        seconds = time.perf_counter() - started
        conn.close()
    return len(batches) * per_batch / seconds


def postgres_ceiling(rows: int, per_batch: int) -> float:
    import psycopg

    from tests.support.backends import postgres_database

    batches = [_rows(per_batch) for _ in range(rows // per_batch)]
    with postgres_database("ceiling") as url, psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE inspections ({', '.join(c + ' text' for c in COLUMNS)}, PRIMARY KEY (id))")
        sql = f"INSERT INTO inspections VALUES ({', '.join(['%s'] * len(COLUMNS))})"
        text_batches = [[tuple(None if v is None else str(v) for v in row) for row in batch] for batch in batches]
        started = time.perf_counter()
        for batch in text_batches:
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany(sql, batch)
        seconds = time.perf_counter() - started
    return len(batches) * per_batch / seconds


def lines(rows: int = 3200, per_batch: int = 800) -> list[str]:
    return [f"raw insert ceiling, {name} ({per_batch} rows as wide as a v2 inspection per transaction, no HTTP, "
            f"no checks): {ceiling(rows, per_batch):,.0f} rows/s"
            for name, ceiling in (("SQLite", sqlite_ceiling), ("PostgreSQL", postgres_ceiling))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=3200)
    ap.add_argument("--per-batch", type=int, default=800)
    args = ap.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (shared machine)")
    for line in lines(args.rows, args.per_batch):
        print(line)


if __name__ == "__main__":
    main()
