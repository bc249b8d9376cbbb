"""A returned record is corrected by a new inspection that supersedes it; both stay in history."""

from tests.support.field import Visit, new_id, watch_visit


def _submitted(world, aoki):
    visit = watch_visit(world)
    aoki.push([visit.op()])
    visit.upload_all(aoki)
    return visit


def test_a_correction_before_any_return_is_rejected(world, as_):
    aoki = as_("aoki")
    original = _submitted(world, aoki)
    correction = watch_visit(world, supersedes=original.id, photo_seed=2)
    result = aoki.push([correction.op()])[0]
    assert result["status"] == "rejected" and result["error"]["code"] == "not_returned"


def test_a_returned_record_is_superseded_by_its_correction_and_both_stay(world, as_):
    aoki, ueda = as_("aoki"), as_("ueda")
    original = _submitted(world, aoki)
    ueda.post(f"/api/v1/inspections/{original.id}/review", json={"decision": "return", "comment": "玄関の写真を撮り直してください"})
    correction = watch_visit(world, supersedes=original.id, photo_seed=3)
    assert aoki.push([correction.op()])[0]["status"] == "applied"
    correction.upload_all(aoki)
    old = ueda.get(f"/api/v1/inspections/{original.id}").json()
    new = ueda.get(f"/api/v1/inspections/{correction.id}").json()
    assert old["status"] == "superseded" and old["superseded_by"] == correction.id
    assert new["status"] == "submitted" and new["supersedes"] == original.id
    assert ueda.post(f"/api/v1/inspections/{correction.id}/review", json={"decision": "approve"}).json()["status"] == "approved"


def test_a_record_can_be_corrected_only_once(world, as_):
    aoki, ueda = as_("aoki"), as_("ueda")
    original = _submitted(world, aoki)
    ueda.post(f"/api/v1/inspections/{original.id}/review", json={"decision": "return", "comment": "撮り直し"})
    aoki.push([watch_visit(world, supersedes=original.id, photo_seed=4).op()])
    second = aoki.push([watch_visit(world, supersedes=original.id, photo_seed=5).op()])[0]
    assert second["status"] == "rejected" and second["error"]["code"] == "not_returned"


def test_returning_needs_a_reason_the_carrier_can_act_on(world, as_):
    aoki, ueda = as_("aoki"), as_("ueda")
    original = _submitted(world, aoki)
    response = ueda.post(f"/api/v1/inspections/{original.id}/review", json={"decision": "return", "comment": " "})
    assert response.status_code == 400 and response.json()["code"] == "comment_required"


def test_a_record_still_waiting_for_photos_cannot_be_reviewed(world, as_):
    aoki, ueda = as_("aoki"), as_("ueda")
    visit = watch_visit(world)
    aoki.push([visit.op()])
    response = ueda.post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"})
    assert response.status_code == 409 and response.json()["code"] == "not_reviewable"


def test_another_carrier_cannot_correct_my_returned_record(world, as_):
    aoki, ueda, kato = as_("aoki"), as_("ueda"), as_("kato")
    original = _submitted(world, aoki)
    ueda.post(f"/api/v1/inspections/{original.id}/review", json={"decision": "return", "comment": "撮り直し"})
    house = new_id()
    survey = Visit(property_id=house, rubric_id="municipal_survey", supersedes=original.id)
    op = {"op_id": new_id(), "type": "property.report", "inspection": survey.inspection,
          "property": {"id": house, "lat": 35.69, "lon": 139.75, "address_text": "一番町5-5付近"}}
    result = kato.push([op])[0]
    assert result["status"] == "rejected" and result["error"]["code"] == "unknown_superseded"
    assert ueda.get(f"/api/v1/inspections/{original.id}").json()["status"] == "returned"


def test_a_correction_under_another_task_of_the_same_house_is_a_mismatch(world, as_):
    import asyncio

    from server.core.audit import SYSTEM
    from server.core.clock import today_jst
    from server.db import database_for
    from server.tasks.queries import add_task

    async def next_months_task():
        async with database_for(world.db_path, readers=1) as db:
            return await db.write(lambda conn: add_task(
                conn, SYSTEM, property_id=world.properties["watched"], kind="watch", rubric_id="watch_basic",
                rubric_version=1, due_date=today_jst().isoformat(), assignee_id=world.users["aoki"], options=["airing"]))

    aoki, ueda = as_("aoki"), as_("ueda")
    original = _submitted(world, aoki)
    ueda.post(f"/api/v1/inspections/{original.id}/review", json={"decision": "return", "comment": "撮り直し"})
    other_task = asyncio.run(next_months_task())
    correction = Visit(property_id=world.properties["watched"], rubric_id="watch_basic", options=["airing"],
                       task_id=other_task, supersedes=original.id, photo_seed=6)
    result = aoki.push([correction.op()])[0]
    assert result["status"] == "rejected" and result["error"]["code"] == "superseded_mismatch"
