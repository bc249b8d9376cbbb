"""The review page: no decision chosen for the clerk, mistakes shown on the same form with the
input kept, approval of flagged photos asked for, flags with figures, rows and photos aligned."""

import asyncio
import re
from datetime import datetime, timedelta

from server.core.audit import SYSTEM
from server.core.clock import today_jst
from server.db import Database
from server.tasks.queries import add_task

from tests.office.db import count, execute, query
from tests.office.pages import post_form, sign_in
from tests.support.field import JST, Visit, watch_visit


def _next_month_task(world) -> str:
    async def add():
        async with Database(world.db_path, readers=1) as db:
            return await db.write(add_task, SYSTEM, property_id=world.properties["watched"], kind="watch",
                                  rubric_id="watch_basic", rubric_version=1, due_date=today_jst().isoformat(),
                                  assignee_id=world.users["aoki"], options=["airing"])
    return asyncio.run(add())


def _approved_then_submitted(world, as_):
    aoki, ueda = as_("aoki"), as_("ueda")
    # an hour apart: two visits made in the same second would tie on finished_at
    first = watch_visit(world, finished=datetime.now(JST).replace(microsecond=0) - timedelta(hours=1))
    aoki.push([first.op()])
    first.upload_all(aoki)
    assert ueda.post(f"/api/v1/inspections/{first.id}/review", json={"decision": "approve"}).status_code == 200
    second = Visit(property_id=world.properties["watched"], rubric_id="watch_basic", options=["airing"], photo_seed=7,
                   task_id=_next_month_task(world), overrides={"garden": "abnormal", "garden_note": "雑草が道路まで伸びている"})
    assert aoki.push([second.op()])[0]["status"] == "applied"
    second.upload_all(aoki)
    return first, second


def test_no_decision_is_preselected_and_the_buttons_say_what_they_do(client, world, as_):
    _, visit = _approved_then_submitted(world, as_)
    sign_in(client, "ueda")
    page = client.get(f"/office/review/{visit.id}").text
    assert "checked" not in page.split('id="decision"')[1]
    assert re.search(r'<button type="submit" name="decision" value="approve"[^>]*>承認する</button>', page)
    assert re.search(r'<button type="submit" name="decision" value="return"[^>]*>差し戻す</button>', page)
    assert ">送信<" not in page


def test_returning_without_a_comment_shows_the_same_page_with_the_message(client, world, as_, settings):
    _, visit = _approved_then_submitted(world, as_)
    sign_in(client, "ueda")
    response = post_form(client, f"/office/review/{visit.id}", {"decision": "return", "comment": "  "},
                         page=f"/office/review/{visit.id}")
    assert response.status_code == 400
    assert "差し戻すときは" in response.text and 'id="decision"' in response.text
    assert query(settings, "SELECT status FROM inspections WHERE id = ?", visit.id) == [("submitted",)]


def test_approving_flagged_photos_asks_for_a_tick_and_keeps_the_comment(client, world, as_, settings):
    _, visit = _approved_then_submitted(world, as_)
    execute(settings, """UPDATE photos SET flags = '["far_from_property"]', lat = 35.7040, lon = 139.7400
                         WHERE inspection_id = ?""", visit.id)
    sign_in(client, "ueda")
    response = post_form(client, f"/office/review/{visit.id}", {"decision": "approve", "comment": "雑草の件、所有者へ連絡"},
                         page=f"/office/review/{visit.id}")
    assert response.status_code == 400
    assert "注意のある写真が7枚" in response.text
    assert "雑草の件、所有者へ連絡</textarea>" in response.text
    assert query(settings, "SELECT status FROM inspections WHERE id = ?", visit.id) == [("submitted",)]
    ok = post_form(client, f"/office/review/{visit.id}", {"decision": "approve", "comment": "雑草の件、所有者へ連絡",
                                                         "flags_seen": "yes"}, page=f"/office/review/{visit.id}")
    assert ok.status_code == 303
    assert count(settings, "audit_log", "action = 'review.approve'") == 2


def test_flags_say_how_far_and_how_late(client, world, as_, settings):
    _, visit = _approved_then_submitted(world, as_)
    finished = query(settings, "SELECT finished_at FROM inspections WHERE id = ?", visit.id)[0][0]
    late = finished[:11] + "23:59:00+09:00" if finished[11:13] < "20" else finished
    execute(settings, """UPDATE photos SET flags = '["far_from_property", "outside_visit_window"]',
                         lat = 35.7040, lon = 139.7400, taken_at = ? WHERE inspection_id = ?""", late, visit.id)
    sign_in(client, "ueda")
    page = client.get(f"/office/review/{visit.id}").text
    assert "物件から約1.9 km離れた位置で撮影" in page  # 0.017° of latitude north of the house
    assert re.search(r"訪問終了の約(\d+時間|\d+分)後に撮影", page)


def test_rows_are_aligned_by_item_with_the_changed_answer_marked_and_photos_paired_by_slot(client, world, as_):
    _, visit = _approved_then_submitted(world, as_)
    sign_in(client, "ueda")
    page = client.get(f"/office/review/{visit.id}").text
    garden = re.search(r'<tr class="change-worse"><th scope="row">庭木・雑草の状況</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>',
                       page, re.S)
    assert garden and "異常あり" in garden[1] and "悪化" in garden[1] and garden[2] == "異常なし"
    assert re.search(r'<tr><th scope="row">玄関の施錠状況</th>\s*<td>施錠あり</td>\s*<td>施錠あり</td>', page)
    pairs = page.split('class="photo-pairs"')[1]
    entrance = re.search(r'<th scope="row">玄関</th>(.*?)</tr>', pairs, re.S)[1]
    assert entrance.count("<img") == 2  # this visit's and last visit's entrance side by side
