"""Photos reused from earlier records, looked for among every stored photo, by anyone, of any house.

Multi-index hashing (Norouzi, Punjani, Fleet, "Fast Search in Hamming Space with Multi-Index
Hashing", CVPR 2012): the 64-bit perceptual hash is split into parts, each part is indexed with the
whole hash beside it (migration 0013), and a lookup reads only the index entries of the part values
near the arriving photo's, then checks each candidate's whole hash.

Why these parts: by the pigeonhole principle, two hashes within REUSE_DISTANCE (6) bits are within
r_i bits in at least one part i whenever the sum of (r_i + 1) over the parts exceeds 6. Exact parts
(r_i = 0, i.e. more parts than the distance: 7 parts of about 9 bits) would need only 7 index
probes but, with 10 million uniformly spread hashes, about 10,000,000 / 2^9 ≈ 20,000 candidates per
part to check. Three parts of 24, 20 and 20 bits searched within 2, 1 and 1 bits (3 + 2 + 2 = 7 > 6)
need 301 + 21 + 21 = 343 probes and about 10,000,000 × (301 / 2^24 + 42 / 2^20) ≈ 580 candidates at
10 million photos (about 58 at 1 million): the index does the work, the check is a few hundred XORs.
`make bench` measures it on both databases (bench/photo_reuse.py).
"""

from __future__ import annotations

from itertools import combinations

import aiosqlite

from server.db.postgres import PgConnection
from server.photos.evidence import hamming

REUSE_DISTANCE = 6  # bits of 64: a resized or recompressed copy stays within this (tests/photos/test_phash.py)


class Part:
    def __init__(self, column: str, first_digit: int, digits: int, radius: int):
        self.column, self.first_digit, self.digits, self.radius = column, first_digit, digits, radius
        self.bits = 4 * digits

    def value(self, phash: str) -> int:
        return int(phash[self.first_digit:self.first_digit + self.digits], 16)

    def near(self, phash: str) -> list[int]:
        """Every value within `radius` bits of this part of the hash (the probes of one index)."""
        value, found = self.value(phash), []
        for flipped in range(self.radius + 1):
            for bits in combinations(range(self.bits), flipped):
                found.append(value ^ sum(1 << b for b in bits))
        return found


PARTS = (Part("phash_a", 0, 6, radius=2), Part("phash_b", 6, 5, radius=1), Part("phash_c", 11, 5, radius=1))
assert sum(p.radius + 1 for p in PARTS) > REUSE_DISTANCE and sum(p.bits for p in PARTS) == 64


def part_values(phash: str | None) -> tuple[int | None, ...]:
    """The indexed parts of a hash, in the order of PARTS (stored beside it)."""
    return tuple(p.value(phash) if phash else None for p in PARTS)


def probe_count(part: Part) -> int:
    return len(part.near("0" * 16))


# One statement for every lookup (the number of probes per part is fixed). On PostgreSQL each part's probes
# go as one array: 343 separate parameters cost it ~5 times as much to parse and plan as the lookup itself.
CANDIDATES_SQL = " UNION ".join(
    f"SELECT phash FROM photos WHERE {p.column} IN ({', '.join('?' * probe_count(p))})" for p in PARTS)
CANDIDATES_SQL_POSTGRES = " UNION ".join(f"SELECT phash FROM photos WHERE {p.column} = ANY(?)" for p in PARTS)


def candidates_query(phash: str, postgres: bool) -> tuple[str, list]:
    """The statement and parameters that read every stored hash sharing a near part with `phash`."""
    if postgres:
        return CANDIDATES_SQL_POSTGRES, [part.near(phash) for part in PARTS]
    return CANDIDATES_SQL, [value for part in PARTS for value in part.near(phash)]

_PHOTOS_WITH_HASHES = """SELECT id, inspection_id, phash FROM photos WHERE phash IN ({marks})"""


async def hashes_within_reach(conn: aiosqlite.Connection, phash: str, distance: int = REUSE_DISTANCE) -> list[str]:
    """Every stored hash within `distance` bits of `phash` (distance at most REUSE_DISTANCE)."""
    sql, params = candidates_query(phash, postgres=isinstance(conn, PgConnection))
    async with conn.execute(sql, params) as cur:
        candidates = [row["phash"] for row in await cur.fetchall()]
    return [h for h in candidates if hamming(h, phash) <= distance]


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
