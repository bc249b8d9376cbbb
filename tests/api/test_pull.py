"""GET /api/v1/sync/pull: the carrier's work, and only what changed since the cursor."""

import asyncio

from server.core.audit import SYSTEM
from server.db import database_for
from server.tasks.queries import reassign_task
from tests.support.field import watch_visit


def _reassign(world, task_key, to_login):
    async def run():
        async with database_for(world.db_path, readers=1) as db:
            await db.write(reassign_task, SYSTEM, world.tasks[task_key], world.users[to_login])

    asyncio.run(run())


def test_the_first_pull_has_my_open_tasks_their_houses_and_rubrics(world, as_):
    pulled = as_("aoki").get("/api/v1/sync/pull").json()
    assert {t["id"] for t in pulled["tasks"]} == {world.tasks["watch"], world.tasks["survey"]}
    assert {p["id"] for p in pulled["properties"]} == {world.properties["watched"], world.properties["surveyed"]}
    assert {(r["id"], r["version"]) for r in pulled["rubrics"]} >= {("watch_basic", 1), ("municipal_survey", 1)}
    watch = next(t for t in pulled["tasks"] if t["kind"] == "watch")
    assert watch["options"] == ["airing"]
    assert pulled["deleted"] == {"tasks": [], "properties": []}
    assert pulled["office"]["name"] == "中央郵便局"


def test_a_carrier_never_sees_another_carriers_tasks(world, as_):
    pulled = as_("kato").get("/api/v1/sync/pull").json()
    assert [t["id"] for t in pulled["tasks"]] == [world.tasks["north"]]
    assert [p["id"] for p in pulled["properties"]] == [world.properties["north"]]


def test_nothing_changed_means_an_empty_delta(world, as_):
    aoki = as_("aoki")
    cursor = aoki.get("/api/v1/sync/pull").json()["cursor"]
    delta = aoki.get("/api/v1/sync/pull", params={"since": cursor}).json()
    assert delta["tasks"] == [] and delta["deleted"] == {"tasks": [], "properties": []}
    assert delta["cursor"] == cursor


def test_a_task_reassigned_away_is_deleted_from_one_phone_and_appears_on_the_other(world, as_):
    aoki, kato = as_("aoki"), as_("kato")
    aoki_cursor = aoki.get("/api/v1/sync/pull").json()["cursor"]
    kato_cursor = kato.get("/api/v1/sync/pull").json()["cursor"]
    _reassign(world, "survey", "kato")
    aoki_delta = aoki.get("/api/v1/sync/pull", params={"since": aoki_cursor}).json()
    assert aoki_delta["deleted"] == {"tasks": [world.tasks["survey"]], "properties": [world.properties["surveyed"]]}
    kato_delta = kato.get("/api/v1/sync/pull", params={"since": kato_cursor}).json()
    assert [t["id"] for t in kato_delta["tasks"]] == [world.tasks["survey"]]
    assert [p["id"] for p in kato_delta["properties"]] == [world.properties["surveyed"]]


def test_a_done_task_leaves_the_list_on_the_next_pull(world, as_):
    aoki = as_("aoki")
    cursor = aoki.get("/api/v1/sync/pull").json()["cursor"]
    aoki.push([watch_visit(world).op()])
    delta = aoki.get("/api/v1/sync/pull", params={"since": cursor}).json()
    assert delta["deleted"]["tasks"] == [world.tasks["watch"]]


def test_a_returned_record_reaches_the_carrier_with_the_clerks_comment(world, as_):
    aoki, ueda = as_("aoki"), as_("ueda")
    visit = watch_visit(world)
    aoki.push([visit.op()])
    visit.upload_all(aoki)
    cursor = aoki.get("/api/v1/sync/pull").json()["cursor"]
    reviewed = ueda.post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "return", "comment": "北面の写真がぼけています"})
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "returned"
    returned = aoki.get("/api/v1/sync/pull", params={"since": cursor}).json()["returned"]
    assert [(r["inspection_id"], r["comment"]) for r in returned] == [(visit.id, "北面の写真がぼけています")]


def test_an_approved_visit_becomes_the_last_result_the_phone_compares_against(world, as_):
    aoki, ueda = as_("aoki"), as_("ueda")
    visit = watch_visit(world)
    aoki.push([visit.op()])
    visit.upload_all(aoki)
    assert ueda.post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"}).status_code == 200
    # a new month's task on the same house brings the last approved answers along
    from server.tasks.queries import add_task

    async def run():
        async with database_for(world.db_path, readers=1) as db:
            await db.write(add_task, SYSTEM, property_id=world.properties["watched"], kind="watch",
                           rubric_id="watch_basic", rubric_version=1, due_date="2099-01-01",
                           assignee_id=world.users["aoki"])

    asyncio.run(run())
    house = next(p for p in aoki.get("/api/v1/sync/pull").json()["properties"] if p["id"] == world.properties["watched"])
    assert house["last_approved"][0]["inspection_id"] == visit.id
    assert house["last_approved"][0]["answers"] == visit.inspection["answers"]


def test_a_bad_cursor_is_a_clear_400(world, as_):
    response = as_("aoki").get("/api/v1/sync/pull", params={"since": "yesterday"})
    assert response.status_code == 400 and response.json()["code"] == "invalid_cursor"


def test_pull_is_for_carriers(world, as_):
    assert as_("ueda").get("/api/v1/sync/pull").status_code == 403


def test_a_record_returned_on_an_older_form_brings_that_form_so_it_can_be_corrected(world, as_):
    """The survey form moved on (v3) while a record made on v2 was under review: the phone corrects the
    record on the form it was made on, so the pull carries v2 beside the newest."""
    from tests.support.field import Visit

    aoki, ueda = as_("aoki"), as_("ueda")
    visit = Visit(property_id=world.properties["surveyed"], rubric_id="municipal_survey", rubric_version=2,
                  task_id=world.tasks["survey"])
    assert aoki.push([visit.op()])[0]["status"] == "applied"
    visit.upload_all(aoki)
    first = {(r["id"], r["version"]) for r in aoki.get("/api/v1/sync/pull").json()["rubrics"]}
    assert ("municipal_survey", 2) not in first  # nothing needs it yet: the task is done, v3 is the newest
    cursor = aoki.get("/api/v1/sync/pull").json()["cursor"]
    assert ueda.post(f"/api/v1/inspections/{visit.id}/review",
                     json={"decision": "return", "comment": "玄関の写真がぶれています"}).status_code == 200
    for pulled in (aoki.get("/api/v1/sync/pull").json(), aoki.get("/api/v1/sync/pull", params={"since": cursor}).json()):
        assert [(r["inspection_id"], r["rubric_id"], r["rubric_version"]) for r in pulled["returned"]] == \
            [(visit.id, "municipal_survey", 2)]
        assert ("municipal_survey", 2) in {(r["id"], r["version"]) for r in pulled["rubrics"]}
