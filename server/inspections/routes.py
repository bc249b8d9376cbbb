"""GET /api/v1/inspections/{id} and POST /api/v1/inspections/{id}/review."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody

from server.core.problems import not_found
from server.http.guards import REVIEWER
from server.inspections.queries import InspectionOut, decide_review, inspection_for
from server.users.queries import User
from server.http.web import actor_for, error_responses, provide_user


class ReviewIn(msgspec.Struct):
    decision: Literal["approve", "return"]
    comment: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class InspectionController(Controller):
    path = "/api/v1/inspections"
    tags = ["inspections"]
    dependencies = {"user": Provide(provide_user)}
    security = [{"BearerToken": []}]

    @get("/{inspection_id:str}", responses=error_responses(401, 404))
    async def show(self, state: State, user: NamedDependency[User], inspection_id: FromPath[str]) -> InspectionOut:
        """An inspection with its result and which photos have arrived (with evidence flags)."""
        async with state.db.read() as conn:
            found = await inspection_for(conn, user, inspection_id)
        if found is None:
            raise not_found("記録")
        return found

    @post("/{inspection_id:str}/review", status_code=200, responses=error_responses(400, 401, 403, 404, 409),
          guards=[REVIEWER])
    async def review(self, request: Request, state: State, user: NamedDependency[User],
                     inspection_id: FromPath[str], data: JSONBody[ReviewIn]) -> InspectionOut:
        """Approve, or return to the carrier with a comment (office of the inspection, admin)."""
        await state.db.write(decide_review, actor_for(request, user), user, inspection_id, data.decision,
                             data.comment)
        async with state.db.read() as conn:
            return await inspection_for(conn, user, inspection_id)

