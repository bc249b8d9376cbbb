"""The multi-index lookup (server/photos/reuse.py) misses no hash within the reuse distance: the
parts' radii cover every way of spreading 6 differing bits over the 64."""

import random
from server.photos.reuse import PARTS, REUSE_DISTANCE, part_values


def found_by_some_part(query: str, stored: str) -> bool:
    return any(value in part.near(query) for part, value in zip(PARTS, part_values(stored)))


def flip(phash: str, bits) -> str:
    return f"{int(phash, 16) ^ sum(1 << b for b in bits):016x}"


def test_every_hash_within_the_reuse_distance_is_a_candidate():
    rnd = random.Random(20)
    for _ in range(3000):
        query = f"{rnd.getrandbits(64):016x}"
        stored = flip(query, rnd.sample(range(64), rnd.randint(0, REUSE_DISTANCE)))
        assert found_by_some_part(query, stored), (query, stored)


def test_the_worst_spread_of_six_bits_over_the_parts_is_still_a_candidate():
    query = "0" * 16
    # 3 bits in part a (beyond its radius 2), the other 3 split 2 + 1 over b and c: b is beyond radius 1
    # but c is within it; and every other split of 6 bits over bit positions 0, 24 and 44 onwards
    starts = (40, 20, 0)  # lowest bit of part a, b, c (parts are read from the top of the hash)
    for a in range(REUSE_DISTANCE + 1):
        for b in range(REUSE_DISTANCE + 1 - a):
            c = REUSE_DISTANCE - a - b
            bits = [starts[0] + i for i in range(a)] + [starts[1] + i for i in range(b)] + [starts[2] + i for i in range(c)]
            assert found_by_some_part(query, flip(query, bits)), (a, b, c)


def test_a_lookup_probes_343_index_entries_and_the_parts_cover_the_hash_once():
    assert [len(part.near("0" * 16)) for part in PARTS] == [301, 21, 21]
    covered = sorted(bit for part in PARTS for bit in range(4 * part.first_digit, 4 * part.first_digit + part.bits))
    assert covered == list(range(64))


def test_seven_bits_may_escape_every_part_which_is_why_the_distance_is_six():
    query = "0" * 16
    escaped = flip(query, [40, 41, 42, 20, 21, 0, 1])  # 3 in a, 2 in b, 2 in c
    assert not found_by_some_part(query, escaped)
