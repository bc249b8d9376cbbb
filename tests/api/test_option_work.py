"""Work an owner ordered, as the carrier's task (issue 23): the office records a one-off piece of work or the
owner's acceptance of a quote and the house's carrier gets a work task with the option_work form; the carrier's
record is pushed like any visit; the office's approval marks the order done on the visit's day (audited); the
owner's monthly PDF prints the record under the work's heading, with before/after photos of 草刈, and another
owner never sees it. The clock stands at 2026-11-10 10:00 in Japan."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime

import pytest

from server.core import clock
from server.core.clock import JST
from tests.office.db import execute, query, subscription_of
from tests.office.pages import post_form, sign_in
from tests.support.field import Visit, watch_visit

TODAY = datetime(2026, 11, 10, 10, 0, tzinfo=JST)
MOWED = {"mowing_done": True, "mowing_areas": ["front_yard", "back_yard"], "mowing_area_m2": 60,
         "mowing_clippings": "bagged_on_site", "mowing_note": "裏庭の物置の裏は狭く、刈れませんでした。"}
MOWING_PHOTOS = ["mowing_front_yard_before", "mowing_front_yard_after", "mowing_back_yard_before",
                 "mowing_back_yard_after"]


@pytest.fixture(autouse=True)
def pinned():
    with clock.stopped_at(TODAY):
        yield


def _order(client, settings, sub: int, service: str, wanted_on: str = "2026-11-10") -> int:
    response = post_form(client, "/office/orders", {"subscription_id": str(sub), "service_key": service,
                                                    "wanted_on": wanted_on, "note": "前庭と裏庭"})
    assert response.status_code == 303, response.text
    return query(settings, "SELECT max(id) FROM service_orders")[0][0]


def _accepted_mowing(client, settings, world) -> tuple[int, str]:
    """The clerk records a 草刈 order, its quote and the owner's acceptance: (order id, its task id)."""
    sign_in(client, "ueda")
    order = _order(client, settings, subscription_of(settings, world), "mowing")
    assert query(settings, "SELECT task_id FROM service_orders WHERE id = ?", order) == [(None,)]  # not before acceptance
    assert post_form(client, f"/office/orders/{order}/quote", {"yen": "12000"}, page="/office/menu").status_code == 303
    assert post_form(client, f"/office/orders/{order}/accept", page="/office/menu").status_code == 303
    [(task_id,)] = query(settings, "SELECT task_id FROM service_orders WHERE id = ?", order)
    return order, task_id


def _mowing_record(world, task_id: str, **kw) -> Visit:
    return Visit(property_id=world.properties["watched"], rubric_id="option_work", task_id=task_id,
                 options=["mowing"], overrides=MOWED, slots=MOWING_PHOTOS, **kw)


def _approve(as_, visit: Visit):
    assert as_("aoki").push([visit.op()])[0]["status"] == "applied"
    assert set(visit.upload_all(as_("aoki"))) == {201}
    assert as_("ueda").post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"}).status_code == 200


def _pdf_text(session, property_id: str, month: str = "2026-11") -> str:
    pdf = session.get(f"/api/v1/reports/owner/{property_id}", params={"month": month})
    assert pdf.status_code == 200, pdf.text
    return subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()


def test_an_accepted_quote_becomes_the_carriers_work_task_with_the_work_form(client, settings, world, as_):
    order, task_id = _accepted_mowing(client, settings, world)
    [task] = [t for t in as_("aoki").get("/api/v1/sync/pull").json()["tasks"] if t["id"] == task_id]
    assert (task["kind"], task["rubric_id"], task["options"], task["due"]) == ("work", "option_work", ["mowing"],
                                                                              "2026-11-10")
    assert "草刈（作業のお申し込み）: 前庭と裏庭" in task["note"]
    actions = [a for (a,) in query(settings, "SELECT action FROM audit_log WHERE entity = 'service_order' ORDER BY id")]
    assert actions == ["order.create", "order.quote", "order.accept", "order.task"]
    requote = post_form(client, f"/office/orders/{order}/quote", {"yen": "9000"}, page="/office/menu")
    assert requote.status_code == 409 and "すでに配達員に依頼しています" in requote.text


def test_one_off_work_is_the_carriers_task_as_soon_as_the_office_records_it(client, settings, world, as_):
    sign_in(client, "ueda")
    order = _order(client, settings, subscription_of(settings, world), "sign", wanted_on="2026-11-15")
    [(kind, options, due)] = query(settings, """SELECT t.kind, t.options, t.due_date FROM service_orders x
                                               JOIN tasks t ON t.id = x.task_id WHERE x.id = ?""", order)
    assert (kind, options, due) == ("work", '["sign"]', "2026-11-15")
    extra = _order(client, settings, subscription_of(settings, world), "extra_visit", wanted_on="2026-11-20")
    assert query(settings, "SELECT t.kind FROM service_orders x JOIN tasks t ON t.id = x.task_id WHERE x.id = ?",
                 extra) == [("watch",)]  # 臨時見回り stays the watch form on the owner's day


def test_a_pushed_work_record_needs_the_before_and_after_photo_of_each_area_mowed(client, settings, world, as_):
    _, task_id = _accepted_mowing(client, settings, world)
    short = Visit(property_id=world.properties["watched"], rubric_id="option_work", task_id=task_id,
                  options=["mowing"], overrides=MOWED, slots=MOWING_PHOTOS[:3])
    [refused] = as_("aoki").push([short.op()])
    assert refused["status"] == "rejected" and "裏庭 作業後" in refused["error"]["message"]
    record = _mowing_record(world, task_id)
    assert as_("aoki").push([record.op()])[0]["status"] == "applied"
    assert query(settings, "SELECT kind, status FROM inspections WHERE id = ?", record.id) == [("work", "awaiting_photos")]
    assert query(settings, "SELECT status FROM tasks WHERE id = ?", task_id) == [("done",)]


def test_the_offices_approval_of_the_work_record_marks_the_order_done_and_audits_it(client, settings, world, as_):
    order, task_id = _accepted_mowing(client, settings, world)
    record = _mowing_record(world, task_id)
    assert as_("aoki").push([record.op()])[0]["status"] == "applied"
    assert set(record.upload_all(as_("aoki"))) == {201}
    assert query(settings, "SELECT done_on FROM service_orders WHERE id = ?", order) == [(None,)]  # submitted only
    assert as_("ueda").post(f"/api/v1/inspections/{record.id}/review", json={"decision": "approve"}).status_code == 200
    assert query(settings, "SELECT done_on FROM service_orders WHERE id = ?", order) == [("2026-11-10",)]
    [(detail,)] = query(settings, "SELECT details FROM audit_log WHERE action = 'order.done' AND entity_id = ?",
                        str(order))
    assert json.loads(detail) == {"done_on": "2026-11-10", "inspection_id": record.id, "by": "review"}


def test_the_owners_pdf_prints_the_work_under_its_heading_and_another_owner_never_sees_it(
        client, settings, world, as_):
    _, task_id = _accepted_mowing(client, settings, world)
    _approve(as_, _mowing_record(world, task_id))
    _approve(as_, watch_visit(world))  # the month's watch visit: the report it is printed in
    text = _pdf_text(as_("ono"), world.properties["watched"]).replace("\n", "")
    for printed in ("オプションサービス（今月の実施内容）", "2026年11月10日（令和8年11月10日） 実施", "刈った面積の目安約60㎡",
                    "前庭、裏庭", "袋に入れて敷地内にまとめた", "裏庭の物置の裏は狭く、刈れませんでした。",
                    "作業前 前庭", "作業後 前庭", "作業前 裏庭", "作業後 裏庭"):
        assert printed in text, printed
    assert as_("oda").get(f"/api/v1/reports/owner/{world.properties['watched']}",
                          params={"month": "2026-11"}).status_code == 404


def test_work_done_before_the_house_changed_hands_is_not_in_the_new_owners_report(client, settings, world, as_):
    _, task_id = _accepted_mowing(client, settings, world)
    _approve(as_, _mowing_record(world, task_id))  # for ono, the morning of 11-10
    house = world.properties["watched"]
    execute(settings, "UPDATE watch_subscriptions SET end_date = '2026-11-09' WHERE owner_id = ?", world.owners["ono"])
    execute(settings, """INSERT INTO watch_subscriptions (property_id, owner_id, options, start_date, created_at,
                         updated_at) VALUES (?, ?, '[]', '2026-11-10', '2026-11-10', '2026-11-10')""",
            house, world.owners["oda"])
    # The work record started on 11-10 is now within oda's period; move it to ono's last day to see the rule.
    execute(settings, "UPDATE inspections SET started_at = '2026-11-09T09:00:00+09:00', "
                      "finished_at = '2026-11-09T09:30:00+09:00' WHERE kind = 'work'")
    _approve(as_, watch_visit(world))  # oda's first watch visit, 11-10
    text = _pdf_text(as_("oda"), house)
    assert "織田" in text and "草刈" not in text and "作業前" not in text


def test_the_owners_requested_spot_is_asked_of_the_watch_visit_never_of_the_work(client, settings, world, as_):
    sub = subscription_of(settings, world)
    execute(settings, "UPDATE watch_subscriptions SET requested_spot = '裏庭の物置' WHERE id = ?", sub)
    _, task_id = _accepted_mowing(client, settings, world)
    [task] = [t for t in as_("aoki").get("/api/v1/sync/pull").json()["tasks"] if t["id"] == task_id]
    assert task["requested_spot"] == ""
    record = _mowing_record(world, task_id)
    _approve(as_, record)  # no requested_spot_note in the work form: nothing to refuse
    sign_in(client, "ueda")
    assert "ご依頼箇所「裏庭の物置」" not in client.get(f"/office/review/{record.id}").text
