"""Messages between an owner and the post office: one thread per owner, seen whole by the owner and by
the clerks of an office that watches one of the owner's houses (admin: any), within what
server/users/access.py lets each see (the owner's subscriptions; a clerk's office). Text follows the
push's limit for notes (server/core/limits.py NOTES_MAX); control characters are refused at the door
(server/core/control_chars.py). Every message is audited; each is told to the other side by e-mail
(server/mail/owner_messages.py) when there is an address to tell."""

from __future__ import annotations

from typing import Literal

import aiosqlite
import msgspec

from server.core import audit, problems
from server.core.clock import now_iso
from server.core.limits import NOTES_MAX
from server.core.problems import not_found
from server.db.records import from_row
from server.subscriptions.owner_logins import owner_for
from server.subscriptions.queries import subscriptions_for
from server.users.access import acts_as_owner, subscription_condition
from server.users.queries import User

MAIL_ATTEMPTS = 5


class Message(msgspec.Struct, frozen=True):
    id: int
    author_side: str  # owner | office
    author_name: str
    body: str
    created_at: str


async def _thread(conn: aiosqlite.Connection, owner_id: int) -> list[Message]:
    async with conn.execute(
        """SELECT m.id, m.author_side, u.name AS author_name, m.body, m.created_at
           FROM owner_messages m JOIN users u ON u.id = m.author_id WHERE m.owner_id = ? ORDER BY m.id""",
        (owner_id,)) as cur:
        return [from_row(Message, row) for row in await cur.fetchall()]


async def _owner_id_for(conn: aiosqlite.Connection, user: User, owner_id: int | None) -> int:
    """Whose thread this user may read and write: an owner their own (while they have a subscription
    they see), a clerk an owner they see. Anything else looks missing (404)."""
    if acts_as_owner(user):
        if user.owner_id is None or not await subscriptions_for(conn, user):
            raise not_found("メッセージ")
        return user.owner_id
    if owner_id is None or await owner_for(conn, user, owner_id) is None:
        raise not_found("所有者")
    return owner_id


async def thread_for(conn: aiosqlite.Connection, user: User, owner_id: int | None = None) -> list[Message]:
    """The whole thread, oldest first: the owner's own (owner_id None), or one owner's for a clerk."""
    return await _thread(conn, await _owner_id_for(conn, user, owner_id))


def message_text(typed: str) -> str:
    text = typed.strip()
    if not text:
        raise problems.MESSAGE_EMPTY()
    if len(text) > NOTES_MAX:
        raise problems.MESSAGE_TOO_LONG(max=NOTES_MAX, length=len(text))
    return text


async def post_message(conn: aiosqlite.Connection, actor: audit.Actor, user: User, typed: str,
                       owner_id: int | None = None, office_mail: bool = False) -> int:
    """Add a message to the thread (the owner's own, or one owner's from the office) and queue its
    notice: to the owner's e-mail for the office's message; to the office's address (`office_mail`:
    one is configured) for the owner's."""
    owner_id = await _owner_id_for(conn, user, owner_id)
    text = message_text(typed)
    side: Literal["owner", "office"] = "owner" if acts_as_owner(user) else "office"
    if side == "office":
        async with conn.execute("SELECT coalesce(email, '') AS email FROM owners WHERE id = ?", (owner_id,)) as cur:
            notice = "pending" if (await cur.fetchone())["email"] else "none"
    else:
        notice = "pending" if office_mail else "none"
    cur = await conn.execute(
        """INSERT INTO owner_messages (owner_id, author_id, author_side, body, created_at, notice)
           VALUES (?, ?, ?, ?, ?, ?)""", (owner_id, user.id, side, text, now_iso(), notice))
    message_id = cur.lastrowid
    await audit.record(conn, actor, "owner_message.create", "owner", owner_id,
                       {"message_id": message_id, "side": side, "length": len(text)})
    return message_id


class Awaiting(msgspec.Struct, frozen=True):
    """An owner whose latest message the office has not answered yet."""

    owner_id: int
    owner_name: str
    written_at: str


async def awaiting_answer(conn: aiosqlite.Connection, user: User) -> list[Awaiting]:
    """For the office home: owners the clerk sees whose thread ends with the owner's message, oldest first."""
    condition, params = subscription_condition(user)
    async with conn.execute(
        f"""SELECT m.owner_id, o.name AS owner_name, m.created_at AS written_at
            FROM owner_messages m JOIN owners o ON o.id = m.owner_id
            WHERE m.id = (SELECT max(id) FROM owner_messages WHERE owner_id = m.owner_id) AND m.author_side = 'owner'
              AND m.owner_id IN (SELECT s.owner_id FROM watch_subscriptions s JOIN properties p ON p.id = s.property_id
                                 WHERE {condition})
            ORDER BY m.id""", params) as cur:
        return [from_row(Awaiting, row) for row in await cur.fetchall()]


# --- notices, for the mail loop -------------------------------------------------------------------------

class MessageNotice(msgspec.Struct, frozen=True):
    id: int
    author_side: str
    owner_name: str
    owner_email: str
    attempts: int


async def notices_due(conn: aiosqlite.Connection, limit: int = 20) -> list[MessageNotice]:
    async with conn.execute(
        """SELECT m.id, m.author_side, o.name AS owner_name, coalesce(o.email, '') AS owner_email,
                  m.notice_attempts AS attempts
           FROM owner_messages m JOIN owners o ON o.id = m.owner_id WHERE m.notice = 'pending' ORDER BY m.id LIMIT ?""",
        (limit,)) as cur:
        return [from_row(MessageNotice, row) for row in await cur.fetchall()]


async def mark_notice_sent(conn: aiosqlite.Connection, message_id: int, sent: bool = True) -> None:
    """Sent; or (sent False) nobody to tell any more: the owner's address or the office's was removed."""
    await conn.execute("UPDATE owner_messages SET notice = ?, notice_attempts = notice_attempts + 1 WHERE id = ?",
                       ("sent" if sent else "none", message_id))


async def mark_notice_failed(conn: aiosqlite.Connection, notice: MessageNotice) -> None:
    status = "failed" if notice.attempts + 1 >= MAIL_ATTEMPTS else "pending"
    await conn.execute("UPDATE owner_messages SET notice = ?, notice_attempts = notice_attempts + 1 WHERE id = ?",
                       (status, notice.id))
