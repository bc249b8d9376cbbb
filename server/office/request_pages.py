"""Owners' requests: the owner asks from their page (/office/, POST /office/requests); the office's queue
(/office/requests) accepts or declines each with a reason the owner reads."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.core import problems
from server.core.errors import AppError
from server.http.guards import CLERK_PAGE, OWNER_PAGE
from server.http.web import actor_for
from server.menu import queries as menu
from server.office.home_pages import OfficeController
from server.office.owner_home import owner_home
from server.office.pages import page
from server.owner_requests import queries as requests
from server.owner_requests.spot_mark import CELLS
from server.option_work.queries import task_forms
from server.users.queries import User

_FORM_FIELDS = ("subscription_id", "kind", "service_key", "wanted_on", "body", "requested_spot", "note",
                "spot_photo_id", "spot_cell")


class RequestPages(OfficeController):
    @post("/requests", guards=[OWNER_PAGE], status_code=303)
    async def owner_asks(self, request: Request, state: State, user: NamedDependency[User]) -> Redirect | Template:
        form = await request.form()
        typed = {k: str(form.get(k, ""))[:10_000] for k in _FORM_FIELDS}
        sub_id = typed["subscription_id"]
        if not sub_id.isdigit():
            raise problems.not_found("契約")
        asked = requests.Asked(int(sub_id), typed["kind"], typed["service_key"], typed["wanted_on"],
                               typed["requested_spot"] or typed["note"], typed["spot_photo_id"], typed["spot_cell"])
        try:
            await state.db.write(requests.ask, actor_for(request, user), user, asked)
        except AppError as exc:
            if exc.status == 404:
                raise
            return await owner_home(request, state, user, exc.status, request_error=exc.message, request_typed=typed)
        return Redirect("/office/?msg=request_sent#requests", status_code=303)

    @get("/requests", guards=[CLERK_PAGE])
    async def queue(self, request: Request, state: State, user: NamedDependency[User]) -> Template:
        return await self._queue(request, state, user)

    async def _queue(self, request, state, user, status_code=200, **extra) -> Template:
        async with state.db.read() as conn:
            found = await requests.requests_for(conn, user)
            names = {s.key: s.name for s in await menu.services(conn)}
        return page("requests.html", user, request, status_code=status_code, requests=found, names=names,
                    kinds=requests.KINDS, status=requests.STATUS, cells=CELLS, msg=request.query_params.get("msg"), **extra)

    @post("/requests/{request_id:int}/{action:str}", guards=[CLERK_PAGE], status_code=303)
    async def decide(self, request: Request, state: State, user: NamedDependency[User], request_id: FromPath[int],
                     action: FromPath[str]) -> Redirect | Template:
        form = await request.form()
        actor = actor_for(request, user)
        try:
            if action == "accept":
                await state.db.write(requests.accept, actor, user, request_id, task_forms(state.rubrics))
            elif action == "decline":
                await state.db.write(requests.decline, actor, user, request_id, str(form.get("reason", ""))[:10_000])
            else:
                raise problems.not_found("操作")
        except AppError as exc:
            if exc.status == 404:
                raise
            return await self._queue(request, state, user, exc.status, error=exc.message, failed=request_id)
        return Redirect(f"/office/requests?msg={action}#request-{request_id}", status_code=303)
