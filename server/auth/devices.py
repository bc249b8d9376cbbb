"""Devices that signed in before, recognised by a cookie (OWASP, "Slow Down Online Guessing Attacks
with Device Cookies"): such a device is not held back by the failures of others behind its address
or spread over many addresses (server/auth/limits.py), only by its own.

The cookie holds one random token per login that signed in on this device (a shared office PC:
several), at most MAX_LOGINS, newest last. The database keeps each token's sha256 and the user it
belongs to (table login_devices), so every server process recognises it and a token is worth
nothing for another login. The token is no credential: the password is asked for as always.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import aiosqlite
from litestar import Request

from server.core import clock

COOKIE = "akiya_device"
LIFETIME = timedelta(days=180)  # renewed at each sign-in
MAX_LOGINS = 4
_TOKEN_MAX = 64


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_in(cookie: str | None) -> list[str]:
    """The tokens a device cookie carries (anything malformed is ignored)."""
    tokens = (cookie or "").split(".")[-MAX_LOGINS:]
    return [t for t in tokens if 0 < len(t) <= _TOKEN_MAX and t.replace("-", "").replace("_", "").isalnum()]


async def trusted_device(db, login: str, cookie: str | None) -> str | None:
    """The token hash by which this device is trusted for this login (None: an untrusted client)."""
    hashes = [_hash(t) for t in tokens_in(cookie)]
    if not hashes or not login:
        return None
    marks = ", ".join("?" * len(hashes))
    async with db.read() as conn:
        async with conn.execute(
                f"""SELECT d.token_hash FROM login_devices d JOIN users u ON u.id = d.user_id
                    WHERE u.login = ? AND u.active = 1 AND d.expires_at > ? AND d.token_hash IN ({marks})""",
                (login, clock.now_iso(), *hashes)) as cur:
            row = await cur.fetchone()
    return row["token_hash"] if row else None


async def remember(conn: aiosqlite.Connection, user_id: int, cookie: str | None) -> str:
    """After a correct password: the device cookie's new value, trusting this device for this user
    (its token renewed, or a new one). Expired tokens of every device are pruned here."""
    now = clock.now()
    await conn.execute("DELETE FROM login_devices WHERE expires_at <= ?", (clock.iso(now),))
    kept, mine = [], None
    for token in tokens_in(cookie):
        async with conn.execute("SELECT user_id FROM login_devices WHERE token_hash = ?", (_hash(token),)) as cur:
            row = await cur.fetchone()
        if row and row["user_id"] == user_id:
            mine = token
        elif row:
            kept.append(token)
    if mine is None:
        mine = secrets.token_urlsafe(32)
        await conn.execute(
            """INSERT INTO login_devices (token_hash, user_id, created_at, last_used_at, expires_at)
               VALUES (?, ?, ?, ?, ?)""",
            (_hash(mine), user_id, clock.iso(now), clock.iso(now), clock.iso(now + LIFETIME)))
    else:
        await conn.execute("UPDATE login_devices SET last_used_at = ?, expires_at = ? WHERE token_hash = ?",
                           (clock.iso(now), clock.iso(now + LIFETIME), _hash(mine)))
    return ".".join([*kept, mine][-MAX_LOGINS:])


def cookie_kwargs(request: Request, value: str) -> dict:
    """HttpOnly, sent back only to this site (also on the phone app's same-origin fetches)."""
    return dict(key=COOKIE, value=value, max_age=int(LIFETIME.total_seconds()), path="/", httponly=True,
                samesite="strict", secure=request.url.scheme == "https")
