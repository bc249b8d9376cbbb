"""/office/tasks (assignment) and /office/review (approve or return)."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from server.core import problems
from server.core.errors import BadRequest
from server.core.problems import not_found
from server.http.guards import CLERK_PAGE
from server.inspections.queries import decide_review
from server.office.home_pages import OfficeController
from server.office.pages import page
from server.office.review import inspection_view, previous_visit_id, review_queue
from server.office.review_compare import aligned_rows, paired_photos
from server.office.worklist import assign_tasks, carriers_of, districts_of, open_tasks
from server.http.request_bounds import parse_id
from server.users.queries import User
from server.http.web import actor_for


class TaskPages(OfficeController):
    guards = [CLERK_PAGE]

    @get("/tasks")
    async def index(self, request: Request, state: State, user: NamedDependency[User], district: FromQuery[str] = "",
                    kind: FromQuery[str] = "", unassigned: FromQuery[bool] = False) -> Template:
        async with state.db.read() as conn:
            tasks = await open_tasks(conn, user, district=district, kind=kind, unassigned=unassigned)
            carriers = await carriers_of(conn, user)
            districts = await districts_of(conn, user)
        return page("tasks.html", user, request, tasks=tasks, carriers=carriers, districts=districts,
                    filters={"district": district, "kind": kind, "unassigned": unassigned},
                    msg=request.query_params.get("msg"))

    @post("/tasks/assign", status_code=303)
    async def assign(self, request: Request, state: State, user: NamedDependency[User]) -> Redirect:
        """Selected tasks, or every open task of a district (bulk), to one carrier."""
        form = await request.form()
        carrier = str(form.get("carrier_id", ""))
        carrier_id = parse_id(carrier)
        task_ids = form.getall("task_id", [])
        if form.get("scope") == "district":
            district = str(form.get("district", ""))
            if not district:
                raise problems.DISTRICT_REQUIRED()
            async with state.db.read() as conn:
                task_ids = [t.id for t in await open_tasks(conn, user, district=district)]
        changed = await state.db.write(assign_tasks, actor_for(request, user), user, task_ids, carrier_id)
        return Redirect(f"/office/tasks?msg=assigned&n={changed}", status_code=303)

    @get("/review")
    async def queue(self, request: Request, state: State, user: NamedDependency[User]) -> Template:
        async with state.db.read() as conn:
            entries = await review_queue(conn, user)
        return page("review.html", user, request, entries=entries, msg=request.query_params.get("msg"))

    @get("/review/{inspection_id:str}")
    async def item(self, request: Request, state: State, user: NamedDependency[User],
                   inspection_id: FromPath[str]) -> Template:
        return await review_page(request, state, user, inspection_id)

    @post("/review/{inspection_id:str}", status_code=303)
    async def decide(self, request: Request, state: State, user: NamedDependency[User],
                     inspection_id: FromPath[str]) -> Redirect | Template:
        """Approve, or return to the carrier with a comment: the same rules as the API. A mistake
        shows the same page again with the message and what was typed; approving a record with
        flagged photos asks for a tick that the flags were looked at."""
        form = await request.form()
        decision = str(form.get("decision", ""))
        comment = str(form.get("comment", "")).strip()[:2000]
        flags_seen = form.get("flags_seen") == "yes"
        try:
            if decision not in ("approve", "return"):
                raise problems.INVALID_DECISION()
            if decision == "approve" and not flags_seen:
                async with state.db.read() as conn:
                    current = await inspection_view(conn, user, state.rubrics, inspection_id)
                flagged = sum(bool(p.flags) for p in current.photos) if current else 0
                if flagged:
                    raise problems.FLAGS_NOT_SEEN(flagged=flagged)
            await state.db.write(decide_review, actor_for(request, user), user, inspection_id, decision, comment)
        except BadRequest as exc:
            return await review_page(request, state, user, inspection_id, status_code=400, error=exc.message,
                                     comment=comment, flags_seen=flags_seen)
        return Redirect(f"/office/review?msg={decision}", status_code=303)


async def review_page(request: Request, state: State, user: User, inspection_id: str, status_code: int = 200,
                      **extra) -> Template:
    async with state.db.read() as conn:
        current = await inspection_view(conn, user, state.rubrics, inspection_id)
        if current is None:
            raise not_found("記録")
        previous_id = await previous_visit_id(conn, current)
        previous = await inspection_view(conn, user, state.rubrics, previous_id) if previous_id else None
    return page("review_item.html", user, request, status_code=status_code, current=current, previous=previous,
                rows=aligned_rows(current, previous), pairs=paired_photos(current, previous),
                flagged=sum(bool(p.flags) for p in current.photos), **extra)
