"""/office/disasters: register a disaster from a form, edit it, follow each sweep's progress."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.core.clock import JST, now
from server.disasters.queries import (
    DISASTER_RUBRIC, check_editable, event_for, events_for, register_event, update_event,
)
from server.core.errors import AppError
from server.core.problems import not_found
from server.http.guards import CLERK_PAGE
from server.office.disaster_form import event_from_values, event_values, posted_values
from server.office.home_pages import OfficeController
from server.office.pages import page
from server.users.queries import User, municipality_of_office
from server.http.web import actor_for


async def _own_municipality(state: State, user: User) -> str | None:
    """A blank area means the clerk's own municipality (an admin has none)."""
    async with state.db.read() as conn:
        return await municipality_of_office(conn, user.office_code)


class DisasterPages(OfficeController):
    guards = [CLERK_PAGE]

    async def _index(self, request, state, user, status_code=200, **extra) -> Template:
        async with state.db.read() as conn:
            events = await events_for(conn, user)
        return page("disasters.html", user, request, status_code=status_code, events=events,
                    values={"occurred_at": now().astimezone(JST).strftime("%Y-%m-%dT%H:%M")}, **extra)

    @get("/disasters")
    async def index(self, request: Request, state: State, user: NamedDependency[User]) -> Template:
        return await self._index(request, state, user)

    @post("/disasters", status_code=303)
    async def create(self, request: Request, state: State, user: NamedDependency[User]) -> Redirect | Template:
        values = posted_values(await request.form())
        try:
            event = event_from_values(values, await _own_municipality(state, user))
            version = state.rubrics.latest(DISASTER_RUBRIC).version
            event_id, _, created = await state.db.write(register_event, actor_for(request, user), user, event, version)
        except AppError as exc:
            return await self._index(request, state, user, exc.status, error=exc.message, values=values)
        return Redirect(f"/office/disasters/{event_id}?created={created}", status_code=303)

    @get("/disasters/{event_id:int}")
    async def show(self, request: Request, state: State, user: NamedDependency[User],
                   event_id: FromPath[int]) -> Template:
        event = await _visible_event(state, user, event_id)
        return page("disaster.html", user, request, event=event, created=request.query_params.get("created"),
                    updated=request.query_params.get("updated"))

    @get("/disasters/{event_id:int}/edit")
    async def edit_form(self, request: Request, state: State, user: NamedDependency[User],
                        event_id: FromPath[int]) -> Template:
        event = await _editable_event(state, user, event_id)
        return page("disaster_edit.html", user, request, event=event, values=event_values(event))

    @post("/disasters/{event_id:int}/edit", status_code=303)
    async def edit(self, request: Request, state: State, user: NamedDependency[User],
                   event_id: FromPath[int]) -> Redirect | Template:
        """The same change as PUT /api/v1/disaster-events/{id}: sweep again, no second check for a house."""
        values = posted_values(await request.form())
        event = await _editable_event(state, user, event_id)

        async def change(conn, changed):
            return await update_event(conn, actor_for(request, user), user, event_id, changed,
                                      state.rubrics.latest(DISASTER_RUBRIC).version)

        try:
            created = await state.db.write(change, event_from_values(values, await _own_municipality(state, user)))
        except AppError as exc:
            return page("disaster_edit.html", user, request, status_code=exc.status, event=event, values=values,
                        error=exc.message)
        return Redirect(f"/office/disasters/{event_id}?updated={created}", status_code=303)


async def _visible_event(state: State, user: User, event_id: int):
    """The event if this user may see it; 404 for missing and forbidden alike."""
    async with state.db.read() as conn:
        event = await event_for(conn, user, event_id)
    if event is None:
        raise not_found("災害")
    return event


async def _editable_event(state: State, user: User, event_id: int):
    """The event if this user may change it: 404 as above; 403 when another office registered it."""
    async with state.db.read() as conn:
        await check_editable(conn, user, event_id)
        return await event_for(conn, user, event_id)
