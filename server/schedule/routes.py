"""POST /api/v1/schedule/monthly: make the month's watch visits now (idempotent)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Request, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody

from server import problems
from server.schedule.monthly import WATCH_RUBRIC, generate_monthly_visits
from server.users.queries import User
from server.web import actor_for, error_responses, provide_user


class MonthlyIn(msgspec.Struct):
    month: Annotated[str, msgspec.Meta(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")]


class MonthlyOut(msgspec.Struct):
    tasks_created: int


class ScheduleController(Controller):
    path = "/api/v1/schedule"
    tags = ["schedule"]
    dependencies = {"user": Provide(provide_user)}
    security = [{"BearerToken": []}]

    @post("/monthly", status_code=200, responses=error_responses(400, 401, 403))
    async def monthly(self, request: Request, state: State, user: NamedDependency[User],
                      data: JSONBody[MonthlyIn]) -> MonthlyOut:
        """Create the month's watch visits: a clerk for their own office's houses, an admin for all."""
        if user.role not in ("office", "admin"):
            raise problems.OFFICE_ONLY("schedule")
        version = state.rubrics.latest(WATCH_RUBRIC).version
        office = user.office_code if user.role == "office" else None
        created = await state.db.write(generate_monthly_visits, actor_for(request, user), version, data.month, office)
        return MonthlyOut(created)
