"""A mark on last month's photo: with a spot request the owner points at one photo of the house's last
approved watch visit and one cell of a 3×3 grid over it. The office's queue shows the photo with the cell
drawn; accepted, the next watch task carries the mark and the carrier's phone can fetch the photo as a guide.
Another owner's photo, a photo not yet received and a cell outside the grid are refused in Japanese and
store nothing. The clock stands at 2026-11-10 10:00 in Japan."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest

from server.core import clock
from server.core.clock import JST
from tests.office.db import count, execute, query, subscription_of
from tests.office.pages import post_form, sign_in
from tests.support.field import watch_visit
from tests.support.handover import hand_over

TODAY = datetime(2026, 11, 10, 10, 0, tzinfo=JST)
SPOT = "北側の雨どい"


@pytest.fixture(autouse=True)
def pinned():
    with clock.stopped_at(TODAY):
        yield


@pytest.fixture
def last_visit(world, as_):
    """Ono's house visited on 2026-11-02 and approved; its photos received."""
    visit = watch_visit(world, finished=datetime(2026, 11, 2, 10, 0, tzinfo=JST))
    assert as_("aoki").push([visit.op()])[0]["status"] == "applied"
    assert set(visit.upload_all(as_("aoki"))) == {201}
    assert as_("ueda").post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"}).status_code == 200
    return visit


def _next_watch_task(settings, world, sub: int) -> str:
    """December's watch visit of Ono's subscription, Aoki's."""
    task_id = str(uuid.uuid4())
    execute(settings, """INSERT INTO tasks (id, property_id, kind, rubric_id, rubric_version, subscription_id, period,
                                            due_date, assignee_id, options, created_at, updated_at)
                         VALUES (?, ?, 'watch', 'watch_basic', 1, ?, '2026-12', '2026-12-05', ?, '["airing"]', ?, ?)""",
            task_id, world.properties["watched"], sub, world.users["aoki"], TODAY.isoformat(), TODAY.isoformat())
    return task_id


def _ask_spot(client, sub: int, photo_id: str, cell: str):
    return post_form(client, "/office/requests", {"subscription_id": str(sub), "kind": "spot",
                                                  "requested_spot": SPOT, "spot_photo_id": photo_id,
                                                  "spot_cell": cell})


def test_the_owner_marks_a_cell_the_queue_draws_it_and_the_carriers_task_carries_it(
        client, settings, world, as_, last_visit):
    sub = subscription_of(settings, world)
    photo_id = sorted(last_visit.photos)[0]
    sign_in(client, "ono")
    form = client.get("/office/").text
    assert all(f'value="{p}"' in form for p in last_visit.photos)  # every photo of the last visit offered
    assert 'name="spot_cell" value="8"' in form and "右下" in form
    assert _ask_spot(client, sub, photo_id, "2").status_code == 303
    assert query(settings, "SELECT spot_photo_id, spot_cell FROM owner_requests") == [(photo_id, 2)]
    assert count(settings, "audit_log", "action = 'owner_request.create' AND details LIKE ?", f"%{photo_id}%") == 1

    sign_in(client, "ueda")
    queue = client.get("/office/requests").text
    assert f'src="/office/photos/{photo_id}/thumb"' in queue and 'class="mark-box cell-2"' in queue
    assert "写真の印: 右上" in queue
    assert client.get(f"/office/photos/{photo_id}/thumb").status_code == 200
    [(request_id,)] = query(settings, "SELECT id FROM owner_requests")
    assert post_form(client, f"/office/requests/{request_id}/accept", {}, page="/office/requests").status_code == 303
    assert query(settings, """SELECT requested_spot, requested_spot_photo_id, requested_spot_cell
                              FROM watch_subscriptions WHERE id = ?""", sub) == [(SPOT, photo_id, 2)]

    task_id = _next_watch_task(settings, world, sub)
    [task] = [t for t in as_("aoki").get("/api/v1/sync/pull").json()["tasks"] if t["id"] == task_id]
    assert (task["requested_spot"], task["requested_spot_photo_id"], task["requested_spot_cell"]) == (SPOT, photo_id, 2)
    guide = as_("aoki").get(f"/api/v1/photos/{photo_id}/guide")
    assert guide.status_code == 200 and guide.headers["content-type"] == "image/jpeg"


def test_a_spot_typed_anew_by_the_office_drops_the_mark_that_pointed_at_the_old_text(
        client, settings, world, as_, last_visit):
    sub = subscription_of(settings, world)
    sign_in(client, "ono")
    assert _ask_spot(client, sub, sorted(last_visit.photos)[0], "4").status_code == 303
    sign_in(client, "ueda")
    [(request_id,)] = query(settings, "SELECT id FROM owner_requests")
    post_form(client, f"/office/requests/{request_id}/accept", {}, page="/office/requests")
    changed = post_form(client, f"/office/subscriptions/{sub}/options",
                        {"options": "airing", "requested_spot": "南側の勝手口"}, page=f"/office/subscriptions/{sub}")
    assert changed.status_code == 303
    assert query(settings, """SELECT requested_spot, requested_spot_photo_id, requested_spot_cell
                              FROM watch_subscriptions WHERE id = ?""", sub) == [("南側の勝手口", None, None)]


def test_a_request_without_a_photo_carries_no_mark(client, settings, world, as_, last_visit):
    sub = subscription_of(settings, world)
    sign_in(client, "ono")
    assert _ask_spot(client, sub, "", "").status_code == 303
    assert query(settings, "SELECT spot_photo_id, spot_cell FROM owner_requests") == [(None, None)]


@pytest.mark.parametrize("cell", ["9", "-1", "", "中央"])
def test_a_cell_outside_the_grid_is_refused_in_japanese(client, settings, world, last_visit, cell):
    sign_in(client, "ono")
    refused = _ask_spot(client, subscription_of(settings, world), sorted(last_visit.photos)[0], cell)
    assert refused.status_code == 400 and "3×3 のマス" in refused.text
    assert count(settings, "owner_requests") == 0


def test_another_owners_photo_is_refused_as_not_found_and_nothing_is_stored(client, settings, world, last_visit):
    sign_in(client, "oda")  # Oda's own house is another; Ono's photo is not hers to point at
    oda_sub = subscription_of(settings, world, "oda")
    refused = _ask_spot(client, oda_sub, sorted(last_visit.photos)[0], "4")
    assert refused.status_code == 400 and "前回の見回りの写真として見つかりません" in refused.text
    assert sorted(last_visit.photos)[0] not in client.get("/office/").text
    assert count(settings, "owner_requests") == 0


def test_a_photo_not_yet_received_or_of_a_visit_not_approved_is_refused(client, settings, world, as_, last_visit):
    sub = subscription_of(settings, world)
    photo_id = sorted(last_visit.photos)[0]
    execute(settings, "UPDATE photos SET received_at = NULL WHERE id = ?", photo_id)
    sign_in(client, "ono")
    assert _ask_spot(client, sub, photo_id, "4").status_code == 400
    assert _ask_spot(client, sub, "00000000-0000-0000-0000-000000000000", "4").status_code == 400
    assert count(settings, "owner_requests") == 0


def test_after_a_handover_the_new_owner_cannot_mark_the_former_owners_photo_of_the_same_house(
        client, settings, world, as_):
    handed = hand_over(world, as_)
    october_photo = sorted(handed.october.photos)[0]
    sign_in(client, "oda")
    refused = _ask_spot(client, handed.subscriptions["oda"], october_photo, "0")
    assert refused.status_code == 400 and "前回の見回りの写真として見つかりません" in refused.text
    offered = client.get("/office/").text
    assert october_photo not in offered and all(p in offered for p in handed.november.photos)
    assert _ask_spot(client, handed.subscriptions["oda"], sorted(handed.november.photos)[0], "0").status_code == 303
