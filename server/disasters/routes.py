"""/api/v1/disaster-events: register a disaster, edit it, follow its sweep."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post, put
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody

import msgspec

from server.disasters.area import check_area
from server.disasters.queries import (
    DISASTER_RUBRIC, EventIn, EventOut, event_for, events_for, register_event, update_event,
)
from server.core.problems import not_found
from server.http.guards import DISASTER_DESK
from server.users.queries import User
from server.http.web import actor_for, error_responses, provide_user


class RegisteredOut(msgspec.Struct):
    id: int
    tasks_created: int


class DisasterController(Controller):
    path = "/api/v1/disaster-events"
    tags = ["disasters"]
    dependencies = {"user": Provide(provide_user)}
    security = [{"BearerToken": []}]
    guards = [DISASTER_DESK]

    @post("/", responses=error_responses(400, 401, 403))
    async def register(self, request: Request, state: State, user: NamedDependency[User],
                       data: JSONBody[EventIn]) -> Response[RegisteredOut]:
        """Register a disaster and sweep its area: 201 new event; 200 when the same event (kind, time,
        area) exists — then only houses not yet given a check get one."""
        check_area(data.area)
        version = state.rubrics.latest(DISASTER_RUBRIC).version
        event_id, is_new, created = await state.db.write(
            register_event, actor_for(request, user), user, data, version)
        return Response(RegisteredOut(event_id, created), status_code=201 if is_new else 200)

    @put("/{event_id:int}", responses=error_responses(400, 401, 403, 404, 409))
    async def update(self, request: Request, state: State, user: NamedDependency[User], event_id: FromPath[int],
                     data: JSONBody[EventIn]) -> RegisteredOut:
        """Edit an event and sweep again (no second task for a house already given one). Only the office
        that registered it, or an admin: 403 for an event the caller sees but did not register."""
        check_area(data.area)
        version = state.rubrics.latest(DISASTER_RUBRIC).version
        created = await state.db.write(update_event, actor_for(request, user), user, event_id, data, version)
        return RegisteredOut(event_id, created)

    @get("/", responses=error_responses(401, 403))
    async def index(self, state: State, user: NamedDependency[User]) -> list[EventOut]:
        """Events the caller's office registered or has checks for, newest first, with progress."""
        async with state.db.read() as conn:
            return await events_for(conn, user)

    @get("/{event_id:int}", responses=error_responses(401, 403, 404))
    async def show(self, state: State, user: NamedDependency[User], event_id: FromPath[int]) -> EventOut:
        """An event with its sweep's progress (done / remaining) and each check."""
        async with state.db.read() as conn:
            found = await event_for(conn, user, event_id)
        if found is None:
            raise not_found("災害")
        return found
