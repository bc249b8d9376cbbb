"""An owner's sign-in, issued by the post office: one login per owner, a random initial password shown once."""

from __future__ import annotations

import secrets

import aiosqlite
import msgspec

from server.core import audit
from server.auth.password_policy import password_problem
from server.core import problems
from server.db.records import from_row
from server.core.problems import not_found
from server.subscriptions.queries import SubscriptionRow, subscriptions_for
from server.users.queries import User, add_user, set_password, user_by_login

# No 0/O/o, 1/l/I/i: the password is read off paper and typed by hand.
PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_LENGTH = 12


class OwnerRecord(msgspec.Struct):
    id: int
    name: str
    name_kana: str
    address: str
    phone: str
    email: str | None
    login: str | None
    houses: list[SubscriptionRow]


def initial_password(login: str = "") -> str:
    """Random, and drawn again in the rare case the password policy would refuse it (a keyboard row, a word)."""
    while True:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))
        if password_problem(password, login) is None:
            return password


async def owner_for(conn: aiosqlite.Connection, user: User, owner_id: int) -> OwnerRecord | None:
    """An owner as a clerk sees them: only when one of their watched houses is the clerk's office's (admin: any)."""
    houses = [s for s in await subscriptions_for(conn, user) if s.owner_id == owner_id]
    if not houses:
        return None
    async with conn.execute(
        """SELECT o.id, o.name, o.name_kana, o.address, o.phone, o.email,
                  (SELECT login FROM users WHERE owner_id = o.id ORDER BY id LIMIT 1) AS login
           FROM owners o WHERE o.id = ?""", (owner_id,)) as cur:
        row = await cur.fetchone()
    return from_row(OwnerRecord, row, houses=houses)


async def issue_owner_login(conn: aiosqlite.Connection, actor: audit.Actor, user: User, owner_id: int,
                            login: str) -> str:
    """Create the owner's login with a fresh random password and return that password (it is stored hashed)."""
    owner = await owner_for(conn, user, owner_id)
    if owner is None:
        raise not_found("所有者")
    if owner.login:
        raise problems.OWNER_LOGIN_EXISTS(name=owner.name, login=owner.login)
    password = initial_password(login.strip())
    user_id = await add_user(conn, actor, login=login.strip(), name=owner.name, role="owner", password=password,
                             owner_id=owner_id)
    await audit.record(conn, actor, "owner.login_issue", "owner", owner_id, {"user_id": user_id, "login": login})
    return password


async def reset_owner_password(conn: aiosqlite.Connection, actor: audit.Actor, user: User, owner_id: int) -> str:
    """A new random password for the owner's existing login (e.g. the letter was lost); shown once."""
    owner = await owner_for(conn, user, owner_id)
    if owner is None:
        raise not_found("所有者")
    account = await user_by_login(conn, owner.login) if owner.login else None
    if account is None:
        raise problems.OWNER_LOGIN_MISSING(name=owner.name)
    password = initial_password(account.login)
    await set_password(conn, actor, account.id, password)
    return password
