"""The reuse lookup (server/photos/reuse.py) misses no hash within the reuse distance and reports none
beyond it: a photo's 27 stored keys and a lookup's 67 probed keys meet for every way of spreading 6
differing bits over the 64, and the whole-hash check drops what is 7 bits away, on both engines."""

from __future__ import annotations

import asyncio
import random

import pytest

from server.db import database_for
from server.photos.reuse import (
    PARTS, REUSE_DISTANCE, hash_hex, hash_int, hashes_within_reach, probed_keys, store_keys, stored_keys)
from tests.support.backends import chosen_backends


def keys_meet(query: str, stored: str) -> bool:
    return bool(set(probed_keys(query)) & set(stored_keys(stored)))


def flip(phash: str, bits) -> str:
    return f"{int(phash, 16) ^ sum(1 << b for b in bits):016x}"


def spread(rnd: random.Random, counts: tuple[int, int, int]) -> list[int]:
    """Bit positions: counts[i] distinct bits of part i (A, B, C), at random places in the part."""
    return [part.shift + b for part, n in zip(PARTS, counts) for b in rnd.sample(range(part.bits), n)]


def splits(total: int) -> list[tuple[int, int, int]]:
    """Every way of spreading `total` bits over parts A (24 bits), B and C (20 bits each)."""
    return [(a, b, total - a - b) for a in range(total + 1) for b in range(total + 1 - a)]


def test_every_hash_within_the_reuse_distance_shares_a_key_with_the_lookup():
    rnd = random.Random(20)
    for _ in range(3000):
        query = f"{rnd.getrandbits(64):016x}"
        stored = flip(query, rnd.sample(range(64), rnd.randint(0, REUSE_DISTANCE)))
        assert keys_meet(query, stored), (query, stored)


def test_six_bits_spread_any_way_over_the_parts_share_a_key_and_seven_may_escape():
    rnd, query = random.Random(8), "0123456789abcdef"
    for counts in splits(REUSE_DISTANCE):  # 2/2/2, 3/2/1, 6/0/0...: the pigeonhole leaves one part near
        for _ in range(20):
            assert keys_meet(query, flip(query, spread(rnd, counts))), counts
    # 3 bits in A (beyond its 2), 2 in B and 2 in C (beyond their 1): no key in common
    assert not keys_meet(query, flip(query, spread(rnd, (3, 2, 2))))


def test_a_photo_writes_27_keys_and_a_lookup_reads_67_the_parts_covering_the_hash_once():
    assert len(set(stored_keys("0" * 16))) == 25 + 1 + 1
    assert len(set(probed_keys("0" * 16))) == 25 + 21 + 21
    assert sorted(b for part in PARTS for b in range(part.shift, part.shift + part.bits)) == list(range(64))


def test_a_key_is_the_part_number_above_32_bits_and_the_part_value_below_as_migration_0025_writes_them():
    a, b, c = 0x012345, 0x6789A, 0xBCDEF  # 0123456789abcdef: 24, 20 and 20 bits from the top
    assert stored_keys("0123456789abcdef") == [a] + [a ^ 1 << bit for bit in range(24)] + [1 << 32 | b, 2 << 32 | c]
    assert probed_keys("0123456789abcdef") == stored_keys("0123456789abcdef")[:25] + [
        1 << 32 | b ^ flip for flip in [0, *(1 << bit for bit in range(20))]] + [
        2 << 32 | c ^ flip for flip in [0, *(1 << bit for bit in range(20))]]


def test_hashes_are_stored_as_signed_64_bit_integers_and_read_back_as_the_same_hex():
    assert hash_int("7fffffffffffffff") == 2**63 - 1
    assert hash_int("8000000000000000") == -2**63
    assert hash_int("ffffffffffffffff") == -1
    for phash in ("0000000000000000", "8000000000000001", "fedcba9876543210"):
        assert hash_hex(hash_int(phash)) == phash
    for bad in ("123", "0123456789abcdef0", "zzzzzzzzzzzzzzzz"):
        with pytest.raises(ValueError):
            hash_int(bad)


@pytest.fixture(params=chosen_backends())
def database_url(request, tmp_path):
    return tmp_path / "reuse.sqlite3" if request.param == "sqlite" else request.getfixturevalue("fresh_postgres_url")


def found_after_storing(url, stored: list[str], query: str, distance: int = REUSE_DISTANCE) -> set[str]:
    async def run():
        async with database_for(url, readers=1) as db:
            for phash in stored:
                await db.write(store_keys, phash)
            async with db.read() as conn:
                found = await hashes_within_reach(conn, query, distance)
        assert len(found) == len(set(found))
        return set(found)

    return asyncio.run(run())


@pytest.mark.parametrize("query", ["0123456789abcdef", "f0e1d2c3b4a59687"])  # the second negative as stored
def test_the_lookup_finds_every_copy_six_bits_away_and_none_seven_bits_away(database_url, query):
    """Every split of 6 flipped bits over the parts is found; every split of 7 (all but 3/2/2 share a
    key, so they are read) is dropped by the whole-hash check: in SQL on PostgreSQL, in Python on SQLite."""
    rnd = random.Random(query)
    six = {flip(query, spread(rnd, counts)) for counts in splits(REUSE_DISTANCE)}
    seven = {flip(query, spread(rnd, counts)) for counts in splits(REUSE_DISTANCE + 1)}
    assert sum(keys_meet(query, h) for h in seven) == len(seven) - 1
    assert found_after_storing(database_url, sorted(six | seven), query) == six


def test_the_same_hash_on_two_photos_shares_its_keys_and_a_smaller_distance_narrows_the_lookup(database_url):
    query = "8000000000000000"
    two_away, five_away = flip(query, [63, 0]), flip(query, [1, 2, 3, 4, 5])
    assert found_after_storing(database_url, [two_away, two_away, five_away], query, distance=2) == {two_away}


def test_a_lookup_beyond_the_reuse_distance_is_refused_since_the_keys_would_miss_hashes():
    with pytest.raises(ValueError, match="within 6 bits"):
        asyncio.run(hashes_within_reach(None, "0" * 16, REUSE_DISTANCE + 1))
