"""A month with approved option work but no approved watch visit (草刈 in a paused month, or while the month's
watch visit waits for review) is a report month too: the owner's page lists it, the PDF says plainly why it
has no watch visit, prints nothing observed, and prints the work under its heading and the statement; the
mail queue sends that month once, and never before a watch visit still to come or waiting. The clock stands
at 2026-11-10 10:00 in Japan."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from server.core import clock
from server.core.clock import JST
from server.db import database_for
from server.documents.wording import NO_WATCH_VISIT
from server.mail.outbox import enqueue_approved_reports
from tests.api.test_option_work import _accepted_mowing, _approve, _mowing_record, _pdf_text
from tests.office.db import execute, query, subscription_of
from tests.office.pages import post_form, sign_in
from tests.support.field import watch_visit

TODAY = datetime(2026, 11, 10, 10, 0, tzinfo=JST)
OBSERVED = ("訪問日時", "点検項目", "今月の写真", "先月からの変化", "ご対応のお願い")


@pytest.fixture(autouse=True)
def pinned():
    with clock.stopped_at(TODAY):
        yield


def _flat(text: str) -> str:
    return text.replace("\n", "").replace(" ", "")


def _queue(settings) -> list[tuple]:
    async def go():
        async with database_for(settings.db, readers=1) as db:
            await db.write(enqueue_approved_reports, clock.now() + timedelta(minutes=5))
    asyncio.run(go())
    return query(settings, "SELECT kind, subject_id, period, owner_id FROM mail_outbox ORDER BY id")


def _no_watch_task_this_month(settings, world):
    """The month's watch task is already done or cancelled (the fixture world opened one for today)."""
    execute(settings, "UPDATE tasks SET status = 'cancelled' WHERE id = ?", world.tasks["watch"])


def test_mowing_in_a_paused_month_makes_a_report_that_says_there_was_no_watch_visit(client, settings, world, as_):
    house, sub = world.properties["watched"], subscription_of(settings, world)
    _, task_id = _accepted_mowing(client, settings, world)
    assert post_form(client, f"/office/subscriptions/{sub}/pause", {}, page=f"/office/subscriptions/{sub}").status_code == 303
    _approve(as_, _mowing_record(world, task_id))

    text = _pdf_text(as_("ono"), house)
    flat = _flat(text)
    assert _flat(NO_WATCH_VISIT["paused"]) in flat
    for printed in ("2026年11月分", "草刈", "刈った面積の目安約60㎡", "作業前前庭", "作業後裏庭", "利用明細", "12,000円",
                    "一時停止中"):
        assert printed in flat, printed
    for absent in OBSERVED:
        assert absent not in flat, absent
    sign_in(client, "ono")
    assert f"/api/v1/reports/owner/{house}?month=2026-11" in client.get("/office/").text


def test_work_while_the_months_watch_visit_waits_for_review_says_so_and_mails_nothing_yet(
        client, settings, world, as_):
    house = world.properties["watched"]
    execute(settings, "UPDATE owners SET report_delivery = 'email' WHERE id = ?", world.owners["ono"])
    _, task_id = _accepted_mowing(client, settings, world)
    visit = watch_visit(world)
    assert as_("aoki").push([visit.op()])[0]["status"] == "applied"
    assert set(visit.upload_all(as_("aoki"))) == {201}  # submitted, not yet reviewed
    _approve(as_, _mowing_record(world, task_id))

    flat = _flat(_pdf_text(as_("ono"), house))
    assert _flat(NO_WATCH_VISIT["waiting"]) in flat and "草刈" in flat
    assert all(absent not in flat for absent in OBSERVED)
    assert _queue(settings) == []  # the visit's approval sends the month's one report
    assert as_("ueda").post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"}).status_code == 200
    assert _queue(settings) == [("owner_monthly", house, "2026-11", world.owners["ono"])]
    full = _flat(_pdf_text(as_("ono"), house))
    assert "点検項目" in full and "草刈" in full and _flat(NO_WATCH_VISIT["waiting"]) not in full


def test_work_in_a_month_without_a_watch_visit_is_mailed_once(client, settings, world, as_):
    house = world.properties["watched"]
    execute(settings, "UPDATE owners SET report_delivery = 'email' WHERE id = ?", world.owners["ono"])
    _, task_id = _accepted_mowing(client, settings, world)
    _approve(as_, _mowing_record(world, task_id))
    assert _queue(settings) == []  # November's watch task is still open: its visit will report the month
    _no_watch_task_this_month(settings, world)
    assert _queue(settings) == [("owner_monthly", house, "2026-11", world.owners["ono"])]
    assert _queue(settings) == [("owner_monthly", house, "2026-11", world.owners["ono"])]  # once
    flat = _flat(_pdf_text(as_("ono"), house))
    assert _flat(NO_WATCH_VISIT["none"]) in flat and "草刈" in flat


def test_a_month_with_neither_watch_visit_nor_work_has_no_report(client, settings, world, as_):
    missing = as_("ono").get(f"/api/v1/reports/owner/{world.properties['watched']}", params={"month": "2026-11"})
    assert missing.status_code == 404 and "承認済みの見回り記録がありません" in missing.json()["message"]
    sign_in(client, "ono")
    assert "month=2026-11" not in client.get("/office/").text
