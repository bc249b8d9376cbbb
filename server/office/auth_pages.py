"""/office/login and /office/logout: the pages' sign-in, with the API's accounts and tokens."""

from __future__ import annotations

import asyncio

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from server.core import audit
from server.auth import limits
from server.auth.passwords import DUMMY_HASH, verify_password
from server.auth.tokens import issue_token, revoke_token, user_for_token
from server.office.pages import page
from server.office.session import session_cookie_kwargs
from server.users.queries import password_hash_for
from server.http.web import SESSION_COOKIE

DEMO_LOGINS = "admin, office1, office2, town1, carrier1〜4, owner1〜10（パスワード akiya-demo）"


def _login_page(request: Request, state: State, status_code: int = 200, **context) -> Template:
    """The sign-in form; the demo logins and password only in demo mode (which runs only on the demo database)."""
    return page("login.html", None, request, status_code=status_code,
                demo=state.settings.demo and DEMO_LOGINS, **context)


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/office/") and "//" not in target else "/office/"


class OfficeAuthController(Controller):
    path = "/office"
    include_in_schema = False

    @get("/login")
    async def login_form(self, request: Request, state: State, next: FromQuery[str | None] = None) -> Template:
        return _login_page(request, state, next=_safe_next(next))

    @post("/login", status_code=303)
    async def login(self, request: Request, state: State) -> Template | Redirect:
        form = await request.form()
        login = str(form.get("login", "")).strip()[:100]
        password = str(form.get("password", ""))
        target = _safe_next(form.get("next"))
        address = request.client.host if request.client else "?"
        if wait := await limits.wait_seconds(state.db, login, address):
            response = _login_page(request, state, 429, next=target, login=login, error=limits.refusal(wait).message)
            response.headers["Retry-After"] = str(wait)
            return response
        async with state.db.read() as conn:
            found = await password_hash_for(conn, login)
        ok = await asyncio.to_thread(verify_password, password, found.password_hash if found else DUMMY_HASH)
        if not (found and ok):
            await state.db.write(limits.note_failure, audit.Actor(None, None, address), login, address)
            return _login_page(request, state, 401, next=target, login=login, error="ログイン名またはパスワードが違います。")

        async def sign_in(conn):
            token, _ = await issue_token(conn, found.id, state.settings.token_days)
            await audit.record(conn, audit.Actor(found.id, "office", address), "auth.login", "user", found.id)
            await limits.note_success(conn, login, address)
            return token

        token = await state.db.write(sign_in)
        response = Redirect(target, status_code=303)
        response.set_cookie(**session_cookie_kwargs(request, token, state.settings.token_days * 86400))
        return response

    @post("/logout", status_code=303)
    async def logout(self, request: Request, state: State) -> Redirect:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            async with state.db.read() as conn:
                found = await user_for_token(conn, token)

            async def sign_out(conn):
                await revoke_token(conn, token)
                if found:
                    await audit.record(conn, audit.Actor(found.user.id, "office", request.client.host if request.client
                                                         else None), "auth.logout", "user", found.user.id)

            await state.db.write(sign_out)
        response = Redirect("/office/login", status_code=303)
        response.set_cookie(**session_cookie_kwargs(request, None, 0))
        return response
