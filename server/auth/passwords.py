"""Password hashing with scrypt (memory-hard), encoded as scrypt$n$r$p$salt$hash."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

N, R, P = 2**14, 8, 1  # 16 MiB per hash


def hash_password(password: str, n: int = N) -> str:
    """The stored form of a password. `n` is scrypt's cost, kept in the hash (verify reads it from
    there); every hash the server makes uses N."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=R, p=P, dklen=32)
    return "$".join(["scrypt", str(n), str(R), str(P), _b64(salt), _b64(digest)])


def verify_password(password: str, encoded: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = encoded.split("$")
        if scheme != "scrypt":
            return False
        actual = hashlib.scrypt(
            password.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p), dklen=len(_unb64(digest))
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, _unb64(digest))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text)


# A real hash of a random password: verifying against it costs the same as a real user's,
# so an unknown login cannot be told from a wrong password by timing.
DUMMY_HASH = hash_password(secrets.token_urlsafe(16))
