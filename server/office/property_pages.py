"""/office/properties, /office/map and the access-checked photos."""

from __future__ import annotations

from litestar import Request, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import File, Template

from server.alerts.queries import alerts_of_property
from server.core.clock import now_jst_input
from server.core.problems import not_found
from server.http.guards import CLERK_PAGE
from server.office.home_pages import OfficeController
from server.office.houses import history_of, house_for, houses_for, photo_visible, report_photo_of, tasks_of
from server.office.map_plot import plot
from server.office.pages import page
from server.office.worklist import districts_of
from server.photos.download import photo_response
from server.subscriptions.queries import subscriptions_for
from server.users.queries import User


class PropertyPages(OfficeController):
    guards = [CLERK_PAGE]

    @get("/properties")
    async def index(self, request: Request, state: State, user: NamedDependency[User], status: FromQuery[str] = "",
                    district: FromQuery[str] = "") -> Template:
        async with state.db.read() as conn:
            houses = await houses_for(conn, user, status=status, district=district)
            districts = await districts_of(conn, user)
        return page("properties.html", user, request, houses=houses, districts=districts, status=status,
                    district=district)

    @get("/properties/{property_id:str}")
    async def show(self, request: Request, state: State, user: NamedDependency[User],
                   property_id: FromPath[str]) -> Template:
        return await property_page(request, state, user, property_id, msg=request.query_params.get("msg"))

    @get("/map")
    async def map(self, request: Request, state: State, user: NamedDependency[User]) -> Template:
        async with state.db.read() as conn:
            houses = await houses_for(conn, user)
        settings = state.settings
        return page("map.html", user, request, plot=plot(houses, settings.tile_url), tile_url=settings.tile_url,
                    attribution=settings.tile_attribution, unplaced=sum(h.lat is None for h in houses))

    @get("/map/houses.json")
    async def map_houses(self, state: State, user: NamedDependency[User]) -> list[dict]:
        """The houses on the map (the caller's own), for static/map.js."""
        async with state.db.read() as conn:
            houses = await houses_for(conn, user)
        return [{"id": h.id, "lat": h.lat, "lon": h.lon, "status": h.map_status, "label": h.address,
                 "href": f"/office/properties/{h.id}"} for h in houses if h.lat is not None and h.lon is not None]


class PhotoPages(OfficeController):
    """Photos for every signed-in role: which one a caller may see is access.py's rule."""

    @get("/photos/{photo_id:str}/{size:str}")
    async def photo(self, state: State, user: NamedDependency[User], photo_id: FromPath[str],
                    size: FromPath[str]) -> File:
        """A photo's thumbnail or report-size image, for those who may see its inspection."""
        if size not in ("thumb", "report"):
            raise not_found("写真")
        async with state.db.read() as conn:
            if not await photo_visible(conn, user, photo_id):
                raise not_found("写真")
        response = await photo_response(state.photos, size, photo_id, "private, max-age=3600")
        if response is None:
            raise not_found("写真")
        return response


async def property_page(request: Request, state: State, user: User, property_id: str, status_code: int = 200,
                        **extra) -> Template:
    """The house with its urgent findings and contact log, tasks, contracts and history."""
    async with state.db.read() as conn:
        house = await house_for(conn, user, property_id)
        if house is None:
            raise not_found("物件")
        history = await history_of(conn, user, property_id)
        tasks = await tasks_of(conn, property_id)
        subs = [s for s in await subscriptions_for(conn, user) if s.property_id == property_id]
        alerts = await alerts_of_property(conn, user, property_id)
        report_photo = await report_photo_of(conn, user, property_id)
    return page("property.html", user, request, status_code=status_code, house=house, history=history, tasks=tasks,
                subscriptions=subs, alerts=alerts, report_photo=report_photo,
                now=now_jst_input(), **extra)
