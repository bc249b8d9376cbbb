"""Users: the people who sign in, each with one role and the office or municipality they belong to."""

from __future__ import annotations

import aiosqlite
import msgspec

from server.core import audit
from server.auth.limits import forget_login
from server.auth.password_policy import check_password
from server.auth.passwords import hash_password
from server.core.clock import now_iso
from server.core import problems
from server.db.records import from_row

ROLES = ("carrier", "office", "municipality", "owner", "admin")


class User(msgspec.Struct, frozen=True):
    id: int
    login: str
    name: str
    role: str
    office_code: str | None
    municipality_code: str | None
    owner_id: int | None
    sees_owner_letters: bool = False  # post-office staff an admin lets see owners for the letters (0015)


class Credentials(msgspec.Struct, frozen=True):
    """What a sign-in checks the password against."""

    id: int
    password_hash: str


_COLUMNS = ", ".join(User.__struct_fields__)
COLUMNS_OF_U = ", ".join("u." + c for c in User.__struct_fields__)  # for a join with the users table as `u`


def _user(row) -> User:
    return from_row(User, row)


async def user_by_id(conn: aiosqlite.Connection, user_id: int) -> User | None:
    async with conn.execute(f"SELECT {_COLUMNS} FROM users WHERE id = ? AND active = 1", (user_id,)) as cur:
        row = await cur.fetchone()
    return _user(row) if row else None


async def user_by_login(conn: aiosqlite.Connection, login: str) -> User | None:
    async with conn.execute(f"SELECT {_COLUMNS} FROM users WHERE login = ? AND active = 1", (login,)) as cur:
        row = await cur.fetchone()
    return _user(row) if row else None


async def password_hash_for(conn: aiosqlite.Connection, login: str) -> Credentials | None:
    async with conn.execute("SELECT id, password_hash FROM users WHERE login = ? AND active = 1", (login,)) as cur:
        row = await cur.fetchone()
    return from_row(Credentials, row) if row else None


async def add_user(
    conn: aiosqlite.Connection,
    actor: audit.Actor,
    *,
    login: str,
    name: str,
    role: str,
    password: str,
    office_code: str | None = None,
    municipality_code: str | None = None,
    owner_id: int | None = None,
    password_hash: str | None = None,
) -> int:
    """Create a user; raises BadRequest with a message a clerk can act on."""
    if role not in ROLES:
        raise problems.INVALID_ROLE(role=role, roles=", ".join(ROLES))
    if not login or not login.isascii() or " " in login:
        raise problems.INVALID_LOGIN()
    if role in ("carrier", "office") and not office_code:
        raise problems.OFFICE_REQUIRED()
    if role == "municipality" and not municipality_code:
        raise problems.MUNICIPALITY_REQUIRED()
    if role == "owner" and owner_id is None:
        raise problems.OWNER_REQUIRED()
    if office_code and not await _exists(conn, "SELECT 1 FROM post_offices WHERE code = ?", office_code):
        raise problems.UNKNOWN_OFFICE(code=office_code)
    if municipality_code and not await _exists(conn, "SELECT 1 FROM municipalities WHERE code = ?", municipality_code):
        raise problems.UNKNOWN_MUNICIPALITY(code=municipality_code)
    if await _exists(conn, "SELECT 1 FROM users WHERE login = ?", login):
        raise problems.LOGIN_TAKEN(login=login)
    if password_hash is None:  # only seed-demo passes a ready hash (the demo town's shared password)
        check_password(password, login, name, await _organisation_name(conn, office_code, municipality_code))
        password_hash = hash_password(password)
    cur = await conn.execute(
        """INSERT INTO users (login, name, role, office_code, municipality_code, owner_id, password_hash, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (login, name or login, role, office_code, municipality_code, owner_id, password_hash, now_iso()),
    )
    user_id = cur.lastrowid
    await audit.record(conn, actor, "user.add", "user", user_id, {"login": login, "role": role})
    return user_id


async def _organisation_name(conn: aiosqlite.Connection, office_code: str | None,
                             municipality_code: str | None) -> str:
    """The post office's or municipality's name (a word a password must not lean on); '' for none."""
    async with conn.execute(
        """SELECT coalesce((SELECT name FROM post_offices WHERE code = ?),
                           (SELECT name FROM municipalities WHERE code = ?), '') AS name""",
        (office_code, municipality_code)) as cur:
        return (await cur.fetchone())["name"]


async def municipality_of_office(conn: aiosqlite.Connection, office_code: str | None) -> str | None:
    """The municipality a post office serves (None without an office, as for an admin)."""
    async with conn.execute("SELECT municipality_code FROM post_offices WHERE code = ?", (office_code,)) as cur:
        row = await cur.fetchone()
    return row["municipality_code"] if row else None


async def _exists(conn: aiosqlite.Connection, sql: str, *params) -> bool:
    async with conn.execute(sql, params) as cur:
        return await cur.fetchone() is not None


async def set_password(conn: aiosqlite.Connection, actor: audit.Actor, user_id: int, password: str) -> None:
    """A new password (it must pass the policy); every token the user had is revoked, so old phones and pages
    sign in again, and the login's failed sign-ins are forgotten."""
    async with conn.execute("SELECT login, name, office_code, municipality_code FROM users WHERE id = ?",
                            (user_id,)) as cur:
        row = await cur.fetchone()
    login, name = (row["login"], row["name"]) if row else ("", "")
    organisation = await _organisation_name(conn, row["office_code"], row["municipality_code"]) if row else ""
    check_password(password, login, name, organisation)
    await conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (hash_password(password), user_id))
    await conn.execute("UPDATE auth_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                       (now_iso(), user_id))
    await forget_login(conn, login)
    await audit.record(conn, actor, "user.password_reset", "user", user_id)


async def set_sees_owner_letters(conn: aiosqlite.Connection, actor: audit.Actor, user: User, allowed: bool) -> None:
    """An admin's letters permission for a post-office clerk: seeing the owners of survey candidates
    (server/users/access.py candidate_owner_condition). Only clerks can hold it; audited."""
    cur = await conn.execute("UPDATE users SET sees_owner_letters = ? WHERE id = ? AND role = 'office'",
                             (int(allowed), user.id))
    if cur.rowcount != 1:
        raise problems.OFFICE_ONLY("owner_letters")
    await audit.record(conn, actor, "user.owner_letters", "user", user.id, {"allowed": allowed})
