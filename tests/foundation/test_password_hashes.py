"""The server's stored passwords: scrypt at the full cost (the test world's personas use a cheaper
one, tests/support/world.py), verified against the cost kept in each hash."""

from server.auth.passwords import N, R, hash_password, verify_password


def test_the_server_hashes_with_scrypt_at_2_to_the_14th_and_a_fresh_salt():
    first, second = hash_password("correct-horse-1"), hash_password("correct-horse-1")
    scheme, n, r, p, salt, _ = first.split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", 2**14, 8, 1) == ("scrypt", N, R, 1)
    assert first != second and salt != second.split("$")[4]


def test_a_hash_verifies_its_own_password_only_whatever_its_cost():
    for n in (2**10, N):
        stored = hash_password("correct-horse-1", n=n)
        assert verify_password("correct-horse-1", stored)
        assert not verify_password("correct-horse-2", stored)
        assert not verify_password("correct-horse-1", stored.replace("scrypt", "bcrypt", 1))


def test_a_damaged_hash_is_a_wrong_password_not_an_error():
    assert not verify_password("correct-horse-1", "scrypt$notanumber$8$1$AAAA$BBBB")
    assert not verify_password("correct-horse-1", "")
