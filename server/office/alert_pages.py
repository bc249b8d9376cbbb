"""Urgent findings on the pages: confirm (and choose how the owner is told), log a contact,
close. Every write is audited; a mistake in a form comes back as the property page with the
message and the typed input kept."""

from __future__ import annotations

from litestar import Request, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.alerts.queries import close_alert, confirm_alert, log_contact, property_of_alert
from server.core.errors import BadRequest
from server.http.guards import CLERK_PAGE
from server.office.home_pages import OfficeController
from server.office.property_pages import property_page
from server.users.queries import User
from server.http.web import actor_for


class AlertPages(OfficeController):
    guards = [CLERK_PAGE]

    async def _done(self, request: Request, state: State, user: User, alert_id: int, write, form: dict,
                    msg: str) -> Redirect | Template:
        try:
            property_id = await state.db.write(write)
        except BadRequest as exc:
            async with state.db.read() as conn:
                property_id = await property_of_alert(conn, alert_id)
            return await property_page(request, state, user, property_id, status_code=400,
                                       alert_form={"id": alert_id, "error": exc.message, **form})
        return Redirect(f"/office/properties/{property_id}?msg={msg}#alert-{alert_id}", status_code=303)

    @post("/alerts/{alert_id:int}/confirm", status_code=303)
    async def confirm(self, request: Request, state: State, user: NamedDependency[User],
                      alert_id: FromPath[int]) -> Redirect | Template:
        form = await request.form()
        notice, note = str(form.get("owner_notice", "")), str(form.get("owner_note", ""))[:2000]

        async def write(conn):
            await confirm_alert(conn, actor_for(request, user), user, alert_id, notice, note)
            return await property_of_alert(conn, alert_id)
        return await self._done(request, state, user, alert_id, write,
                                {"owner_notice": notice, "owner_note": note}, "alert_confirmed")

    @post("/alerts/{alert_id:int}/contacts", status_code=303)
    async def contact(self, request: Request, state: State, user: NamedDependency[User],
                      alert_id: FromPath[int]) -> Redirect | Template:
        form = await request.form()
        fields = {k: str(form.get(k, "")) for k in ("contacted_by", "contacted", "contacted_at", "agreed")}

        async def write(conn):
            await log_contact(conn, actor_for(request, user), user, alert_id, **fields)
            return await property_of_alert(conn, alert_id)
        return await self._done(request, state, user, alert_id, write, fields, "alert_contact")

    @post("/alerts/{alert_id:int}/close", status_code=303)
    async def close(self, request: Request, state: State, user: NamedDependency[User],
                    alert_id: FromPath[int]) -> Redirect | Template:

        async def write(conn):
            await close_alert(conn, actor_for(request, user), user, alert_id)
            return await property_of_alert(conn, alert_id)
        return await self._done(request, state, user, alert_id, write, {}, "alert_closed")

