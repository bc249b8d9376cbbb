"""Urgent findings: an unlocked door reaches the office the moment the record syncs; the owner
hears of it only after a clerk confirms; every call is logged and audited."""

import re

from tests.office.db import count, query
from tests.office.pages import post_form, sign_in
from tests.support.field import RUBRICS, watch_visit
from server.alerts.findings import urgent_findings

UNLOCKED = {"entrance_lock": "unlocked", "entrance_lock_note": "玄関の戸が少し開いていた"}


def _push_unlocked(world, aoki, **kw):
    visit = watch_visit(world, overrides=UNLOCKED, **kw)
    assert aoki.push([visit.op()])[0]["status"] == "applied"
    return visit


def _alert_id(settings) -> int:
    return query(settings, "SELECT id FROM urgent_alerts")[0][0]


def test_the_shipped_rubrics_mark_unlocked_and_forced_entry_as_urgent():
    rubric = RUBRICS.get("watch_basic", 1)
    assert urgent_findings(rubric, {"entrance_lock": "unlocked", "entrance_area": "forced"}) == [
        ("entrance_lock", "玄関の施錠状況: 未施錠"), ("entrance_area", "玄関周辺の状況: こじ開け・破損の跡あり")]
    assert urgent_findings(rubric, {"entrance_lock": "locked", "entrance_area": "abnormal"}) == []
    survey = RUBRICS.get("municipal_survey", 1)
    assert any("倒壊のおそれ" in o.label and o.urgent for i in survey.all_items() for o in i.options)


def test_an_unlocked_door_is_on_the_office_home_as_soon_as_the_record_is_pushed(client, world, as_, settings):
    _push_unlocked(world, as_("aoki"))  # no photo uploaded yet, not reviewed
    sign_in(client, "ueda")
    home = client.get("/office/").text
    urgent = home[home.index("至急"):home.index("期限切れ・期限間近")]
    assert "玄関の施錠状況: 未施錠" in urgent and "東京都千代田区一番町1-1" in urgent and "青木 一郎" in urgent


def test_a_clerk_of_another_office_neither_sees_nor_confirms_the_alert(client, world, as_, settings):
    _push_unlocked(world, as_("aoki"))
    sign_in(client, "kudo")
    assert "未施錠" not in client.get("/office/").text
    response = post_form(client, f"/office/alerts/{_alert_id(settings)}/confirm", {"owner_notice": "page",
                                                                                "owner_note": "x"})
    assert response.status_code == 404
    assert query(settings, "SELECT confirmed_at FROM urgent_alerts") == [(None,)]


def test_the_owner_is_told_only_after_the_clerk_confirms(client, world, as_, settings):
    _push_unlocked(world, as_("aoki"))
    sign_in(client, "ono")
    assert "未施錠" not in client.get("/office/").text
    sign_in(client, "ueda")
    alert = _alert_id(settings)
    response = post_form(client, f"/office/alerts/{alert}/confirm",
                         {"owner_notice": "page", "owner_note": "玄関が開いていたため、局員が施錠を確認しました。"})
    assert response.status_code == 303
    assert count(settings, "audit_log", "action = 'alert.confirm'") == 1
    sign_in(client, "ono")
    owner_page = client.get("/office/").text
    assert "玄関の施錠状況: 未施錠" in owner_page and "局員が施錠を確認しました" in owner_page
    sign_in(client, "oda")  # another owner's house: nothing
    assert "未施錠" not in client.get("/office/").text


def test_confirming_with_a_notice_but_no_text_keeps_the_clerks_choice_on_the_page(client, world, as_, settings):
    _push_unlocked(world, as_("aoki"))
    sign_in(client, "ueda")
    alert = _alert_id(settings)
    response = post_form(client, f"/office/alerts/{alert}/confirm", {"owner_notice": "page", "owner_note": " "})
    assert response.status_code == 400
    assert "所有者に知らせる内容を書いてください" in response.text
    assert re.search(r'value="page" checked', response.text)
    assert query(settings, "SELECT confirmed_at FROM urgent_alerts") == [(None,)]


def test_each_contact_is_logged_on_the_property_page_with_who_whom_when_and_what(client, world, as_, settings):
    _push_unlocked(world, as_("aoki"))
    sign_in(client, "ueda")
    alert = _alert_id(settings)
    response = post_form(client, f"/office/alerts/{alert}/contacts", {
        "contacted_by": "上田 花子", "contacted": "所有者 小野 和子 様", "contacted_at": "2026-11-29T10:30",
        "agreed": "明日、局員が施錠を確認する"})
    assert response.status_code == 303
    page = client.get(f"/office/properties/{world.properties['watched']}").text
    assert "所有者 小野 和子 様" in page and "明日、局員が施錠を確認する" in page and "2026-11-29 10:30" in page
    assert query(settings, "SELECT contacted_at FROM alert_contacts") == [("2026-11-29T10:30:00.000+09:00",)]
    assert count(settings, "audit_log", "action = 'alert.contact'") == 1


def test_an_incomplete_contact_is_refused_with_the_typed_text_kept(client, world, as_, settings):
    _push_unlocked(world, as_("aoki"))
    sign_in(client, "ueda")
    response = post_form(client, f"/office/alerts/{_alert_id(settings)}/contacts", {
        "contacted_by": "上田 花子", "contacted": "千代田警察署", "contacted_at": "2026-11-29T10:30", "agreed": ""})
    assert response.status_code == 400
    assert "決まったこと" in response.text and 'value="千代田警察署"' in response.text
    assert count(settings, "alert_contacts") == 0


def test_a_correction_repeating_the_finding_raises_no_second_alert(client, world, as_, settings):
    aoki, ueda = as_("aoki"), as_("ueda")
    original = _push_unlocked(world, aoki)
    original.upload_all(aoki)
    ueda.post(f"/api/v1/inspections/{original.id}/review", json={"decision": "return", "comment": "写真を撮り直して"})
    _push_unlocked(world, aoki, supersedes=original.id, photo_seed=5)
    assert count(settings, "urgent_alerts") == 1


def test_a_normal_visit_raises_nothing(client, world, as_, settings):
    visit = watch_visit(world)
    assert as_("aoki").push([visit.op()])[0]["status"] == "applied"
    assert count(settings, "urgent_alerts") == 0
