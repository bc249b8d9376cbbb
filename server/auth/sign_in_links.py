"""One-time sign-in links for owners: an alternative to the password for a reader who lost it or
finds it hard to type.

The owner gives their e-mail address; if an active owner's login has it, a link is made: a random
secret, checked against its sha256 (table sign_in_links), good for one sign-in within LIFETIME.
The mail loop sends it (server/mail/sign_in.py); the secret stays in the row only until the mail is
handed to the SMTP server or the link expires. The answer to the request is the same whether the
address is known or not, and costs the same: one write either way.

Throttled like passwords (server/auth/limits.py): requests count under the address asked for
("link:" + address) from the client, so nobody can flood an owner's mailbox; a link that does not
work counts under the client's own address ("link-from:" + address), never under a key shared by
everyone, which would let one client lock every owner out. Every request, sign-in and refusal is
audited.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

import aiosqlite
import msgspec

from server.auth import limits
from server.core import audit, clock, problems
from server.db.records import from_row

LIFETIME = timedelta(minutes=15)
MAIL_ATTEMPTS = 3  # a mail that fails this often is given up (the link expires anyway)
EMAIL_MAX = 254
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normal_email(text: str) -> str:
    """The address as typed, trimmed and lower-cased; refused unless it has the shape of an address."""
    email = text.strip().lower()
    if len(email) > EMAIL_MAX or not _EMAIL.match(email):
        raise problems.INVALID_EMAIL()
    return email


def request_key(email: str) -> str:
    return f"link:{email}"


def use_key(address: str) -> str:
    return f"link-from:{limits.address_key(address)}"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def request_link(conn: aiosqlite.Connection, actor: audit.Actor, email: str, address: str) -> int:
    """Make a link for each active owner login with this address (usually one; none for an unknown
    address) and count the request against the throttle. Returns how many links were made: for the
    tests and the audit, never for the answer the client gets."""
    await limits.note_failure(conn, actor, request_key(email), address, action="auth.link_requested")
    async with conn.execute(
        """SELECT u.id FROM users u JOIN owners o ON o.id = u.owner_id
           WHERE u.role = 'owner' AND u.active = 1 AND lower(o.email) = ? ORDER BY u.id""", (email,)) as cur:
        user_ids = [row["id"] for row in await cur.fetchall()]
    now = clock.now()
    for user_id in user_ids:
        secret = secrets.token_urlsafe(32)
        await conn.execute(
            """INSERT INTO sign_in_links (user_id, token_hash, created_at, expires_at, mail_secret)
               VALUES (?, ?, ?, ?, ?)""",
            (user_id, _hash(secret), clock.iso(now), clock.iso(now + LIFETIME), secret))
        await audit.record(conn, actor, "auth.link_issued", "user", user_id)
    return len(user_ids)


async def use_link(conn: aiosqlite.Connection, actor: audit.Actor, secret: str, address: str) -> int | None:
    """Spend the link: the user it signs in, once, before it expires. None for anything else (used,
    expired, unknown: the same to the client), counted against the client's address in this
    transaction; the caller answers with problems.SIGN_IN_LINK_UNUSABLE."""
    now = clock.iso(clock.now())
    async with conn.execute(
        """SELECT l.id, l.user_id FROM sign_in_links l JOIN users u ON u.id = l.user_id
           WHERE l.token_hash = ? AND l.used_at IS NULL AND l.expires_at > ? AND u.active = 1""",
        (_hash(secret), now)) as cur:
        row = await cur.fetchone()
    if row is not None:
        cur = await conn.execute(
            "UPDATE sign_in_links SET used_at = ?, mail_secret = NULL WHERE id = ? AND used_at IS NULL", (now, row["id"]))
        if cur.rowcount == 1:
            await audit.record(conn, audit.Actor(row["user_id"], actor.device_id, actor.client_addr),
                               "auth.login_link", "user", row["user_id"])
            await limits.note_success(conn, use_key(address), address)
            return row["user_id"]
    await limits.note_failure(conn, actor, use_key(address), address, action="auth.link_refused")
    return None


# --- the mail loop's side ------------------------------------------------------------------------------

class LinkMail(msgspec.Struct, frozen=True):
    """A link still to be mailed: its secret, and whom to."""

    id: int
    secret: str
    expires_at: str
    attempts: int
    owner_name: str
    email: str


async def links_to_mail(conn: aiosqlite.Connection, limit: int = 20) -> list[LinkMail]:
    async with conn.execute(
        """SELECT l.id, l.mail_secret AS secret, l.expires_at, l.mail_attempts AS attempts, o.name AS owner_name,
                  o.email
           FROM sign_in_links l JOIN users u ON u.id = l.user_id JOIN owners o ON o.id = u.owner_id
           WHERE l.mail_status = 'pending' AND l.expires_at > ? AND l.used_at IS NULL ORDER BY l.id LIMIT ?""",
        (clock.iso(clock.now()), limit)) as cur:
        return [from_row(LinkMail, row) for row in await cur.fetchall()]


async def mark_link_mailed(conn: aiosqlite.Connection, link_id: int) -> None:
    await conn.execute("UPDATE sign_in_links SET mail_status = 'sent', mail_secret = NULL, "
                       "mail_attempts = mail_attempts + 1 WHERE id = ?", (link_id,))


async def mark_link_mail_failed(conn: aiosqlite.Connection, link: LinkMail) -> None:
    """Tried again on the next pass; after MAIL_ATTEMPTS given up, and the secret forgotten."""
    if link.attempts + 1 >= MAIL_ATTEMPTS:
        await conn.execute("UPDATE sign_in_links SET mail_status = 'failed', mail_secret = NULL, "
                           "mail_attempts = mail_attempts + 1 WHERE id = ?", (link.id,))
    else:
        await conn.execute("UPDATE sign_in_links SET mail_attempts = mail_attempts + 1 WHERE id = ?", (link.id,))


async def forget_expired_secrets(conn: aiosqlite.Connection) -> None:
    """Links past their time keep no secret, mailed or not."""
    await conn.execute(
        "UPDATE sign_in_links SET mail_secret = NULL, mail_status = CASE mail_status WHEN 'pending' THEN 'expired' "
        "ELSE mail_status END WHERE mail_secret IS NOT NULL AND expires_at <= ?", (clock.iso(clock.now()),))
