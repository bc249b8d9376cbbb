"""/office/: each role's home page."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.response import Template

from server.alerts.queries import open_alerts
from server.core.clock import today_jst
from server.contracts.candidates import candidates_for
from server.contracts.queries import contracts_for
from server.core.errors import AppError
from server.messages.queries import awaiting_answer
from server.office.owner_home import owner_home
from server.owner_requests.queries import requests_for
from server.office.pages import page, page_error_handler
from server.office.review import review_queue
from server.office.session import page_user
from server.office.worklist import open_tasks, split_by_due
from server.users.queries import User


class OfficeController(Controller):
    """Base for every signed-in page: the user from the session cookie, errors as pages."""

    path = "/office"
    include_in_schema = False
    dependencies = {"user": Provide(page_user)}
    exception_handlers = {AppError: page_error_handler}


class HomeController(OfficeController):
    @get("/")
    async def home(self, request: Request, state: State, user: NamedDependency[User]) -> Template:
        if user.role == "owner":
            return await owner_home(request, state, user)
        async with state.db.read() as conn:
            if user.role == "carrier":
                return page("carrier.html", user, request)
            if user.role == "municipality":
                return page("contracts.html", user, request, contracts=await contracts_for(conn, user))
            tasks = await open_tasks(conn, user)
            overdue, due_soon = split_by_due(tasks, today_jst())
            return page("home_office.html", user, request, overdue=overdue, due_soon=due_soon,
                        queue=len(await review_queue(conn, user)),
                        candidates=len(await candidates_for(conn, user)),
                        unassigned=sum(t.assignee_id is None for t in tasks), open_count=len(tasks),
                        alerts=await open_alerts(conn, user), awaiting=await awaiting_answer(conn, user),
                        requests_open=len(await requests_for(conn, user, status="open")))
