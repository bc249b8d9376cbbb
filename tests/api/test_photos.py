"""PUT /api/v1/photos/{id}: only declared photos, stored whole or not at all, evidence flagged."""

import asyncio
import hashlib
import io
from datetime import timedelta

from PIL import Image

from server.core.audit import SYSTEM
from server.core.clock import iso, now, today_jst
from server.db import database_for
from server.photos.queries import REUSE_LOOKBACK_DAYS
from server.tasks.queries import add_task
from tests.support.field import Visit, new_id, photo_bytes, survey_visit, watch_visit
from tests.support.sql import execute


def _pushed_visit(world, aoki, **kw):
    visit = watch_visit(world, **kw)
    assert aoki.push([visit.op()])[0]["status"] == "applied"
    return visit


def _declare_one(world, aoki, data: bytes):
    """A visit whose first photo slot will carry `data`."""
    visit = watch_visit(world)
    first = visit.inspection["photos"][0]
    first["sha256"] = hashlib.sha256(data).hexdigest()
    visit.photos[first["id"]] = data
    assert aoki.push([visit.op()])[0]["status"] == "applied"
    return visit, first["id"]


def _another_watch_task(world) -> str:
    """A second watch task on the watched house (next month's visit), for Aoki."""
    async def add(conn):
        return await add_task(conn, SYSTEM, property_id=world.properties["watched"], kind="watch",
                              rubric_id="watch_basic", rubric_version=1, due_date=today_jst().isoformat(),
                              assignee_id=world.users["aoki"], options=["airing"])

    async def run():
        async with database_for(world.db_path, readers=1) as db:
            return await db.write(add)

    return asyncio.run(run())


def test_a_photo_before_its_inspection_is_404_saying_to_send_the_record_first(world, as_):
    response = as_("aoki").put(f"/api/v1/photos/{new_id()}", content=photo_bytes(1))
    assert response.status_code == 404
    assert response.json()["code"] == "photo_not_declared"
    assert "先に記録を送って" in response.json()["message"]


def test_the_inspection_is_submitted_once_every_photo_has_arrived(world, as_):
    aoki = as_("aoki")
    visit = _pushed_visit(world, aoki)
    statuses = visit.upload_all(aoki)
    assert statuses == [201] * 7
    shown = aoki.get(f"/api/v1/inspections/{visit.id}").json()
    assert shown["status"] == "submitted"
    assert all(p["received"] for p in shown["photos"])


def test_an_identical_resend_is_200_and_different_bytes_are_409(world, as_):
    aoki = as_("aoki")
    visit = _pushed_visit(world, aoki)
    photo_id, data = next(iter(visit.photos.items()))
    assert aoki.put(f"/api/v1/photos/{photo_id}", content=data).status_code == 201
    assert aoki.put(f"/api/v1/photos/{photo_id}", content=data).status_code == 200
    other = aoki.put(f"/api/v1/photos/{photo_id}", content=photo_bytes(999))
    assert other.status_code == 409 and other.json()["code"] == "photo_differs"


def test_bytes_that_do_not_match_the_declared_hash_are_409_and_not_stored(world, as_):
    aoki = as_("aoki")
    visit = _pushed_visit(world, aoki)
    photo_id = next(iter(visit.photos))
    response = aoki.put(f"/api/v1/photos/{photo_id}", content=photo_bytes(4242))
    assert response.status_code == 409 and response.json()["code"] == "sha256_mismatch"
    shown = aoki.get(f"/api/v1/inspections/{visit.id}").json()
    assert not any(p["received"] for p in shown["photos"])


def test_a_png_is_415_naming_the_format(world, as_):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(buffer, "PNG")
    aoki = as_("aoki")
    visit, photo_id = _declare_one(world, aoki, buffer.getvalue())
    response = aoki.put(f"/api/v1/photos/{photo_id}", content=buffer.getvalue())
    assert response.status_code == 415
    assert "PNG" in response.json()["message"]


def test_a_truncated_jpeg_is_422(world, as_):
    data = photo_bytes(5)[:20_000]
    aoki = as_("aoki")
    visit, photo_id = _declare_one(world, aoki, data)
    response = aoki.put(f"/api/v1/photos/{photo_id}", content=data)
    assert response.status_code == 422
    assert response.json()["code"] in ("truncated", "undecodable")


def test_an_upload_over_the_limit_is_413(world, as_, settings):
    aoki = as_("aoki")
    visit = _pushed_visit(world, aoki)
    photo_id = next(iter(visit.photos))
    response = aoki.put(f"/api/v1/photos/{photo_id}", content=b"\xff\xd8\xff" + b"0" * settings.photo_max_bytes)
    assert response.status_code == 413


def test_another_carrier_cannot_upload_into_my_inspection(world, as_):
    aoki = as_("aoki")
    visit = _pushed_visit(world, aoki)
    photo_id, data = next(iter(visit.photos.items()))
    assert as_("kato").put(f"/api/v1/photos/{photo_id}", content=data).status_code == 404


def test_a_large_upload_resumes_from_where_the_link_dropped(world, as_):
    aoki = as_("aoki")
    visit = _pushed_visit(world, aoki)
    photo_id, data = next(iter(visit.photos.items()))
    half = len(data) // 2
    first = aoki.put(f"/api/v1/photos/{photo_id}", content=data[:half],
                     headers={"Content-Range": f"bytes 0-{half - 1}/{len(data)}"})
    assert first.status_code == 202
    assert aoki.head(f"/api/v1/photos/{photo_id}").headers["upload-offset"] == str(half)
    wrong = aoki.put(f"/api/v1/photos/{photo_id}", content=data[:10], headers={"Content-Range": f"bytes 0-9/{len(data)}"})
    assert wrong.status_code == 409 and wrong.json()["details"]["upload_offset"] == half
    rest = aoki.put(f"/api/v1/photos/{photo_id}", content=data[half:],
                    headers={"Content-Range": f"bytes {half}-{len(data) - 1}/{len(data)}"})
    assert rest.status_code == 201
    assert aoki.head(f"/api/v1/photos/{photo_id}").headers["upload-complete"] == "1"


def test_a_photo_far_from_the_house_and_without_time_is_flagged_not_refused(world, as_):
    from server.demo.photos import house_photo

    data = house_photo(77, lat=34.70, lon=135.50, taken_at=None, size=(640, 480))  # Osaka, no capture time
    aoki = as_("aoki")
    visit, photo_id = _declare_one(world, aoki, data)
    assert aoki.put(f"/api/v1/photos/{photo_id}", content=data).status_code == 201
    shown = aoki.get(f"/api/v1/inspections/{visit.id}").json()
    flags = next(p["flags"] for p in shown["photos"] if p["id"] == photo_id)
    assert "far_from_property" in flags and "no_capture_time" in flags


def test_the_same_picture_in_a_later_inspection_is_flagged_as_reused(world, as_):
    aoki = as_("aoki")
    data = photo_bytes(31)
    _, first = _declare_one(world, aoki, data)
    aoki.put(f"/api/v1/photos/{first}", content=data)
    survey = Visit(property_id=world.properties["surveyed"], rubric_id="municipal_survey",
                   task_id=world.tasks["survey"], lat=35.6880, lon=139.7380)
    reused = survey.inspection["photos"][0]
    recompressed = io.BytesIO()
    Image.open(io.BytesIO(data)).save(recompressed, "JPEG", quality=70, exif=Image.open(io.BytesIO(data)).info.get("exif", b""))
    reused["sha256"] = hashlib.sha256(recompressed.getvalue()).hexdigest()
    assert aoki.push([survey.op()])[0]["status"] == "applied"
    assert aoki.put(f"/api/v1/photos/{reused['id']}", content=recompressed.getvalue()).status_code == 201
    shown = aoki.get(f"/api/v1/inspections/{survey.id}").json()
    assert "reused_photo" in next(p["flags"] for p in shown["photos"] if p["id"] == reused["id"])


def test_reuse_is_looked_for_in_the_same_house_at_any_time_and_in_the_carriers_last_90_days(world, as_, settings):
    aoki = as_("aoki")
    data = photo_bytes(41)
    _, first = _declare_one(world, aoki, data)
    assert aoki.put(f"/api/v1/photos/{first}", content=data).status_code == 201
    execute(settings.db, "UPDATE photos SET received_at = ? WHERE id = ?",
            iso(now() - timedelta(days=REUSE_LOOKBACK_DAYS + 10)), first)

    def upload_again_in(visit: Visit, quality: int) -> list[str]:
        again = io.BytesIO()
        Image.open(io.BytesIO(data)).save(again, "JPEG", quality=quality, exif=Image.open(io.BytesIO(data)).info["exif"])
        declared = visit.inspection["photos"][0]
        declared["sha256"] = hashlib.sha256(again.getvalue()).hexdigest()
        pushed = aoki.push([visit.op()])[0]
        assert pushed["status"] == "applied", pushed
        return aoki.put(f"/api/v1/photos/{declared['id']}", content=again.getvalue()).json()["flags"]

    other_house = survey_visit(world)
    assert "reused_photo" not in upload_again_in(other_house, 70)
    same_house = Visit(property_id=world.properties["watched"], rubric_id="watch_basic", options=["airing"],
                       task_id=_another_watch_task(world))
    assert "reused_photo" in upload_again_in(same_house, 60)
