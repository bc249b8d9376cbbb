"""What an owner asks for from their page: each request waits in the office's queue; accepted, it becomes
the change the office's own pages make (the spot on the carrier's task and in the report, a 臨時見回り task,
an option from a day, a pause); declined, the owner reads the reason. Another owner and another office see
none of it; a past day, an ended subscription and bad text are refused in Japanese and store nothing. The
clock stands at 2026-11-10 10:00 in Japan."""

from __future__ import annotations

import subprocess
from datetime import datetime

import pytest

from server.core import clock
from server.core.clock import JST
from tests.office.db import count, execute, query, subscription_of
from tests.office.pages import post_form, sign_in
from tests.support.answers import required_slots
from tests.support.field import RUBRICS, watch_visit

TODAY = datetime(2026, 11, 10, 10, 0, tzinfo=JST)
SPOT = "南側の勝手口と雨どい"


@pytest.fixture(autouse=True)
def pinned():
    with clock.stopped_at(TODAY):
        yield


def _ask(client, sub: int, kind: str, **fields):
    return post_form(client, "/office/requests", {"subscription_id": str(sub), "kind": kind, **fields})


def _only_request(settings) -> int:
    return query(settings, "SELECT id FROM owner_requests")[0][0]


def _decide(client, request_id: int, action: str, page: str = "/office/requests", **fields):
    return post_form(client, f"/office/requests/{request_id}/{action}", fields, page=page)


def test_a_requested_spot_is_accepted_by_the_office_and_reaches_the_carriers_task_and_the_report(
        client, settings, world, as_):
    sub = subscription_of(settings, world)
    sign_in(client, "ono")
    asked = _ask(client, sub, "spot", requested_spot=SPOT)
    assert asked.status_code == 303 and asked.headers["location"].startswith("/office/?msg=request_sent")
    assert "郵便局で確認中" in client.get("/office/").text

    sign_in(client, "ueda")
    assert '<strong>1</strong> 件 所有者様からのご要望（未回答）' in client.get("/office/").text
    assert SPOT in client.get("/office/requests").text
    request_id = _only_request(settings)
    assert _decide(client, request_id, "accept").status_code == 303
    assert query(settings, "SELECT requested_spot FROM watch_subscriptions WHERE id = ?", sub) == [(SPOT,)]
    assert [a for (a,) in query(settings, "SELECT action FROM audit_log WHERE action LIKE 'owner_request.%' OR "
                                          "action = 'subscription.requested_spot' ORDER BY id")] == [
        "owner_request.create", "subscription.requested_spot", "owner_request.accept"]

    execute(settings, "UPDATE tasks SET subscription_id = ? WHERE id = ?", sub, world.tasks["watch"])  # the month's visit
    tasks = as_("aoki").get("/api/v1/sync/pull").json()["tasks"]
    assert [t["requested_spot"] for t in tasks if t["id"] == world.tasks["watch"]] == [SPOT]
    visit = watch_visit(world, slots=[*required_slots(RUBRICS.latest("watch_basic")), "requested_spot"],
                        overrides={"requested_spot_note": "雨どいに落ち葉が詰まっていました"})
    assert as_("aoki").push([visit.op()])[0]["status"] == "applied"
    assert set(visit.upload_all(as_("aoki"))) == {201}
    assert as_("ueda").post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"}).status_code == 200
    pdf = as_("ono").get(f"/api/v1/reports/owner/{world.properties['watched']}", params={"month": "2026-11"})
    assert pdf.status_code == 200
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert "雨どいに落ち葉が詰まっていました" in text.replace("\n", "")

    sign_in(client, "ono")
    assert "承りました" in client.get("/office/").text


def test_an_extra_visit_accepted_becomes_the_carriers_task_on_the_owners_day(client, settings, world, as_):
    sub = subscription_of(settings, world)
    sign_in(client, "ono")
    assert _ask(client, sub, "extra_visit", wanted_on="2026-11-20", note="台風のあとに").status_code == 303
    sign_in(client, "ueda")
    assert _decide(client, _only_request(settings), "accept").status_code == 303
    [(order_id, task_id)] = query(settings, "SELECT id, task_id FROM service_orders WHERE subscription_id = ?", sub)
    assert query(settings, "SELECT order_id, status FROM owner_requests") == [(order_id, "accepted")]
    task = [t for t in as_("aoki").get("/api/v1/sync/pull").json()["tasks"] if t["id"] == task_id]
    assert [(t["kind"], t["due"]) for t in task] == [("watch", "2026-11-20")]
    assert "台風のあとに" in task[0]["note"]


def test_options_and_a_pause_asked_by_the_owner_change_the_subscription_from_their_day(client, settings, world):
    sub = subscription_of(settings, world)
    sign_in(client, "ono")
    assert _ask(client, sub, "option_add", service_key="mail_forward", wanted_on="2026-12-01").status_code == 303
    assert _ask(client, sub, "option_end", service_key="airing", wanted_on="2026-12-01").status_code == 303
    assert _ask(client, sub, "pause").status_code == 303
    sign_in(client, "ueda")
    for (request_id,) in query(settings, "SELECT id FROM owner_requests ORDER BY id"):
        assert _decide(client, request_id, "accept").status_code == 303
    assert query(settings, """SELECT service_key, start_date, end_date FROM subscription_options
                              WHERE subscription_id = ? ORDER BY service_key""", sub) == [
        ("airing", "2026-01-01", "2026-11-30"), ("disaster", "2026-01-01", None), ("mail_forward", "2026-12-01", None)]
    assert query(settings, "SELECT paused FROM watch_subscriptions WHERE id = ?", sub) == [(1,)]
    assert query(settings, "SELECT from_date, until_date FROM subscription_pauses WHERE subscription_id = ?", sub) == [
        ("2026-11-10", None)]


def test_a_declined_request_shows_the_owner_the_reason_and_changes_nothing(client, settings, world):
    sub = subscription_of(settings, world)
    sign_in(client, "ono")
    _ask(client, sub, "quote", service_key="mowing", note="庭全体")
    sign_in(client, "ueda")
    request_id = _only_request(settings)
    empty = _decide(client, request_id, "decline", reason="  ")
    assert empty.status_code == 400 and "お断りする理由" in empty.text
    assert _decide(client, request_id, "decline", reason="冬季は草刈を承っておりません。3月以降にご相談ください。").status_code == 303
    again = _decide(client, request_id, "accept")
    assert again.status_code == 409 and "すでにお返事しています" in again.text
    assert count(settings, "service_orders") == 0
    assert count(settings, "audit_log", "action = 'owner_request.decline'") == 1
    sign_in(client, "ono")
    page = client.get("/office/").text
    assert "お受けできませんでした" in page and "冬季は草刈を承っておりません。3月以降にご相談ください。" in page


def test_another_owner_and_another_office_neither_see_nor_change_a_request(client, settings, world):
    ono_sub = subscription_of(settings, world)
    sign_in(client, "ono")
    _ask(client, ono_sub, "spot", requested_spot=SPOT)
    request_id = _only_request(settings)
    sign_in(client, "oda")
    assert SPOT not in client.get("/office/").text
    assert _ask(client, ono_sub, "spot", requested_spot="よその家").status_code == 404
    assert _decide(client, request_id, "accept", page="/office/").status_code == 403  # owners decide nothing
    sign_in(client, "kudo")  # a clerk of the other office
    assert SPOT not in client.get("/office/requests").text
    assert _decide(client, request_id, "accept").status_code == 404
    assert _decide(client, request_id, "decline", reason="横から").status_code == 404
    assert query(settings, "SELECT status FROM owner_requests") == [("open",)]
    assert count(settings, "owner_requests") == 1


@pytest.mark.parametrize(("kind", "fields", "message"), [
    ("extra_visit", {"wanted_on": "2026-11-09"}, "過去の日付は指定できません"),
    ("extra_visit", {"wanted_on": "2026-02-30"}, "実在する日付"),
    ("option_add", {"service_key": "mail_forward", "wanted_on": "2026-11-01"}, "過去の日付は指定できません"),
    ("option_add", {"service_key": "airing", "wanted_on": "2026-12-01"}, "すでにご利用中です"),
    ("option_end", {"service_key": "mail_tidy", "wanted_on": "2026-12-01"}, "ご利用になっていません"),
    ("option_add", {"service_key": "mowing", "wanted_on": "2026-12-01"}, "月額オプション"),
    ("quote", {"service_key": "airing"}, "お見積りを承る作業"),
    ("spot", {"requested_spot": "  "}, "撮影してほしい場所を入力してください"),
    ("spot", {"requested_spot": "あ" * 201}, "200文字以内"),
    ("spot", {"requested_spot": "雨どい\n物置"}, "制御文字"),
    ("quote", {"service_key": "clearing", "note": "あ" * 501}, "500文字以内"),
    ("resume", {}, "一時停止していません"),
    ("refund", {}, "種類を選んでください"),
])
def test_a_bad_request_is_refused_in_japanese_and_nothing_is_stored(client, settings, world, kind, fields, message):
    sign_in(client, "ono")
    refused = _ask(client, subscription_of(settings, world), kind, **fields)
    assert refused.status_code == 400 and message in refused.text, refused.text[:300]
    assert count(settings, "owner_requests") == 0


def test_a_request_on_an_ended_subscription_or_for_a_day_after_its_end_is_refused(client, settings, world):
    sub = subscription_of(settings, world)
    execute(settings, "UPDATE watch_subscriptions SET end_date = '2026-11-30' WHERE id = ?", sub)
    sign_in(client, "ono")
    assert 'name="kind" value="extra_visit"' in client.get("/office/").text  # asked for until its last day
    after_end = _ask(client, sub, "extra_visit", wanted_on="2026-12-05")
    assert after_end.status_code == 400 and "終了した契約（終了日 2026-11-30）" in after_end.text
    execute(settings, "UPDATE watch_subscriptions SET end_date = '2026-11-09' WHERE id = ?", sub)
    assert 'name="kind" value="extra_visit"' not in client.get("/office/").text
    ended = _ask(client, sub, "spot", requested_spot=SPOT)
    assert ended.status_code == 400 and "終了した契約" in ended.text
    assert count(settings, "owner_requests") == 0


def test_an_accepted_day_that_has_passed_meanwhile_is_refused_and_the_request_stays_open(client, settings, world):
    sub = subscription_of(settings, world)
    sign_in(client, "ono")
    _ask(client, sub, "extra_visit", wanted_on="2026-11-11")
    sign_in(client, "ueda")
    with clock.stopped_at(datetime(2026, 11, 12, 9, 0, tzinfo=JST)):
        late = _decide(client, _only_request(settings), "accept")
    assert late.status_code == 400 and "過去の日付は指定できません" in late.text
    assert query(settings, "SELECT status FROM owner_requests") == [("open",)]
    assert count(settings, "service_orders") == 0
