"""Who may use which door: every role check is one of these Litestar guards, set on a controller or a
route handler. What each role may see inside a door is server/users/access.py's business (SQL conditions).

A guard first refuses input no route takes (server/http/request_bounds.py: impossible ids, undecodable
JSON), then signs the caller in with the handler's own `user` dependency (the API's Bearer token or
the pages' session cookie) and keeps the user in the scope, where that dependency finds it again:
400 comes before 401, 401 before 403, and the token is looked up once per request.
"""

from __future__ import annotations

import inspect
from typing import Awaitable, Callable

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from server.core import problems
from server.users.access import may
from server.core.errors import AppError
from server.core.problems import not_found
from server.inspections.queries import inspection_for
from server.http.request_bounds import check_before_guard
from server.users.queries import User

Refusal = Callable[[ASGIConnection, User], "AppError | Awaitable[AppError]"]
Guard = Callable[[ASGIConnection, BaseRouteHandler], Awaitable[None]]


async def signed_in(connection: ASGIConnection, handler: BaseRouteHandler) -> User:
    """The caller, as the handler's `user` dependency finds them (Unauthorized when no one is signed in)."""
    user = connection.scope.get("user")
    if user is None:
        provide = handler.resolve_dependencies()["user"]
        user = await provide.dependency(request=connection, state=connection.app.state)
        connection.scope["user"] = user
    return user


def who_may(*roles: str, refuse: Refusal) -> Guard:
    """A guard letting these roles through (an admin wherever a clerk may go) and refusing others with
    the error `refuse` gives for the caller."""

    async def guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
        if connection.scope.get("method") == "OPTIONS":
            return  # Litestar's automatic OPTIONS handlers inherit controller guards; no one signs in there
        await check_before_guard(connection)  # bad input is refused before sign-in, as on unguarded routes
        user = await signed_in(connection, handler)
        if may(user, roles):
            return
        error = refuse(connection, user)
        raise (await error) if inspect.isawaitable(error) else error

    guard.roles = roles  # type: ignore[attr-defined]  # read by the tests and the docs
    return guard


# The back-office pages (/office/): a carrier is sent to the field app, others told whose page it is.
_WHO = {"office": "郵便局の担当者", "municipality": "自治体の担当者", "owner": "所有者", "admin": "管理者"}


def _page_refusal(*roles: str) -> Refusal:
    def refuse(connection: ASGIConnection, user: User) -> AppError:
        if user.role == "carrier":
            return problems.CARRIER_USE_APP()
        return problems.WRONG_ROLE(who="・".join(_WHO.get(r, r) for r in roles))
    return refuse


def page_for(*roles: str) -> Guard:
    """A back-office page for these roles."""
    return who_may(*roles, refuse=_page_refusal(*roles))


CLERK_PAGE = page_for("office")
CLERK_OR_MUNICIPALITY_PAGE = page_for("office", "municipality")
ADMIN_PAGE = page_for("admin")  # the menu's prices
OWNER_PAGE = page_for("owner")


# The API.
CARRIER_DEVICE = who_may("carrier", refuse=lambda connection, user: problems.CARRIERS_ONLY())
DISASTER_DESK = who_may("office", refuse=lambda connection, user: problems.OFFICE_ONLY("disaster"))
MONTHLY_SCHEDULE = who_may("office", refuse=lambda connection, user: problems.OFFICE_ONLY("schedule"))
# The owner's documents: whoever else asks learns nothing (404, as for a missing report).
OWNER_DOCUMENTS = who_may("owner", "office", refuse=lambda connection, user: not_found("報告書"))


async def _review_refusal(connection: ASGIConnection, user: User) -> AppError:
    """404 for an inspection the caller may not see (as for a missing one); 403 for one they see."""
    async with connection.app.state.db.read() as conn:
        if await inspection_for(conn, user, connection.path_params["inspection_id"]) is None:
            return not_found("記録")
    return problems.REVIEWERS_ONLY()


REVIEWER = who_may("office", refuse=_review_refusal)
