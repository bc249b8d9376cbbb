"""POST /api/v1/schedule/monthly: make the month's watch visits now (idempotent)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Request, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody

from server.users.access import acting_office
from server.http.guards import MONTHLY_SCHEDULE
from server.schedule.monthly import WATCH_RUBRIC, generate_monthly_visits
from server.users.queries import User
from server.http.web import actor_for, error_responses, provide_user


class MonthlyIn(msgspec.Struct):
    month: Annotated[str, msgspec.Meta(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")]


class MonthlyOut(msgspec.Struct):
    tasks_created: int


class ScheduleController(Controller):
    path = "/api/v1/schedule"
    tags = ["schedule"]
    dependencies = {"user": Provide(provide_user)}
    security = [{"BearerToken": []}]

    @post("/monthly", status_code=200, responses=error_responses(400, 401, 403), guards=[MONTHLY_SCHEDULE])
    async def monthly(self, request: Request, state: State, user: NamedDependency[User],
                      data: JSONBody[MonthlyIn]) -> MonthlyOut:
        """Create the month's watch visits: a clerk for their own office's houses, an admin for all."""
        version = state.rubrics.latest(WATCH_RUBRIC).version
        office = acting_office(user)
        created = await state.db.write(generate_monthly_visits, actor_for(request, user), version, data.month, office)
        return MonthlyOut(created)
