"""Urgent alerts after a house changed hands (tests/support/handover.py: Ono's subscription ends on
31 October, Oda's starts on 1 November): an alert, the clerk's note and its e-mail belong to the
owner whose period covers the day of the finding in Japan, never to the other owner of the house."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from server.alerts.mail import deliver_alert_mail
from server.db import database_for
from tests.office.pages import post_form, sign_in
from tests.support import sql
from tests.support.field import Visit
from tests.support.handover import NOVEMBER, OCTOBER, hand_over

UNLOCKED = {"entrance_lock": "unlocked", "entrance_lock_note": "玄関の戸が少し開いていた"}
NOTE = "玄関が開いていたため、局員が施錠を確認しました。"


def _unlocked_visit(world, as_, handover, owner: str, start) -> Visit:
    """Aoki visits the house again at `start` on a task of `owner`'s subscription, and finds the door unlocked."""
    task_id = str(uuid.uuid4())
    sql.execute(world.db_path,
                """INSERT INTO tasks (id, property_id, kind, rubric_id, rubric_version, subscription_id, period,
                                      due_date, assignee_id, options, created_at, updated_at)
                   VALUES (?, ?, 'watch', 'watch_basic', 1, ?, ?, ?, ?, '["airing"]', ?, ?)""",
                task_id, handover.property_id, handover.subscriptions[owner], start.strftime("%Y-%m"),
                start.date().isoformat(), world.users["aoki"], start.isoformat(), start.isoformat())
    visit = Visit(property_id=handover.property_id, rubric_id="watch_basic", task_id=task_id, options=["airing"],
                  overrides=UNLOCKED, photo_seed=7)
    visit.inspection["started_at"] = start.isoformat()
    visit.inspection["finished_at"] = (start + timedelta(minutes=10)).isoformat()
    result = as_("aoki").push([visit.op()])[0]
    assert result["status"] == "applied", result
    return visit


def _alert_of(settings, inspection_id: str) -> int:
    return sql.value(settings.db, "SELECT id FROM urgent_alerts WHERE inspection_id = ?", inspection_id)


def _owner_page(client, login: str) -> str:
    sign_in(client, login)
    return client.get("/office/").text


def _confirm(client, alert_id: int, notice: str):
    sign_in(client, "ueda")
    return post_form(client, f"/office/alerts/{alert_id}/confirm", {"owner_notice": notice, "owner_note": NOTE})


def _mails(settings) -> list:
    sent = []

    async def run():
        async with database_for(settings.db, readers=1) as db:
            return await deliver_alert_mail(db, settings.model_copy(update={"mail_from": "m@akiya.example"}),
                                            sent.append)
    asyncio.run(run())
    return sent


def test_an_alert_of_the_new_owners_month_is_shown_to_the_new_owner_only(client, world, as_, settings):
    handover = hand_over(world, as_)
    november = _unlocked_visit(world, as_, handover, "oda", NOVEMBER + timedelta(days=31))
    assert _confirm(client, _alert_of(settings, november.id), "page").status_code == 303
    assert "未施錠" in _owner_page(client, "oda") and NOTE in _owner_page(client, "oda")
    former = _owner_page(client, "ono")
    assert "未施錠" not in former and NOTE not in former


def test_an_alert_of_the_former_owners_month_stays_with_the_former_owner(client, world, as_, settings):
    handover = hand_over(world, as_)
    october = _unlocked_visit(world, as_, handover, "ono", OCTOBER)
    assert _confirm(client, _alert_of(settings, october.id), "page").status_code == 303
    assert NOTE in _owner_page(client, "ono")
    assert NOTE not in _owner_page(client, "oda")


def test_the_alert_mail_goes_to_the_owner_of_the_findings_month(client, world, as_, settings):
    handover = hand_over(world, as_)
    november = _unlocked_visit(world, as_, handover, "oda", NOVEMBER + timedelta(days=31))
    assert _confirm(client, _alert_of(settings, november.id), "email").status_code == 303
    owner_mails = [m for m in _mails(settings) if "alert-owner" in m["Message-ID"]]
    assert [m["To"] for m in owner_mails] == ["織田 信子 <oda@example.jp>"]
    assert NOTE in owner_mails[0].get_content()


def test_email_is_refused_when_the_owner_of_the_findings_month_has_none(client, world, as_, settings):
    handover = hand_over(world, as_)
    sql.execute(settings.db, "UPDATE owners SET email = NULL WHERE id = ?", world.owners["oda"])  # Ono still has one
    november = _unlocked_visit(world, as_, handover, "oda", NOVEMBER + timedelta(days=31))
    alert = _alert_of(settings, november.id)
    sign_in(client, "ueda")
    page = client.get(f"/office/properties/{handover.property_id}").text
    assert "メールで知らせる（メールアドレスなし）" in page
    response = _confirm(client, alert, "email")
    assert response.status_code == 400
    assert "この所有者にはメールアドレスがありません" in response.text
    assert sql.rows(settings.db, "SELECT confirmed_at, owner_notice FROM urgent_alerts WHERE id = ?", alert) == [
        (None, "")]
    assert not [m for m in _mails(settings) if "alert-owner" in m["Message-ID"]]
