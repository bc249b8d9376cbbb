"""Signing in to the pages: the same accounts and tokens as the API, carried in an HttpOnly cookie.

State-changing requests are protected by Litestar's double-submit CSRF cookie (every form carries
`_csrf_token`); the API is excluded because its writes take a Bearer token, never the cookie."""

from __future__ import annotations

import secrets
from pathlib import Path

from litestar import Request
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State

from server.core import problems
from server.users.queries import User
from server.http.web import SESSION_COOKIE, user_from_token

CSRF_COOKIE = "akiya_csrf"


def csrf_secret(data_dir: Path) -> str:
    """A secret kept in the data directory, so forms stay valid across restarts."""
    path = Path(data_dir) / "csrf_secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def csrf_config(settings) -> CSRFConfig:
    return CSRFConfig(secret=csrf_secret(settings.data_dir), cookie_name=CSRF_COOKIE, cookie_httponly=True,
                      cookie_samesite="strict", cookie_secure=settings.ssl_certfile is not None,
                      exclude=[r"^/api/", r"^/app/", r"^/schema", r"^/healthz"])


async def page_user(request: Request, state: State) -> User:
    """The user signed in to the pages (cookie), or Unauthorized (the pages redirect to sign-in).
    A guard (server/http/guards.py) may have found the user already."""
    if (known := request.scope.get("user")) is not None:
        return known
    user = await user_from_token(state, request.cookies.get(SESSION_COOKIE))
    if user is None:
        raise problems.UNAUTHENTICATED("office")
    return user


def session_cookie_kwargs(request: Request, token: str | None, max_age: int) -> dict:
    return dict(key=SESSION_COOKIE, value=token or "", max_age=max_age, path="/", httponly=True,
                samesite="lax", secure=request.url.scheme == "https")
