"""The owner's page (/office/): their houses, what they may ask for, their requests and the message thread."""

from __future__ import annotations

from litestar import Request
from litestar.datastructures import State
from litestar.response import Template

from server.alerts.queries import owner_alerts
from server.core.clock import today_jst
from server.menu import queries as menu
from server.messages.queries import thread_for
from server.office.owner_view import owner_houses, owner_offices
from server.office.pages import page
from server.owner_requests import queries as requests
from server.owner_requests.spot_mark import CELLS, markable_photos
from server.users.queries import User


async def owner_home(request: Request, state: State, user: User, status_code: int = 200, **extra) -> Template:
    """The owner's page (/office/): their houses, what they may ask for, their requests and the thread."""
    async with state.db.read() as conn:
        houses = await owner_houses(conn, user)
        services = await menu.services(conn)
        markable = {h.subscription.id: await markable_photos(conn, user, h.subscription.property_id, state.rubrics) for h in houses}
        return page("owner_home.html", user, request, status_code=status_code, houses=houses,
                    alerts=await owner_alerts(conn, user), offices=await owner_offices(conn, houses),
                    thread=await thread_for(conn, user) if houses else [],
                    asked=await requests.requests_for(conn, user), names={s.key: s.name for s in services},
                    monthly=[s for s in services if s.kind == "monthly" and s.active],
                    quotable=[s for s in services if s.kind == "by_quote" and s.active],
                    markable=markable, cells=CELLS, kinds=requests.KINDS, status=requests.STATUS, day_label=requests.day_label,
                    today=today_jst().isoformat(), msg=request.query_params.get("msg"), **extra)
