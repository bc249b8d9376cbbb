"""Photo reuse lookup over every stored photo (server/photos/reuse.py): the time of one lookup (the
index probes of CANDIDATES_SQL and the check of each candidate's whole hash) at 1 M and 10 M
synthetic, uniformly random 64-bit hashes, on SQLite and PostgreSQL. Prints figures; asserts only
that every planted near-copy is found.

Each size gets a table of the columns the lookup reads (photos: id, phash and its three parts, the
same indexes as migration 0013), filled inside the database engine: on SQLite kept in var/bench/
for the next run (building 10 M takes minutes on a busy machine; --fresh builds again), on
PostgreSQL made (UNLOGGED) and dropped each run. Queries: QUERIES random
hashes (nothing near: the common case) and PLANTED stored hashes with 6 bits flipped (each must be
found). Times are taken on a plain connection (sqlite3, psycopg): the server's async layer adds its
fixed hop (~0.25 ms per await on aiosqlite, STACK.md), whatever the number of photos.

Run: .venv/bin/python bench/photo_reuse.py [--sizes 1000000,10000000] [--engines sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
KEPT = ROOT / "var" / "bench"

from server.photos.evidence import hamming  # noqa: E402
from server.photos.reuse import PARTS, REUSE_DISTANCE, candidates_query  # noqa: E402

QUERIES, PLANTED = 300, 50
INDEXES = [f"CREATE INDEX photos_{p.column} ON photos({p.column}, phash)" for p in PARTS]

SQLITE_FILL = """
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?),
     h(i, v) AS MATERIALIZED (SELECT i, random() FROM n)  -- once per row, not once per use of v
INSERT INTO photos (id, phash, phash_a, phash_b, phash_c)
SELECT i, printf('%016x', v), (v >> 40) & 16777215, (v >> 20) & 1048575, v & 1048575 FROM h"""

POSTGRES_FILL = """
INSERT INTO photos (id, phash, phash_a, phash_b, phash_c)
SELECT i, lpad(to_hex(v), 16, '0'), (v >> 40) & 16777215, (v >> 20) & 1048575, v & 1048575
FROM (SELECT i, (floor(random() * 4294967296)::bigint << 32) | floor(random() * 4294967296)::bigint AS v
      FROM generate_series(1, %s) AS i) AS h"""


def lookup(execute, phash: str, postgres: bool) -> tuple[list[str], int]:
    """(hashes within the reuse distance, candidates read): what hashes_within_reach does."""
    candidates = [row[0] for row in execute(*candidates_query(phash, postgres))]
    return [h for h in candidates if hamming(h, phash) <= REUSE_DISTANCE], len(candidates)


def measure(execute, stored: list[str], postgres: bool = False) -> dict:
    rnd = random.Random(2026)
    queries = [f"{rnd.getrandbits(64):016x}" for _ in range(QUERIES)]
    planted = [f"{int(h, 16) ^ sum(1 << b for b in rnd.sample(range(64), REUSE_DISTANCE)):016x}" for h in stored]
    times, candidates = [], []
    for phash in queries + planted:
        started = time.perf_counter()
        near, read = lookup(execute, phash, postgres)
        times.append((time.perf_counter() - started) * 1000)
        candidates.append(read)
    found = sum(1 for phash, original in zip(planted, stored) if original in lookup(execute, phash, postgres)[0])
    assert found == len(stored), f"only {found} of {len(stored)} planted near-copies found"
    times.sort()
    floor = []
    for _ in range(100):
        started = time.perf_counter()
        execute("SELECT 1", [])
        floor.append((time.perf_counter() - started) * 1000)
    return {"median": statistics.median(times), "p95": times[int(len(times) * 0.95)],
            "candidates": statistics.mean(candidates), "floor": statistics.median(floor)}


def sqlite_build(path: Path, size: int) -> float:
    """The table of `size` random hashes at `path` (written beside it, renamed when whole): seconds taken."""
    import sqlite3

    started, partial = time.perf_counter(), path.with_suffix(".building")
    partial.unlink(missing_ok=True)
    conn = sqlite3.connect(partial, isolation_level=None)
    try:
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-1000000"):  # a scratch file: speed only
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, phash TEXT, phash_a INTEGER, phash_b INTEGER,"
                     " phash_c INTEGER)")
        conn.execute(SQLITE_FILL, (size,))
        for sql in INDEXES:
            conn.execute(sql)
        conn.execute("ANALYZE")
    finally:
        conn.close()
    partial.rename(path)
    return time.perf_counter() - started


def sqlite_run(size: int, folder: Path, fresh: bool) -> tuple[dict, float]:
    import sqlite3

    path = folder / f"photo-reuse-{size}.sqlite3"
    if fresh:
        path.unlink(missing_ok=True)
    built = 0.0 if path.exists() else sqlite_build(path, size)
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        stored = [row[0] for row in conn.execute("SELECT phash FROM photos WHERE id % ? = 0", (size // PLANTED,))]
        return measure(lambda sql, params: conn.execute(sql, params).fetchall(), stored[:PLANTED]), built
    finally:
        conn.close()


def postgres_run(size: int) -> tuple[dict, float]:
    import psycopg

    from tests.support.backends import postgres_database

    with postgres_database("bench_reuse") as url, psycopg.connect(url, autocommit=True) as conn:
        started = time.perf_counter()
        conn.execute("CREATE UNLOGGED TABLE photos (id BIGINT PRIMARY KEY, phash TEXT, phash_a BIGINT,"
                     " phash_b BIGINT, phash_c BIGINT)")  # a scratch table: no WAL
        conn.execute(POSTGRES_FILL, (size,))
        conn.execute("SET maintenance_work_mem = '1GB'")
        for sql in INDEXES:
            conn.execute(sql)
        conn.execute("VACUUM ANALYZE photos")
        built = time.perf_counter() - started
        stored = [row[0] for row in conn.execute("SELECT phash FROM photos WHERE id %% %s = 0", (size // PLANTED,))]
        return measure(lambda sql, params: conn.execute(sql.replace("?", "%s"), params).fetchall(),
                       stored[:PLANTED], postgres=True), built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--fresh", action="store_true", help="build the SQLite tables again")
    args = parser.parse_args()
    KEPT.mkdir(parents=True, exist_ok=True)
    for engine in args.engines.split(","):
        for size in map(int, args.sizes.split(",")):
            figures, built = sqlite_run(size, KEPT, args.fresh) if engine == "sqlite" else postgres_run(size)
            made = f"table built in {built:.0f} s" if built else f"table kept in {KEPT.relative_to(ROOT)}"
            print(f"{engine}, {size / 1e6:g} M photos: lookup median {figures['median']:.2f} ms, "
                  f"p95 {figures['p95']:.2f} ms, {figures['candidates']:.0f} candidates checked "
                  f"(343 index probes; a bare SELECT 1 takes {figures['floor']:.2f} ms here; {made}; "
                  f"load average {os.getloadavg()[0]:.1f})", flush=True)


if __name__ == "__main__":
    main()
