"""Migration 0025 on photos stored before it, on both engines: it writes for each hash already stored
the same 27 keys that storing the photo now writes (server/photos/reuse.py), once for a hash two
photos share, none for a photo without a hash, and takes away 0013's part columns."""

from __future__ import annotations

import asyncio
import sqlite3

import psycopg

from server.photos.reuse import hash_int, stored_keys
from tests.support.backends import _database, _server_url
from tests.support.migrations import postgres_migrated_over, sqlite_migrated_over

BEFORE = 12  # before 0013, which split the hashes into the parts 0025 reads
HASHES = ["0123456789abcdef", "FEDCBA9876543210", "ffffffffffffffff", "8000000000000000", "0000000000000000"]
ROWS = [
    "INSERT INTO municipalities VALUES ('131016', '千代田区', '東京都')",
    """INSERT INTO properties (id, municipality_code, address, lat, lon, created_at, updated_at)
       VALUES ('r', '131016', '千代田区1', 35.6, 139.7, 'x', 'x')""",
    "INSERT INTO photos (id, property_id, slot, sha256, phash) VALUES "
    + ", ".join(f"('p{i}', 'r', 'report', '{i}', '{h}')" for i, h in enumerate(HASHES))
    + ", ('same', 'r', 'report', 's', '0123456789abcdef'), ('none', 'r', 'report', 'n', NULL)",
]
KEYS = "SELECT key, phash FROM photo_hash_keys ORDER BY key, phash"


def expected() -> list[tuple[int, int]]:
    """What storing each distinct hash now writes (computed in the test: a mutation check swaps the code)."""
    return sorted({(key, hash_int(h.lower())) for h in HASHES for key in stored_keys(h.lower())})


def test_the_hashes_stored_before_get_their_keys_on_sqlite(tmp_path):
    path = tmp_path / "old.sqlite3"
    sqlite_migrated_over(path, BEFORE, ROWS)
    with sqlite3.connect(path) as db:
        assert db.execute(KEYS).fetchall() == expected()
        assert not {"phash_a", "phash_b", "phash_c"} & {row[1] for row in db.execute("PRAGMA table_info(photos)")}


def test_the_hashes_stored_before_get_their_keys_on_postgres(postgres_server):
    async def run(url):
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            await postgres_migrated_over(conn, BEFORE, ROWS)
            keys = [tuple(r) for r in await (await conn.execute(KEYS)).fetchall()]
            columns = {r[0] for r in await (await conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'photos'")).fetchall()}
            return keys, columns

    with _database("migration") as name:
        keys, columns = asyncio.run(run(_server_url(name)))
    assert keys == expected()
    assert "phash" in columns and not {"phash_a", "phash_b", "phash_c"} & columns
