"""POST /api/v1/sync/push: exactly once, each op on its own merits."""

import asyncio

import msgspec
import pytest

from server.core import audit
from server.core.errors import OpError
from server.db import database_for
from server.rubrics import RubricRegistry
from server.sync.push import apply_push
from server.sync.schemas import Op, Rejected
from server.users.queries import user_by_login
from tests.support import sql
from tests.support.field import Visit, new_id, survey_visit, watch_visit


def test_a_complete_watch_visit_is_applied_and_waits_for_its_photos(world, as_):
    aoki = as_("aoki")
    visit = watch_visit(world)
    assert aoki.push([visit.op()]) == [{"op_id": visit.op_id, "status": "applied"}]
    shown = aoki.get(f"/api/v1/inspections/{visit.id}").json()
    assert shown["status"] == "awaiting_photos"
    assert shown["result"]["flags"] == []
    assert len(shown["photos"]) == 7 and not any(p["received"] for p in shown["photos"])


def test_the_same_op_sent_again_is_a_duplicate_and_changes_nothing(world, as_):
    aoki = as_("aoki")
    visit = watch_visit(world)
    aoki.push([visit.op()])
    assert aoki.push([visit.op()]) == [{"op_id": visit.op_id, "status": "duplicate"}]


def test_an_identical_inspection_under_a_new_op_id_is_a_duplicate_not_a_second_inspection(world, as_):
    aoki = as_("aoki")
    visit = watch_visit(world)
    aoki.push([visit.op()])
    again = visit.op() | {"op_id": new_id()}
    assert aoki.push([again])[0]["status"] == "duplicate"


def test_a_different_body_under_the_same_inspection_id_is_a_conflict(world, as_):
    aoki = as_("aoki")
    visit = watch_visit(world)
    aoki.push([visit.op()])
    changed = visit.op() | {"op_id": new_id()}
    changed["inspection"] = visit.inspection | {"notes": "書き換えた"}
    result = aoki.push([changed])[0]
    assert result["status"] == "conflict"
    assert result["error"]["code"] == "conflict"


def test_answers_that_do_not_fit_the_rubric_are_rejected_naming_the_item(world, as_):
    aoki = as_("aoki")
    visit = watch_visit(world)
    visit.inspection["answers"]["exterior"] = "collapsed-entirely"
    del visit.inspection["answers"]["garden"]
    result = aoki.push([visit.op()])[0]
    assert result["status"] == "rejected"
    problems = {(d["item"], d["code"]) for d in result["error"]["details"]}
    assert {("exterior", "unknown_option"), ("garden", "required")} <= problems
    message = result["error"]["message"]
    assert "「住宅外観の状況」に選択肢にない回答があります" in message
    assert "「庭木・雑草の状況」が未回答です" in message


def test_a_missing_required_photo_slot_is_rejected(world, as_):
    aoki = as_("aoki")
    visit = watch_visit(world, slots=["front"])
    result = aoki.push([visit.op()])[0]
    assert result["status"] == "rejected"
    assert ("right", "missing_photo") in {(d["item"], d["code"]) for d in result["error"]["details"]}


def test_a_task_of_another_carrier_is_rejected(world, as_):
    kato = as_("kato")
    visit = watch_visit(world)
    result = kato.push([visit.op()])[0]
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "task_not_yours"


def test_an_inspection_of_a_house_on_no_task_and_not_reported_is_rejected(world, as_):
    aoki = as_("aoki")
    visit = Visit(property_id=world.properties["north"], rubric_id="municipal_survey")
    assert aoki.push([visit.op()])[0]["error"]["code"] == "unknown_property"


def test_a_malformed_op_is_rejected_and_the_rest_of_the_batch_still_applies(world, as_):
    aoki = as_("aoki")
    visit = watch_visit(world)
    broken = {"op_id": new_id(), "type": "inspection.submit", "inspection": {"id": "not-a-uuid"}}
    results = aoki.push([broken, visit.op()])
    assert [r["status"] for r in results] == ["rejected", "applied"]
    assert results[0]["op_id"] == broken["op_id"]
    assert results[0]["error"]["code"] == "invalid_op"


def test_a_finished_task_cannot_be_done_twice_without_a_return(world, as_):
    aoki = as_("aoki")
    aoki.push([watch_visit(world).op()])
    result = aoki.push([watch_visit(world).op()])[0]
    assert result["error"]["code"] == "task_done"


def test_a_carrier_reports_a_house_on_no_list_with_a_first_survey(world, as_, client):
    aoki = as_("aoki")
    house = new_id()
    first = Visit(property_id=house, rubric_id="municipal_survey", lat=35.69, lon=139.75)
    op = {"op_id": new_id(), "type": "property.report",
          "property": {"id": house, "lat": 35.69, "lon": 139.75, "address_text": "一番町5-5付近", "notes": "雨戸が閉まったまま"},
          "inspection": first.inspection}
    assert aoki.push([op])[0]["status"] == "applied"
    assert aoki.push([op])[0]["status"] == "duplicate"
    pulled = aoki.get("/api/v1/sync/pull").json()
    reported = [p for p in pulled["properties"] if p["id"] == house]
    assert reported and reported[0]["status"] == "candidate"
    assert as_("ueda").get(f"/api/v1/inspections/{first.id}").status_code == 200


def test_a_reported_house_with_an_invalid_first_survey_is_not_half_stored(world, as_):
    aoki = as_("aoki")
    house = new_id()
    first = Visit(property_id=house, rubric_id="municipal_survey", lat=35.69, lon=139.75)
    first.inspection["answers"] = {}
    op = {"op_id": new_id(), "type": "property.report",
          "property": {"id": house, "lat": 35.69, "lon": 139.75, "address_text": "一番町5-5付近"},
          "inspection": first.inspection}
    assert aoki.push([op])[0]["status"] == "rejected"
    assert all(p["id"] != house for p in aoki.get("/api/v1/sync/pull").json()["properties"])


def test_only_carriers_push(world, as_):
    assert as_("ueda").post("/api/v1/sync/push", json={"device_id": "x", "ops": []}).status_code == 403


def test_a_batch_of_a_hundred_ops_gets_a_hundred_results_in_order(world, as_):
    aoki = as_("aoki")
    ops = [Visit(property_id=new_id(), rubric_id="municipal_survey").op() for _ in range(100)]
    results = aoki.push(ops)
    assert [r["op_id"] for r in results] == [op["op_id"] for op in ops]
    assert {r["status"] for r in results} == {"rejected"}  # none of those houses is on the carrier's list


def _house_report(house: str, **changes) -> dict:
    return {"op_id": new_id(), "type": "property.report",
            "property": {"id": house, "lat": 35.69, "lon": 139.75, "address_text": "一番町5-5付近", "notes": "雨戸が閉まったまま"}
            | changes}


@pytest.mark.parametrize("change", [{"address_text": "一番町5-6付近"}, {"notes": "書き換えた"}, {"lat": 35.7},
                                    {"lon": 139.8}])
def test_a_re_sent_house_report_with_a_different_body_is_a_conflict_and_keeps_the_first(world, as_, change):
    aoki = as_("aoki")
    house = new_id()
    assert aoki.push([_house_report(house)])[0]["status"] == "applied"
    result = aoki.push([_house_report(house, **change)])[0]
    assert result["status"] == "conflict" and result["error"]["code"] == "conflict"
    kept = [p for p in aoki.get("/api/v1/sync/pull").json()["properties"] if p["id"] == house]
    assert kept[0]["address"] == "一番町5-5付近" and kept[0]["lat"] == 35.69


def test_another_carrier_re_sending_my_house_report_is_a_conflict(world, as_):
    house = new_id()
    assert as_("aoki").push([_house_report(house)])[0]["status"] == "applied"
    assert as_("kato").push([_house_report(house)])[0]["status"] == "conflict"


def test_the_same_house_report_under_a_new_op_id_is_a_duplicate(world, as_):
    aoki = as_("aoki")
    house = new_id()
    aoki.push([_house_report(house)])
    assert aoki.push([_house_report(house)])[0]["status"] == "duplicate"


def test_a_side_waived_with_a_reason_needs_no_photo_but_an_abnormal_item_does(world, as_):
    aoki = as_("aoki")
    slots = ["front", "back", "left", "entrance", "mailbox", "garden"]
    abnormal = watch_visit(world, slots=slots, overrides={
        "photo_waiver_right": "neighbour_wall", "exterior": "abnormal", "exterior_note": "外壁がはがれています"})
    result = aoki.push([abnormal.op()])[0]
    assert result["status"] == "rejected", result
    assert result["status"] == "rejected"
    assert [(d["item"], d["code"]) for d in result["error"]["details"]] == [("finding", "photo_for_abnormal")]
    waived = watch_visit(world, slots=slots, overrides={"photo_waiver_right": "neighbour_wall"})
    assert aoki.push([waived.op()])[0]["status"] == "applied"


def test_a_visit_that_finished_the_second_it_started_is_applied_but_one_that_ended_before_it_began_is_not(world, as_):
    aoki = as_("aoki")
    backwards = watch_visit(world)
    backwards.inspection["started_at"] = backwards.inspection["finished_at"].replace("+09:00", "+08:59")
    result = aoki.push([backwards.op()])[0]  # the same wall-clock time at +08:59 is a minute later: it ended first
    assert result["status"] == "rejected" and result["error"]["code"] == "invalid_times"
    instant = watch_visit(world)
    instant.inspection["started_at"] = instant.inspection["finished_at"]
    assert aoki.push([instant.op()])[0]["status"] == "applied"


def test_a_reported_houses_resend_carrying_another_houses_photo_is_a_conflict(world, as_):
    aoki = as_("aoki")
    first, second = new_id(), new_id()
    photo_of = {house: {"id": new_id(), "sha256": "0" * 64, "slot": "report"} for house in (first, second)}
    for house in (first, second):
        assert aoki.push([_house_report(house) | {"photo": photo_of[house]}])[0]["status"] == "applied"
    assert aoki.push([_house_report(first) | {"photo": photo_of[first]}])[0]["status"] == "duplicate"
    resent = aoki.push([_house_report(first) | {"photo": photo_of[second]}])[0]
    assert resent["status"] == "conflict" and resent["error"]["code"] == "conflict"


def test_only_applied_ops_are_recorded_as_done(world, as_, settings):
    from tests.support import sql

    aoki = as_("aoki")
    visit = watch_visit(world)
    same_inspection_new_op = visit.op() | {"op_id": new_id()}
    rejected = Visit(property_id=new_id(), rubric_id="municipal_survey").op()
    statuses = [r["status"] for r in aoki.push([visit.op(), visit.op(), same_inspection_new_op, rejected])]
    assert statuses == ["applied", "duplicate", "duplicate", "rejected"]
    recorded = sql.rows(settings.db, "SELECT op_id, status FROM sync_ops WHERE user_id = ?", world.users["aoki"])
    assert recorded == [(visit.op_id, "applied")]


def test_a_survey_finding_needs_the_damage_photo_or_the_reason_it_could_not_be_taken(world, as_):
    aoki = as_("aoki")
    roof = {"s2_roof": "partial"}  # 屋根の一部の剥落又はずれ: severity 1
    without = survey_visit(world, slots=["overview"], overrides=roof)
    result = aoki.push([without.op()])[0]
    assert result["status"] == "rejected", result
    assert [(d["item"], d["code"]) for d in result["error"]["details"]] == [("damage", "photo_for_abnormal")]
    assert "写真「損傷箇所」を撮影してください" in result["error"]["message"]
    waived = survey_visit(world, slots=["overview"], overrides=roof | {"photo_waiver_damage": "night"})
    assert aoki.push([waived.op()])[0]["status"] == "applied"


def test_a_push_result_says_how_many_urgent_findings_reached_the_office(world, as_):
    aoki = as_("aoki")
    forced = watch_visit(world, slots=["front", "right", "back", "left", "entrance", "mailbox", "garden", "finding"],
                         overrides={"entrance_area": "forced", "entrance_area_note": "勝手口がこじ開けられている"})
    assert aoki.push([forced.op()]) == [{"op_id": forced.op_id, "status": "applied", "urgent": 1}]
    # (a calm visit's result carries no "urgent": the first test of this file)


def test_a_push_applied_without_the_http_queue_answers_for_its_own_ops(world, settings):
    """apply_push (the demo seed's door to the push, one device at a time) gives the results of the
    one push it was given: the visit applied and stored, the unreadable op rejected in its place."""
    visit = watch_visit(world)
    op = msgspec.json.decode(msgspec.json.encode(visit.op()), type=Op)
    unreadable = Rejected(new_id(), OpError("invalid_op", "記録の形式が正しくありません。"))

    async def push():
        async with database_for(settings.db) as db:
            async with db.read() as conn:
                aoki = await user_by_login(conn, "aoki")
            return await db.write(apply_push, RubricRegistry.load_dir(settings.rubrics_dir), aoki,
                                  audit.Actor(aoki.id, "phone-1", None), "phone-1", [op, unreadable])

    results = asyncio.run(push())
    assert [(r.op_id, r.status) for r in results] == [(visit.op_id, "applied"), (unreadable.op_id, "rejected")]
    assert sql.rows(settings.db, "SELECT count(*) FROM inspections WHERE id = ?", visit.id) == [(1,)]
