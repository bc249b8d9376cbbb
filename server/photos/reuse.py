"""Photos reused from earlier records, looked for among every stored photo, by anyone, of any house.

Multi-index hashing (Norouzi, Punjani, Fleet, "Fast Search in Hamming Space with Multi-Index
Hashing", CVPR 2012), with part of the search moved to the write side. The 64-bit perceptual hash
is split into three parts, A (the top 24 bits), B and C (20 bits each). By the pigeonhole principle
two hashes within REUSE_DISTANCE (6) bits are within 2 bits of each other in A or within 1 bit in B
or in C (else they differ by at least 3 + 2 + 2 = 7 bits).

The table photo_hash_keys (migration 0025) holds rows (key, phash), both 64-bit integers (the hash
as signed 64 bits), key = part number << 32 | a part value, primary key (key, phash): the index is
the table (WITHOUT ROWID on SQLite), and a probe is one B-tree descent that reads whole hashes.
- Written per photo: part A's value and its 24 one-bit flips (25 keys), B's and C's values
  (1 key each): 27 rows. The same hash on two photos shares them (ON CONFLICT DO NOTHING).
- Probed per lookup: A's value and its 24 flips, B's value and its 20 flips, C's and its 20 flips:
  25 + 21 + 21 = 67 probes. A stored flip and a probed flip meet whenever the A parts are within
  2 bits; B and C meet within 1 bit.
Searching A within 2 bits on the read side alone took 1 + 24 + 276 = 301 probes (343 in all): 67
descents instead of 343 are what brings a lookup at 10 million photos well under a millisecond.

Candidates, with N uniformly spread hashes: A yields N × 25 × 25 / 2^24 rows (a hash near in A comes
back once per stored flip that meets a probed one), B and C N × 21 / 2^20 each: about 77 at
1 million photos, 770 at 10 million (measured: 78 and 773). SQLite returns them and Python checks
each XOR (`int.bit_count`, ~0.1 ms for 770); PostgreSQL checks them in the statement (`bit_count`,
14+) and returns only the hashes within reach, which saves it sending and decoding the rows.

Storage, measured at 10 million photos (bench/photo_reuse.py, `make bench`): 27 rows per hashed photo.
SQLite: ~20 bytes a row in the WITHOUT ROWID B-tree, 547 bytes per photo, 5.5 GB. PostgreSQL: a heap
tuple (24 + 16 bytes and its line pointer) plus the primary key's index entry, 2,047 bytes per photo,
20.5 GB, of which the index (the only part a lookup reads: an index-only scan) is 8.5 GB. That is
the price of 67 probes instead of 343 (0013's three indexes held 3 entries per photo): a lookup
touches ~70 random pages of it, so it is fast only while they stay in memory. On PostgreSQL at
10 million (a busy 2-core machine): ~5 ms a lookup with the index mostly on disk, ~0.75 ms with it in
the operating system's page cache but not in shared_buffers (128 MB by default), ~0.36 ms with the
pages in shared_buffers: size shared_buffers to hold the index (about 0.85 KB per photo).

Keys are never deleted: photos are not deleted by design (nothing in the server deletes a photo
row). Were one deleted, its keys would only yield a candidate hash that no photo row has any more,
which `reused_hashes` drops when it reads the photos: harmless.
"""

from __future__ import annotations

import aiosqlite


REUSE_DISTANCE = 6  # bits of 64: a resized or recompressed copy stays within this (tests/photos/test_phash.py)
MASK64 = (1 << 64) - 1


class Part:
    """Bits `shift` to `shift + bits` of the hash; its values within `stored` bits are written per photo,
    those within `probed` bits of an arriving hash are looked up: searched within stored + probed bits."""

    def __init__(self, number: int, shift: int, bits: int, stored: int, probed: int):
        self.number, self.shift, self.bits, self.stored, self.probed = number, shift, bits, stored, probed

    def keys(self, phash: int, radius: int) -> list[int]:
        """The keys of this part's value and of every value one bit from it (radius 1) or of it alone (0)."""
        value = (phash >> self.shift) & ((1 << self.bits) - 1)
        near = [value] + ([value ^ (1 << b) for b in range(self.bits)] if radius else [])
        return [self.number << 32 | v for v in near]


PARTS = (Part(0, 40, 24, stored=1, probed=1), Part(1, 20, 20, stored=0, probed=1), Part(2, 0, 20, stored=0, probed=1))
assert sum(p.stored + p.probed + 1 for p in PARTS) > REUSE_DISTANCE and sum(p.bits for p in PARTS) == 64
assert all(p.stored <= 1 and p.probed <= 1 for p in PARTS)  # Part.keys expands one bit at most


def hash_int(phash: str) -> int:
    """16 hex digits as the signed 64-bit integer stored (both engines' integers are signed 64-bit)."""
    value = int(phash, 16)
    if not 0 <= value <= MASK64 or len(phash) != 16:
        raise ValueError(f"not a 64-bit hash of 16 hex digits: {phash!r}")
    return value - (1 << 64) if value >> 63 else value


def hash_hex(phash: int) -> str:
    return f"{phash & MASK64:016x}"


def stored_keys(phash: str) -> list[int]:
    """The 27 keys written for a photo with this hash."""
    value = hash_int(phash)
    return [key for part in PARTS for key in part.keys(value, part.stored)]


def probed_keys(phash: str) -> list[int]:
    """The 67 keys a lookup reads."""
    value = hash_int(phash)
    return [key for part in PARTS for key in part.keys(value, part.probed)]


PROBES = sum(1 + p.bits * p.probed for p in PARTS)
KEYS_PER_PHOTO = sum(1 + p.bits * p.stored for p in PARTS)

# One statement per engine for every lookup and every write (the numbers of keys are fixed). PostgreSQL
# takes the probes as one array (67 parameters would cost it more to parse and plan than the lookup).
LOOKUP_SQL = f"SELECT phash FROM photo_hash_keys WHERE key IN ({', '.join('?' * PROBES)})"
# The check in the statement saves PostgreSQL ~0.13 ms at 10 M photos against returning the ~770 candidates
# (measured alternately, 0.61 against 0.74 ms); the few rows found are made unique in `found`.
LOOKUP_SQL_POSTGRES = ("SELECT phash FROM photo_hash_keys"
                       " WHERE key = ANY(?) AND bit_count((phash # ?::bigint)::bit(64)) <= ?")
STORE_SQL = ("INSERT INTO photo_hash_keys (key, phash) VALUES "
             + ", ".join(["(?, ?)"] * KEYS_PER_PHOTO) + " ON CONFLICT DO NOTHING")


def lookup_query(phash: str, postgres: bool, distance: int = REUSE_DISTANCE) -> tuple[str, list]:
    """The statement and parameters that read the stored hashes near `phash`: on PostgreSQL those within
    `distance` bits, on SQLite every candidate (`found` checks them)."""
    if postgres:
        return LOOKUP_SQL_POSTGRES, [probed_keys(phash), hash_int(phash), distance]
    return LOOKUP_SQL, probed_keys(phash)


def found(rows: list[int], phash: str, postgres: bool, distance: int = REUSE_DISTANCE) -> list[str]:
    """The hashes within `distance` bits of `phash` among the rows of `lookup_query`, once each, as hex
    (a hash near in part A comes back once per key it shares)."""
    if postgres:  # checked by the statement
        return [hash_hex(h) for h in set(rows)]
    value = hash_int(phash)
    return [hash_hex(h) for h in set(rows) if ((h ^ value) & MASK64).bit_count() <= distance]


async def store_keys(conn: aiosqlite.Connection, phash: str) -> None:
    """Write the keys of a photo's hash (in the caller's transaction). Sorted, so that two
    transactions writing the same hash on PostgreSQL take its rows in the same order."""
    rows = sorted((key, hash_int(phash)) for key in stored_keys(phash))
    await conn.execute(STORE_SQL, [value for row in rows for value in row])


async def hashes_within_reach(conn: aiosqlite.Connection, phash: str, distance: int = REUSE_DISTANCE) -> list[str]:
    """Every stored hash within `distance` bits of `phash` (distance at most REUSE_DISTANCE)."""
    if distance > REUSE_DISTANCE:
        raise ValueError(f"the keys find hashes within {REUSE_DISTANCE} bits, not {distance}")
    # Not isinstance(conn, PgConnection): that import would load psycopg in every SQLite server too.
    postgres = not isinstance(conn, aiosqlite.Connection)
    async with conn.execute(*lookup_query(phash, postgres, distance)) as cur:
        rows = [row["phash"] for row in await cur.fetchall()]
    return found(rows, phash, postgres, distance)


_PHOTOS_WITH_HASHES = """SELECT id, inspection_id, phash FROM photos WHERE phash IN ({marks})"""


async def reused_hashes(conn: aiosqlite.Connection, photo_id: str, inspection_id: str | None, phash: str) -> list[str]:
    """Hashes of other records' photos (not this photo, not another photo of its own inspection) within
    the reuse distance of `phash`: any house, any carrier, any time."""
    near = await hashes_within_reach(conn, phash)
    if not near:
        return []
    async with conn.execute(_PHOTOS_WITH_HASHES.format(marks=", ".join("?" * len(near))), near) as cur:
        rows = await cur.fetchall()
    return [row["phash"] for row in rows
            if row["id"] != photo_id and (row["inspection_id"] is None or row["inspection_id"] != inspection_id)]
