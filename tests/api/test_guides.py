"""Framing guides: last approved visit's photos per slot come with the pull, and their thumbnails
are served to the carriers of that house only, once approved."""

import asyncio

from server.core.audit import SYSTEM
from server.core.clock import today_jst
from server.db import database_for
from server.tasks.queries import add_task
from tests.support.field import watch_visit


def _approved(world, as_):
    aoki = as_("aoki")
    visit = watch_visit(world)
    visit.inspection["notes"] = "門扉が少し傾いている"
    aoki.push([visit.op()])
    visit.upload_all(aoki)
    assert as_("ueda").post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"}).status_code == 200
    return visit


def _next_visit(world) -> str:
    async def add():
        async with database_for(world.db_path, readers=1) as db:
            return await db.write(add_task, SYSTEM, property_id=world.properties["watched"], kind="watch",
                                  rubric_id="watch_basic", rubric_version=1, due_date=today_jst().isoformat(),
                                  assignee_id=world.users["aoki"])
    return asyncio.run(add())


def test_the_pull_carries_last_visits_photos_per_slot_and_its_note(world, as_):
    visit = _approved(world, as_)
    _next_visit(world)
    house = next(p for p in as_("aoki").get("/api/v1/sync/pull").json()["properties"]
                 if p["id"] == world.properties["watched"])
    last = house["last_approved"][0]
    assert last["notes"] == "門扉が少し傾いている"
    assert sorted(p["slot"] for p in last["photos"]) == sorted(p["slot"] for p in visit.inspection["photos"])
    assert {p["id"] for p in last["photos"]} == set(visit.photos)


def test_a_guide_thumbnail_is_served_to_the_houses_carrier_and_to_no_other(world, as_):
    visit = _approved(world, as_)
    photo_id = next(iter(visit.photos))
    response = as_("aoki").get(f"/api/v1/photos/{photo_id}/guide")
    assert response.status_code == 200 and response.headers["content-type"] == "image/jpeg"
    assert response.content[:2] == b"\xff\xd8" and len(response.content) < 60_000
    assert as_("kato").get(f"/api/v1/photos/{photo_id}/guide").status_code == 404


def test_photos_of_a_visit_not_yet_approved_are_no_guides(world, as_):
    aoki = as_("aoki")
    visit = watch_visit(world)
    aoki.push([visit.op()])
    visit.upload_all(aoki)
    assert aoki.get(f"/api/v1/photos/{next(iter(visit.photos))}/guide").status_code == 404
