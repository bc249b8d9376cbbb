"""Photo reuse lookup over every stored photo (server/photos/reuse.py): the time of one lookup (the
67 key probes of its statement and the check of each candidate's whole hash) at 1 M and 10 M
synthetic, uniformly random 64-bit hashes, on SQLite and PostgreSQL, with the size of the keys table
on disk. Prints figures; asserts only that every planted near-copy is found.

Each size gets the table the lookup reads (photo_hash_keys of migration 0025: 27 keys per photo,
270 M rows at 10 M photos) beside a table of the photos' hashes, filled inside the database engine
and kept for the next run (building 10 M takes tens of minutes on a busy machine; --fresh builds
again, --drop deletes them: ~6 GB and ~20 GB at 10 M). SQLite: var/bench/photo-reuse-keys-N.sqlite3,
written with journal and syncs off and the keys inserted in key order, so each row is appended to
the B-tree's last page. PostgreSQL: database akiya_bench_reuse_keys_N on the machine's server,
UNLOGGED tables, the primary key built after the rows are in (one sort instead of 270 M index
insertions), then vacuumed so the lookup is an index-only scan as on a settled production table.
Before timing, what a lookup reads is read once into the operating system's page cache (the SQLite
file; PostgreSQL's index, with pg_prewarm): a server keeps its hot index in memory, and a kept table
would otherwise be timed on whatever the machine last cached (5 ms a lookup on PostgreSQL at 10 M
when the index was mostly on disk).
Queries: QUERIES random hashes (nothing near: the common case) and PLANTED stored hashes with 6 bits
flipped (each must be found). Times are taken on a plain connection (sqlite3, psycopg): the server's
async layer adds its fixed hop (~0.25 ms per await on aiosqlite, STACK.md), whatever the number of
photos.

Run: .venv/bin/python bench/photo_reuse.py [--sizes 1000000,10000000] [--engines sqlite,postgresql] [--fresh|--drop]
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

from server.photos.reuse import PARTS, PROBES, REUSE_DISTANCE, found, hash_hex, lookup_query  # noqa: E402

QUERIES, PLANTED = 300, 50


def keys_select(xor: str, masks: str) -> str:
    """SELECT (key, phash) of every stored key of the hashes in photos (what reuse.stored_keys writes)."""
    selects = []
    for part in PARTS:
        value = f"((phash >> {part.shift}) & {(1 << part.bits) - 1})"
        flipped = xor.format(value, "mask") if part.stored else value
        selects.append(f"SELECT {part.number << 32} | {flipped} AS key, phash FROM photos"
                       + (f", {masks}" if part.stored else ""))
    return " UNION ALL ".join(selects)


SQLITE_FILL = """
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
INSERT INTO photos (id, phash) SELECT i, random() FROM n"""
SQLITE_MASKS = ("(WITH RECURSIVE flips(mask) AS (SELECT 0 UNION ALL SELECT CASE mask WHEN 0 THEN 1 ELSE mask << 1 END"
                " FROM flips WHERE mask < 8388608) SELECT mask FROM flips) AS masks")
SQLITE_KEYS = ("INSERT OR IGNORE INTO photo_hash_keys (key, phash) SELECT key, phash FROM ("
               + keys_select("(({0} | {1}) - ({0} & {1}))", SQLITE_MASKS) + ") ORDER BY key, phash")

POSTGRES_FILL = """
INSERT INTO photos (id, phash)
SELECT i, (floor(random() * 4294967296)::bigint << 32) | floor(random() * 4294967296)::bigint
FROM generate_series(1, %s) AS i"""
POSTGRES_MASKS = "(SELECT 0::bigint UNION ALL SELECT 1::bigint << i FROM generate_series(0, 23) AS i) AS masks(mask)"
POSTGRES_KEYS = "INSERT INTO photo_hash_keys (key, phash) " + keys_select("({0} # {1})", POSTGRES_MASKS)


def lookup(execute, phash: str, postgres: bool) -> tuple[list[str], int]:
    """(hashes within the reuse distance, rows read): what hashes_within_reach does."""
    rows = [row[0] for row in execute(*lookup_query(phash, postgres))]
    return found(rows, phash, postgres), len(rows)


def measure(execute, stored: list[str], postgres: bool = False) -> dict:
    rnd = random.Random(2026)
    queries = [f"{rnd.getrandbits(64):016x}" for _ in range(QUERIES)]
    planted = [f"{int(h, 16) ^ sum(1 << b for b in rnd.sample(range(64), REUSE_DISTANCE)):016x}" for h in stored]
    times, read = [], []
    for phash in queries + planted:
        started = time.perf_counter()
        _, rows = lookup(execute, phash, postgres)
        times.append((time.perf_counter() - started) * 1000)
        read.append(rows)
    found = sum(1 for phash, original in zip(planted, stored) if original in lookup(execute, phash, postgres)[0])
    assert found == len(stored), f"only {found} of {len(stored)} planted near-copies found"
    times.sort()
    floor = []
    for _ in range(100):
        started = time.perf_counter()
        execute("SELECT 1", [])
        floor.append((time.perf_counter() - started) * 1000)
    return {"median": statistics.median(times), "p95": times[int(len(times) * 0.95)],
            "rows": statistics.mean(read), "floor": statistics.median(floor)}


def sqlite_build(path: Path, size: int) -> None:
    """The tables of `size` random hashes at `path` (written beside it, renamed when whole)."""
    import sqlite3

    started, partial = time.perf_counter(), path.with_suffix(".building")
    partial.unlink(missing_ok=True)
    conn = sqlite3.connect(partial, isolation_level=None)
    try:
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-1000000", "threads=2"):  # a scratch file
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, phash INTEGER NOT NULL)")
        conn.execute("CREATE TABLE photo_hash_keys (key INTEGER NOT NULL, phash INTEGER NOT NULL,"
                     " PRIMARY KEY (key, phash)) WITHOUT ROWID")
        conn.execute(SQLITE_FILL, (size,))
        conn.execute(SQLITE_KEYS)
        conn.execute("ANALYZE")
        [(size_on_disk,)] = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name = 'photo_hash_keys'")
        conn.execute("CREATE TABLE built (seconds REAL, keys_bytes INTEGER)")
        conn.execute("INSERT INTO built VALUES (?, ?)", (time.perf_counter() - started, size_on_disk))
    finally:
        conn.close()
    partial.rename(path)


def sqlite_run(size: int, folder: Path, fresh: bool) -> tuple[dict, str]:
    import sqlite3

    path = folder / f"photo-reuse-keys-{size}.sqlite3"
    if fresh:
        path.unlink(missing_ok=True)
    kept = path.exists()
    if not kept:
        sqlite_build(path, size)
    warmed = time.perf_counter()
    with path.open("rb") as file:  # into the page cache, as a server's hot table is
        while file.read(1 << 24):
            pass
    warmed = time.perf_counter() - warmed
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        [(seconds, keys_bytes)] = conn.execute("SELECT seconds, keys_bytes FROM built")
        stored = [hash_hex(row[0]) for row in conn.execute("SELECT phash FROM photos WHERE id % ? = 0",
                                                           (size // PLANTED,))]
        figures = measure(lambda sql, params: conn.execute(sql, params).fetchall(), stored[:PLANTED])
    finally:
        conn.close()
    made = (f"kept in {KEPT.relative_to(ROOT)}, built in {seconds:.0f} s" if kept else f"built in {seconds:.0f} s")
    return figures, (f"keys table {keys_bytes / 1e9:.2f} GB ({keys_bytes / size:.0f} B a photo), {made},"
                     f" file read into the page cache in {warmed:.0f} s")


def postgres_build(conn, size: int) -> None:
    """The tables of `size` random hashes in the database of `conn` (UNLOGGED: a scratch database, no WAL;
    after a crash PostgreSQL empties them, and the missing `built` row has them made again)."""
    started = time.perf_counter()
    for table in ("built", "photo_hash_keys", "photos"):
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    conn.execute("CREATE UNLOGGED TABLE photos (id BIGINT NOT NULL, phash BIGINT NOT NULL)")
    conn.execute("CREATE UNLOGGED TABLE photo_hash_keys (key BIGINT NOT NULL, phash BIGINT NOT NULL)")
    conn.execute(POSTGRES_FILL, (size,))
    conn.execute(POSTGRES_KEYS)
    conn.execute("SET maintenance_work_mem = '1GB'")
    conn.execute("ALTER TABLE photo_hash_keys ADD PRIMARY KEY (key, phash)")
    conn.execute("VACUUM ANALYZE photo_hash_keys")
    conn.execute("CREATE UNLOGGED TABLE built AS SELECT %s::float AS seconds", (time.perf_counter() - started,))


def postgres_database(size: int) -> str:
    return f"akiya_bench_reuse_keys_{size}"


def postgres_run(size: int, fresh: bool) -> tuple[dict, str]:
    import psycopg

    from tests.support.backends import PG_SERVER, _admin, _server_url

    name = postgres_database(size)
    with _admin(PG_SERVER) as admin:
        if fresh:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            admin.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(_server_url(name, PG_SERVER), autocommit=True) as conn:
        kept = conn.execute("SELECT to_regclass('built') IS NOT NULL").fetchone()[0] and \
            conn.execute("SELECT count(*) FROM built").fetchone()[0] == 1
        if not kept:
            postgres_build(conn, size)
        [(seconds,)] = conn.execute("SELECT seconds FROM built")
        warmed = time.perf_counter()  # the index into the page cache, as a server's hot index is (not the heap:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")  # the lookup is an index-only scan)
        conn.execute("SELECT pg_prewarm('photo_hash_keys_pkey', 'read')")
        warmed = time.perf_counter() - warmed
        [(heap, index)] = conn.execute("SELECT pg_table_size('photo_hash_keys'), pg_indexes_size('photo_hash_keys')")
        stored = [hash_hex(row[0]) for row in conn.execute("SELECT phash FROM photos WHERE id %% %s = 0",
                                                           (size // PLANTED,))]
        figures = measure(lambda sql, params: conn.execute(sql.replace("?", "%s"), params).fetchall(),
                          stored[:PLANTED], postgres=True)
    made = f"kept in database {name}, built in {seconds:.0f} s" if kept else f"built in {seconds:.0f} s"
    return figures, (f"keys table {(heap + index) / 1e9:.2f} GB (heap {heap / 1e9:.2f} + index {index / 1e9:.2f};"
                     f" {(heap + index) / size:.0f} B a photo), {made}, index read into the page cache in {warmed:.0f} s")


def drop_kept(sizes: list[int]) -> None:
    from tests.support.backends import PG_SERVER, _admin

    for size in sizes:
        (KEPT / f"photo-reuse-keys-{size}.sqlite3").unlink(missing_ok=True)
        with _admin(PG_SERVER) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{postgres_database(size)}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--fresh", action="store_true", help="build the kept tables again")
    parser.add_argument("--drop", action="store_true", help="delete the kept tables of these sizes and stop")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    if args.drop:
        return drop_kept(sizes)
    KEPT.mkdir(parents=True, exist_ok=True)
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
    for engine in args.engines.split(","):
        for size in sizes:
            figures, table = (sqlite_run(size, KEPT, args.fresh) if engine == "sqlite"
                              else postgres_run(size, args.fresh))
            print(f"{engine}, {size / 1e6:g} M photos: lookup median {figures['median']:.2f} ms, "
                  f"p95 {figures['p95']:.2f} ms, {figures['rows']:.0f} rows read "
                  f"({PROBES} key probes; a bare SELECT 1 takes {figures['floor']:.2f} ms here; {table})", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
