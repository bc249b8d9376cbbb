"""/office/disasters: register a disaster from a form, follow each sweep's progress."""

from __future__ import annotations

from datetime import datetime

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from server.clock import JST, now
from server.disasters.area import Area, Center, check_area
from server.disasters.queries import DISASTER_RUBRIC, KIND_LABELS, EventIn, event_for, events_for, register_event
from server.errors import AppError, BadRequest, not_found
from server.office.guards import require
from server.office.home_pages import OfficeController
from server.office.pages import page
from server.users.queries import User
from server.web import actor_for


def event_from_form(form, default_municipality: str | None) -> EventIn:
    try:
        occurred = datetime.fromisoformat(str(form.get("occurred_at", ""))).replace(tzinfo=JST)
    except ValueError:
        raise BadRequest("invalid_time", "発生日時を入力してください。") from None
    try:
        if form.get("area_type") == "circle":
            area = Area(center=Center(float(form.get("lat", "")), float(form.get("lon", ""))),
                        radius_m=float(form.get("radius_m", "")))
        else:
            codes = [c.strip() for c in str(form.get("municipality_codes", "") or default_municipality or "").split(",")]
            districts = [d.strip() for d in str(form.get("districts", "")).split(",") if d.strip()]
            area = Area(municipality_codes=[c for c in codes if c], districts=districts or None)
        if form.get("kind") not in KIND_LABELS:
            raise ValueError("kind")
        event = EventIn(kind=str(form.get("kind")), occurred_at=occurred, area=area,
                        intensity=str(form.get("intensity", ""))[:40], title=str(form.get("title", ""))[:200],
                        include_surveyed=form.get("include_surveyed") == "1")
    except ValueError:
        raise BadRequest("invalid_event", "種類・範囲（自治体コード、または中心の緯度・経度と半径）を正しく入力してください。") from None
    check_area(event.area)
    return event


class DisasterPages(OfficeController):
    async def _index(self, request, state, user, status_code=200, **extra) -> Template:
        async with state.db.read() as conn:
            events = await events_for(conn, user)
        return page("disasters.html", user, request, status_code=status_code, events=events,
                    now=now().astimezone(JST).strftime("%Y-%m-%dT%H:%M"), **extra)

    @get("/disasters")
    async def index(self, request: Request, state: State, user: NamedDependency[User]) -> Template:
        require(user, "office")
        return await self._index(request, state, user)

    @post("/disasters", status_code=303)
    async def create(self, request: Request, state: State, user: NamedDependency[User]) -> Redirect | Template:
        require(user, "office")
        form = await request.form()
        async with state.db.read() as conn:
            async with conn.execute("SELECT municipality_code FROM post_offices WHERE code = ?",
                                    (user.office_code,)) as cur:
                row = await cur.fetchone()
        try:
            event = event_from_form(form, row[0] if row else None)
            version = state.rubrics.latest(DISASTER_RUBRIC).version
            event_id, _, created = await state.db.write(register_event, actor_for(request, user), user, event, version)
        except AppError as exc:
            return await self._index(request, state, user, exc.status, error=exc.message)
        return Redirect(f"/office/disasters/{event_id}?created={created}", status_code=303)

    @get("/disasters/{event_id:int}")
    async def show(self, request: Request, state: State, user: NamedDependency[User],
                   event_id: FromPath[int]) -> Template:
        require(user, "office")
        async with state.db.read() as conn:
            event = await event_for(conn, user, event_id)
        if event is None:
            raise not_found("災害")
        return page("disaster.html", user, request, event=event, created=request.query_params.get("created"))
