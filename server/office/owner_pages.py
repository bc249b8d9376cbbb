"""/office/owners/{id}: an owner as the post office knows them, and issuing their sign-in for the pages."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from server.core.errors import AppError
from server.core.problems import not_found
from server.http.guards import CLERK_PAGE
from server.messages.queries import thread_for
from server.office.home_pages import OfficeController
from server.office.pages import page
from server.subscriptions.owner_logins import issue_owner_login, owner_for, reset_owner_password
from server.users.queries import User
from server.http.web import actor_for


class OwnerPages(OfficeController):
    guards = [CLERK_PAGE]

    async def _owner(self, request, state, user, owner_id, status_code=200, **extra) -> Template:
        async with state.db.read() as conn:
            owner = await owner_for(conn, user, owner_id)
            if owner is None:
                raise not_found("所有者")
            thread = await thread_for(conn, user, owner_id)
        return page("owner.html", user, request, status_code=status_code, owner=owner, thread=thread,
                    msg=request.query_params.get("msg"), **extra)

    @get("/owners/{owner_id:int}")
    async def show(self, request: Request, state: State, user: NamedDependency[User],
                   owner_id: FromPath[int]) -> Template:
        return await self._owner(request, state, user, owner_id)

    @post("/owners/{owner_id:int}/login", status_code=200)
    async def issue_login(self, request: Request, state: State, user: NamedDependency[User],
                          owner_id: FromPath[int]) -> Template:
        """The password is in this response only: never stored in clear, never shown again."""
        login = str((await request.form()).get("login", "")).strip()[:100]
        try:
            password = await state.db.write(issue_owner_login, actor_for(request, user), user, owner_id, login)
        except AppError as exc:
            if exc.status == 404:
                raise
            return await self._owner(request, state, user, owner_id, exc.status, error=exc.message, login=login)
        async with state.db.read() as conn:
            owner = await owner_for(conn, user, owner_id)
        response = page("owner_login_issued.html", user, request, owner=owner, password=password)
        response.headers["Cache-Control"] = "no-store"
        return response

    @post("/owners/{owner_id:int}/password", status_code=200)
    async def reset_password(self, request: Request, state: State, user: NamedDependency[User],
                             owner_id: FromPath[int]) -> Template:
        """A new initial password for a lost letter; shown in this response only."""
        try:
            password = await state.db.write(reset_owner_password, actor_for(request, user), user, owner_id)
        except AppError as exc:
            if exc.status == 404:
                raise
            return await self._owner(request, state, user, owner_id, exc.status, error=exc.message)
        async with state.db.read() as conn:
            owner = await owner_for(conn, user, owner_id)
        response = page("owner_login_issued.html", user, request, owner=owner, password=password, reissued=True)
        response.headers["Cache-Control"] = "no-store"
        return response
