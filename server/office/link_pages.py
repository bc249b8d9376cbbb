"""/office/login/link: an owner signs in with a one-time link mailed to them (server/auth/sign_in_links.py).

Asking for a link answers the same page whether the address is known or not. The link itself opens
a page with one button: mail scanners that fetch every link in a mail would otherwise spend it
before the owner does. Request logs name the route, never the path, so the secret is not logged."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.auth import devices, limits
from server.auth.sign_in_links import normal_email, request_key, request_link, use_key, use_link
from server.auth.tokens import issue_token
from server.core import audit, problems
from server.core.errors import AppError
from server.office.pages import page
from server.office.session import session_cookie_kwargs

_SECRET_MAX = 64


def _address(request: Request) -> str:
    return request.client.host if request.client else "?"


def _refused(request: Request, template: str, exc: AppError, **context) -> Template:
    response = page(template, None, request, status_code=exc.status, error=exc.message, **context)
    if exc.headers:
        response.headers.update(exc.headers)
    if isinstance(exc.details, dict) and "retry_after" in exc.details:
        response.headers["Retry-After"] = str(exc.details["retry_after"])
    return response


class SignInLinkPages(Controller):
    path = "/office/login/link"
    include_in_schema = False

    @get("/")
    async def ask(self, request: Request) -> Template:
        return page("login_link.html", None, request)

    @post("/", status_code=200)
    async def send(self, request: Request, state: State) -> Template:
        typed = str((await request.form()).get("email", ""))[:300]
        try:
            email = normal_email(typed)
        except AppError as exc:
            return _refused(request, "login_link.html", exc, email=typed)
        address = _address(request)
        if wait := await limits.wait_seconds(state.db, request_key(email), address):
            return _refused(request, "login_link.html", limits.refusal(wait, "link_request"), email=typed)
        mail_works = bool(state.settings.smtp_host)
        if mail_works:
            await state.db.write(request_link, audit.Actor(None, None, address), email, address)
        response = page("login_link.html", None, request, sent=True, mail_works=mail_works)
        response.headers["Cache-Control"] = "no-store"
        return response

    @get("/{secret:str}")
    async def confirm(self, request: Request, secret: FromPath[str]) -> Template:
        """Nothing is spent here: the owner presses the button."""
        response = page("login_link_use.html", None, request, secret=secret[:_SECRET_MAX])
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @post("/{secret:str}", status_code=303)
    async def sign_in(self, request: Request, state: State, secret: FromPath[str]) -> Template | Redirect:
        address = _address(request)
        if wait := await limits.wait_seconds(state.db, use_key(address), address):
            return _refused(request, "login_link_use.html", limits.refusal(wait, "link"), secret=None)

        async def spend(conn):
            user_id = await use_link(conn, audit.Actor(None, None, address), secret[:_SECRET_MAX], address)
            if user_id is None:
                return None
            token, _ = await issue_token(conn, user_id, state.settings.token_days)
            return token, await devices.remember(conn, user_id, request.cookies.get(devices.COOKIE))

        signed_in = await state.db.write(spend)
        if signed_in is None:
            return _refused(request, "login_link_use.html", problems.SIGN_IN_LINK_UNUSABLE(), secret=None)
        token, device_cookie = signed_in
        response = Redirect("/office/", status_code=303)
        response.set_cookie(**session_cookie_kwargs(request, token, state.settings.token_days * 86400))
        response.set_cookie(**devices.cookie_kwargs(request, device_cookie))
        return response
