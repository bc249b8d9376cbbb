"""Bearer tokens: random, stored only as a sha256, expiring, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import aiosqlite
import msgspec

from server.core.clock import iso, now, now_iso
from server.db.records import from_row
from server.users.queries import COLUMNS_OF_U, User


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_token(conn: aiosqlite.Connection, user_id: int, days: int) -> tuple[str, str]:
    """A new token for the user: (token, expires_at). Only its hash is stored."""
    token = secrets.token_urlsafe(32)
    issued = now()
    expires_at = iso(issued + timedelta(days=days))
    await conn.execute(
        "INSERT INTO auth_tokens (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        (token_hash(token), user_id, iso(issued), expires_at),
    )
    return token, expires_at


async def revoke_token(conn: aiosqlite.Connection, token: str) -> None:
    await conn.execute(
        "UPDATE auth_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
        (now_iso(), token_hash(token)),
    )


class TokenUser(msgspec.Struct, frozen=True):
    """The user a live token belongs to, and when the token expires."""

    user: User
    expires_at: str


async def user_for_token(conn: aiosqlite.Connection, token: str) -> TokenUser | None:
    """The active user a live token belongs to, with the token's expiry; None otherwise."""
    sql = f"""
        SELECT {COLUMNS_OF_U}, t.expires_at
        FROM auth_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = ? AND t.revoked_at IS NULL AND t.expires_at > ? AND u.active = 1
    """
    rows = await conn.execute_fetchall(sql, (token_hash(token), now_iso()))  # one thread hop: every request asks
    if not rows:
        return None
    return TokenUser(from_row(User, rows[0]), rows[0]["expires_at"])
