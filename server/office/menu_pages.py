"""/office/menu (the services and their price history; the admin adds a price from a date), /office/orders
(one-off and quoted work: the office records the wish, the quote, the owner's acceptance, the work done) and
/office/billing?month=YYYY-MM (every statement of the month for the office's billing, audited)."""

from __future__ import annotations

import re
from typing import Annotated

from litestar import Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from server.core import audit, problems
from server.core.clock import today_jst
from server.http.guards import ADMIN_PAGE, CLERK_PAGE
from server.http.web import actor_for
from server.menu import queries as menu
from server.menu.billing import billing_csv, statements
from server.menu.statement import NO_PAYMENT, RULE
from server.office.home_pages import OfficeController
from server.office.pages import page
from server.option_work.queries import task_forms
from server.users.queries import User

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class MenuPages(OfficeController):
    guards = [CLERK_PAGE]

    @get("/menu")
    async def index(self, request: Request, state: State, user: NamedDependency[User]) -> Template:
        async with state.db.read() as conn:
            services, history, orders = await menu.services(conn), await menu.prices(conn), await menu.orders_for(conn, user)
        today = today_jst().isoformat()
        current = {s.key: menu.price_on(history, s.key, today) for s in services}
        return page("menu.html", user, request, services=services, history=history, current=current,
                    kinds=menu.KINDS, orders=orders, names={s.key: s.name for s in services}, today=today,
                    month=today[:7], rule=RULE, no_payment=NO_PAYMENT, msg=request.query_params.get("msg"))

    @post("/menu/prices", status_code=303, guards=[ADMIN_PAGE])
    async def add_price(self, request: Request, state: State, user: NamedDependency[User]) -> Redirect:
        form = await request.form()
        await state.db.write(menu.add_price, actor_for(request, user), str(form.get("service_key", "")),
                             str(form.get("valid_from", "")), str(form.get("yen", "")), str(form.get("reference", "")))
        return Redirect("/office/menu?msg=price", status_code=303)

    @post("/orders", status_code=303)
    async def add_order(self, request: Request, state: State, user: NamedDependency[User]) -> Redirect:
        form = await request.form()
        sub_id = str(form.get("subscription_id", ""))
        if not sub_id.isdigit():
            raise problems.not_found("契約")
        await state.db.write(menu.add_order, actor_for(request, user), user, int(sub_id),
                             str(form.get("service_key", "")), str(form.get("wanted_on", "")), str(form.get("note", "")),
                             task_forms(state.rubrics))
        return Redirect(f"/office/subscriptions/{sub_id}?msg=order", status_code=303)

    @post("/orders/{order_id:int}/{action:str}", status_code=303)
    async def change_order(self, request: Request, state: State, user: NamedDependency[User],
                           order_id: FromPath[int], action: FromPath[str]) -> Redirect:
        form = await request.form()
        actor = actor_for(request, user)
        if action == "quote":
            await state.db.write(menu.record_quote, actor, user, order_id, str(form.get("yen", "")))
        elif action == "accept":
            await state.db.write(menu.record_acceptance, actor, user, order_id, task_forms(state.rubrics))
        elif action == "done":
            await state.db.write(menu.record_done, actor, user, order_id, str(form.get("done_on", "")),
                                 str(form.get("done_note", "")))
        else:
            raise problems.not_found("操作")
        return Redirect(f"/office/menu?msg=order_{action}#orders", status_code=303)

    @get("/billing")
    async def billing(self, request: Request, state: State, user: NamedDependency[User],
                      month: Annotated[str, QueryParameter()] = "") -> Response:
        """利用明細 of every subscription the user sees for one month (?month=YYYY-MM), as CSV; audited."""
        if not _MONTH.match(month):
            raise problems.INVALID_MONTH()

        async def make(conn) -> str:
            subs = await menu.subscriptions_in_month(conn, user, month)
            text = billing_csv(subs, await statements(conn, subs, month), month)
            await audit.record(conn, actor_for(request, user), "billing.csv", "period", month, {"subscriptions": len(subs)})
            return text

        text = await state.db.write(make)
        return Response(text.encode("utf-8"), media_type="text/csv", encoding="utf-8", headers={
            "Content-Disposition": f"attachment; filename=billing_{month}.csv", "Cache-Control": "private, no-store"})
