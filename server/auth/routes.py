"""POST /api/v1/auth/login and /logout."""

from __future__ import annotations

import asyncio

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody

from server.core import audit
from server.auth import limits
from server.auth.passwords import DUMMY_HASH, verify_password
from server.auth.tokens import issue_token, revoke_token
from server.core import problems
from server.users.queries import User, password_hash_for, user_by_id
from server.http.web import actor_for, bearer_token, error_responses, provide_user


class LoginBody(msgspec.Struct):
    login: str
    password: str


class UserOut(msgspec.Struct):
    id: int
    login: str
    name: str
    role: str


class LoginOut(msgspec.Struct):
    token: str
    expires_at: str
    user: UserOut



class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["auth"]

    @post("/login", responses=error_responses(400, 401, 429), status_code=200)
    async def login(self, request: Request, state: State, data: JSONBody[LoginBody]) -> LoginOut:
        """Sign in with login and password; returns a bearer token (unknown login and wrong password look the same)."""
        login = data.login.strip()[:100]
        address = request.client.host if request.client else "?"
        if wait := await limits.wait_seconds(state.db, login, address):
            raise limits.refusal(wait)
        async with state.db.read() as conn:
            found = await password_hash_for(conn, login)
        encoded = found.password_hash if found else DUMMY_HASH
        ok = await asyncio.to_thread(verify_password, data.password, encoded)
        if not (found and ok):
            await state.db.write(limits.note_failure, actor_for(request, None), login, address)
            raise problems.BAD_CREDENTIALS()
        user_id = found.id

        async def sign_in(conn):
            token, expires_at = await issue_token(conn, user_id, state.settings.token_days)
            actor = audit.Actor(user_id, request.headers.get("x-device-id"), address)
            await audit.record(conn, actor, "auth.login", "user", user_id)
            await limits.note_success(conn, login, address)
            return token, expires_at, await user_by_id(conn, user_id)

        token, expires_at, user = await state.db.write(sign_in)
        return LoginOut(token, expires_at, UserOut(user.id, user.login, user.name, user.role))

    @post("/logout", dependencies={"user": Provide(provide_user)}, responses=error_responses(401),
          status_code=204, security=[{"BearerToken": []}])
    async def logout(self, request: Request, state: State, user: NamedDependency[User]) -> None:
        """Revoke the token this request was made with."""
        token = bearer_token(request)

        async def sign_out(conn):
            await revoke_token(conn, token)
            await audit.record(conn, actor_for(request, user), "auth.logout", "user", user.id)

        await state.db.write(sign_out)


class MeController(Controller):
    path = "/api/v1/me"
    tags = ["auth"]
    dependencies = {"user": Provide(provide_user)}
    security = [{"BearerToken": []}]

    @get("/", responses=error_responses(401))
    async def me(self, user: NamedDependency[User]) -> UserOut:
        """Who the token belongs to."""
        return UserOut(user.id, user.login, user.name, user.role)
