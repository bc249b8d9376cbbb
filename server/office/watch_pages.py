"""/office/subscriptions: owners and their watch subscriptions (create, options, pause, end)."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.core.clock import today_jst
from server.core.errors import AppError
from server.core.problems import not_found
from server.http.guards import CLERK_PAGE
from server.menu import queries as menu
from server.office.home_pages import OfficeController
from server.office.houses import houses_for
from server.office.pages import page
from server.subscriptions.queries import (
    NewSubscription, change_options, create_subscription, end_subscription, set_paused, subscription_for,
    subscriptions_for,
)
from server.users.queries import User
from server.http.web import actor_for

_FIELDS = ("property_id", "owner_name", "owner_kana", "owner_address", "owner_phone", "owner_email",
           "report_delivery", "requested_spot", "start_date")


class WatchPages(OfficeController):
    guards = [CLERK_PAGE]

    async def _index(self, request, state, user, status_code=200, **extra) -> Template:
        async with state.db.read() as conn:
            subs = await subscriptions_for(conn, user)
            running = {s.property_id for s in subs if not s.end_date}
            houses = [h for h in await houses_for(conn, user, status="active") if h.id not in running]
        return page("subscriptions.html", user, request, status_code=status_code, subscriptions=subs,
                    houses=houses, today=today_jst().isoformat(), msg=request.query_params.get("msg"), **extra)

    @get("/subscriptions")
    async def index(self, request: Request, state: State, user: NamedDependency[User]) -> Template:
        return await self._index(request, state, user)

    @post("/subscriptions", status_code=303)
    async def create(self, request: Request, state: State, user: NamedDependency[User]) -> Redirect | Template:
        form = await request.form()
        values = {k: str(form.get(k, "")) for k in _FIELDS}
        new = NewSubscription(**{**values, "report_delivery": values["report_delivery"] or "web"},
                              options=form.getall("options", []))
        try:
            sub_id = await state.db.write(create_subscription, actor_for(request, user), user, new)
        except AppError as exc:
            if exc.status == 404:
                raise
            return await self._index(request, state, user, 400, error=exc.message, form=values)
        return Redirect(f"/office/subscriptions/{sub_id}?msg=created", status_code=303)

    @get("/subscriptions/{sub_id:int}")
    async def show(self, request: Request, state: State, user: NamedDependency[User], sub_id: FromPath[int]) -> Template:
        async with state.db.read() as conn:
            sub = await subscription_for(conn, user, sub_id)
            if sub is None:
                raise not_found("契約")
            dated = (await menu.options_of(conn, [sub_id]))[sub_id]
            orders = await menu.orders_for(conn, user, sub_id)
            services = await menu.services(conn)
        return page("subscription.html", user, request, sub=sub, today=today_jst().isoformat(), dated=dated,
                    orders=orders, names={s.key: s.name for s in services},
                    orderable=[s for s in services if s.kind in ("one_off", "by_quote") and s.active],
                    msg=request.query_params.get("msg"))

    @post("/subscriptions/{sub_id:int}/{action:str}", status_code=303)
    async def change(self, request: Request, state: State, user: NamedDependency[User], sub_id: FromPath[int],
                     action: FromPath[str]) -> Redirect:
        form = await request.form()
        actor = actor_for(request, user)
        if action == "options":
            await state.db.write(change_options, actor, user, sub_id, form.getall("options", []),
                                 str(form.get("requested_spot", "")), str(form.get("from_day", "")))
        elif action in ("pause", "resume"):
            await state.db.write(set_paused, actor, user, sub_id, action == "pause")
        elif action == "end":
            await state.db.write(end_subscription, actor, user, sub_id,
                                 str(form.get("end_date") or today_jst().isoformat()), str(form.get("reason", "")))
        else:
            raise not_found("操作")
        return Redirect(f"/office/subscriptions/{sub_id}?msg={action}", status_code=303)
