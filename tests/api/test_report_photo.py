"""A vacant-house report (property.report) may carry one photo without the survey: declared in the
op, uploaded through PUT /api/v1/photos/{id}, seen by the office of the area and admin only."""

import hashlib

from tests.office.pages import sign_in
from tests.support.field import Visit, new_id, photo_bytes

HOUSE_LAT, HOUSE_LON = 35.6870, 139.7400


def _report(house: str, photo: dict | None = None, **extra) -> dict:
    op = {"op_id": new_id(), "type": "property.report",
          "property": {"id": house, "lat": HOUSE_LAT, "lon": HOUSE_LON, "address_text": "一番町5-5付近",
                       "notes": "雨戸が閉まったまま"}} | extra
    if photo is not None:
        op["photo"] = photo
    return op


def _photo(data: bytes) -> dict:
    return {"id": new_id(), "sha256": hashlib.sha256(data).hexdigest(), "slot": "report"}


def test_a_report_with_a_photo_is_uploaded_and_the_office_of_the_area_sees_it(world, as_, client):
    aoki, ueda = as_("aoki"), sign_in(client, "ueda")
    house, data = new_id(), photo_bytes(31)
    photo = _photo(data)
    assert aoki.push([_report(house, photo)])[0]["status"] == "applied"
    assert f"/office/photos/{photo['id']}/thumb" not in ueda.get("/office/candidates").text  # not arrived yet
    stored = aoki.put(f"/api/v1/photos/{photo['id']}", content=data)
    assert stored.status_code == 201 and stored.json()["flags"] == []
    assert aoki.put(f"/api/v1/photos/{photo['id']}", content=data).status_code == 200
    assert f"/office/photos/{photo['id']}/thumb" in ueda.get("/office/candidates").text
    assert f"/office/photos/{photo['id']}/thumb" in ueda.get(f"/office/properties/{house}").text
    thumb = ueda.get(f"/office/photos/{photo['id']}/thumb")
    assert thumb.status_code == 200 and thumb.content[:2] == b"\xff\xd8"
    assert sign_in(client, "admin").get(f"/office/photos/{photo['id']}/report").status_code == 200


def test_a_report_photo_is_hidden_from_another_office_and_the_municipality(world, as_, client):
    aoki = as_("aoki")
    house, data = new_id(), photo_bytes(32)
    photo = _photo(data)
    aoki.push([_report(house, photo)])
    assert aoki.put(f"/api/v1/photos/{photo['id']}", content=data).status_code == 201
    assert sign_in(client, "ueda").get(f"/office/photos/{photo['id']}/thumb").status_code == 200
    assert sign_in(client, "kudo").get(f"/office/photos/{photo['id']}/thumb").status_code == 404
    mori = sign_in(client, "mori")
    assert mori.get(f"/office/photos/{photo['id']}/thumb").status_code == 404
    assert f"/office/photos/{photo['id']}/thumb" not in mori.get("/office/candidates").text
    assert as_("kato").put(f"/api/v1/photos/{photo['id']}", content=data).status_code == 404


def test_a_report_without_a_photo_still_works(world, as_, client):
    aoki = as_("aoki")
    house = new_id()
    assert aoki.push([_report(house)])[0]["status"] == "applied"
    page = sign_in(client, "ueda").get("/office/candidates").text
    assert "一番町5-5付近" in page and "報告時の写真" not in page


def test_a_re_sent_report_with_the_same_photo_is_a_duplicate_and_a_different_photo_a_conflict(world, as_):
    aoki = as_("aoki")
    house, data = new_id(), photo_bytes(33)
    photo = _photo(data)
    assert aoki.push([_report(house, photo)])[0]["status"] == "applied"
    assert aoki.push([_report(house, photo)])[0]["status"] == "duplicate"
    other = aoki.push([_report(house, _photo(photo_bytes(34)))])[0]
    assert other["status"] == "conflict"
    assert aoki.put(f"/api/v1/photos/{photo['id']}", content=data).status_code == 201


def test_a_report_photo_id_already_used_by_another_record_is_rejected_and_nothing_is_stored(world, as_):
    aoki = as_("aoki")
    first, data = new_id(), photo_bytes(35)
    photo = _photo(data)
    aoki.push([_report(first, photo)])
    second = new_id()
    result = aoki.push([_report(second, photo)])[0]
    assert result["status"] == "rejected" and result["error"]["code"] == "photo_id_taken"
    assert all(p["id"] != second for p in aoki.get("/api/v1/sync/pull").json()["properties"])


def test_a_report_photo_must_be_in_the_report_slot_and_not_beside_a_survey(world, as_):
    aoki = as_("aoki")
    data = photo_bytes(36)
    wrong_slot = _photo(data) | {"slot": "front"}
    assert aoki.push([_report(new_id(), wrong_slot)])[0]["error"]["code"] == "invalid_op"
    house = new_id()
    survey = Visit(property_id=house, rubric_id="municipal_survey", lat=HOUSE_LAT, lon=HOUSE_LON)
    both = aoki.push([_report(house, _photo(data), inspection=survey.inspection)])[0]
    assert both["status"] == "rejected" and both["error"]["code"] == "photo_with_survey"


def test_a_report_photo_that_repeats_an_earlier_picture_is_flagged_as_reused(world, as_):
    aoki = as_("aoki")
    data = photo_bytes(37)
    first = _photo(data)
    aoki.push([_report(new_id(), first)])
    assert aoki.put(f"/api/v1/photos/{first['id']}", content=data).status_code == 201
    again = photo_bytes(37, taken_at=None)
    second = _photo(again)
    aoki.push([_report(new_id(), second)])
    stored = aoki.put(f"/api/v1/photos/{second['id']}", content=again)
    assert stored.status_code == 201 and "reused_photo" in stored.json()["flags"]


def test_a_report_saved_offline_hours_ago_judges_its_photo_by_the_phones_report_time(world, as_):
    from datetime import datetime, timedelta, timezone

    aoki = as_("aoki")
    jst = timezone(timedelta(hours=9))
    saved = (datetime.now(jst) - timedelta(hours=3)).replace(microsecond=0)
    data = photo_bytes(38, taken_at=saved - timedelta(minutes=2))
    on_time = _photo(data)
    report = _report(new_id(), on_time)
    report["property"]["reported_at"] = saved.isoformat()
    assert aoki.push([report])[0]["status"] == "applied"
    assert aoki.put(f"/api/v1/photos/{on_time['id']}", content=data).json()["flags"] == []
    late_data = photo_bytes(39, taken_at=saved - timedelta(minutes=2))
    undated = _photo(late_data)
    aoki.push([_report(new_id(), undated)])  # no report time: the server's receive time is the window
    assert "outside_visit_window" in aoki.put(f"/api/v1/photos/{undated['id']}", content=late_data).json()["flags"]
