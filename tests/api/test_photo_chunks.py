"""Chunked photo uploads: one writer per photo at a time, and partials that nobody finishes expire."""

import fcntl
import os
import time

from litestar.testing import TestClient

from server.app import create_app
from server.photos.partials import expire_partials
from server.photos.store import PhotoStore
from server.core.settings import Settings
from tests.support.field import watch_visit

DAY = 86_400


def _first_photo(world, aoki):
    visit = watch_visit(world)
    assert aoki.push([visit.op()])[0]["status"] == "applied"
    return next(iter(visit.photos.items()))


def _chunk(aoki, photo_id, data, start, end):
    return aoki.put(f"/api/v1/photos/{photo_id}", content=data[start:end + 1],
                    headers={"Content-Range": f"bytes {start}-{end}/{len(data)}"})


def test_a_second_writer_gets_409_with_the_current_offset_and_the_partial_stays_intact(world, as_, settings):
    aoki = as_("aoki")
    photo_id, data = _first_photo(world, aoki)
    half = len(data) // 2
    assert _chunk(aoki, photo_id, data, 0, half - 1).status_code == 202
    partial = PhotoStore(settings.photos_dir).partial(photo_id)
    with open(partial, "ab") as writer:  # another request (or server process) is appending right now
        fcntl.flock(writer.fileno(), fcntl.LOCK_EX)
        second = _chunk(aoki, photo_id, data, half, len(data) - 1)
    assert second.status_code == 409
    assert second.headers["upload-offset"] == str(half)
    assert second.json()["code"] == "upload_in_progress"
    assert second.json()["details"] == {"upload_offset": half}
    assert partial.read_bytes() == data[:half]
    assert _chunk(aoki, photo_id, data, half, len(data) - 1).status_code == 201  # once the writer is done


def test_a_chunk_at_the_wrong_offset_says_where_to_resume_in_a_header_too(world, as_):
    aoki = as_("aoki")
    photo_id, data = _first_photo(world, aoki)
    assert _chunk(aoki, photo_id, data, 0, 9_999).status_code == 202
    again = _chunk(aoki, photo_id, data, 0, 9_999)  # the same chunk a second time (the report's case)
    assert again.status_code == 409 and again.headers["upload-offset"] == "10000"
    assert again.json()["details"]["upload_offset"] == 10_000


def _partial(settings, photo_id: str, age_days: float, size: int = 1000):
    path = PhotoStore(settings.photos_dir).partial(photo_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xff" * size)
    then = time.time() - age_days * DAY
    os.utime(path, (then, then))
    return path


def test_partials_older_than_the_setting_are_deleted_when_the_server_starts(tmp_path):
    settings = Settings(db=tmp_path / "akiya.sqlite3", data_dir=tmp_path / "data", upload_partial_days=3)
    stale = _partial(settings, "aaaaaaaa-0000-4000-8000-000000000001", age_days=3.1)
    fresh = _partial(settings, "bbbbbbbb-0000-4000-8000-000000000002", age_days=2.9)
    with TestClient(create_app(settings)):
        assert not stale.exists()
        assert fresh.exists()


def test_a_partial_being_written_is_not_expired(tmp_path):
    settings = Settings(db=tmp_path / "akiya.sqlite3", data_dir=tmp_path / "data")
    busy = _partial(settings, "cccccccc-0000-4000-8000-000000000003", age_days=30)
    with open(busy, "ab") as writer:
        fcntl.flock(writer.fileno(), fcntl.LOCK_EX)
        assert expire_partials(PhotoStore(settings.photos_dir).partial_dir(), 7) == 0
    assert busy.exists()
    assert expire_partials(PhotoStore(settings.photos_dir).partial_dir(), 7) == 1
    assert not busy.exists()


def test_the_partial_expiry_setting_comes_from_the_environment():
    assert Settings.from_env({"AKIYA_UPLOAD_PARTIAL_DAYS": "2"}).upload_partial_days == 2
    assert Settings.from_env({}).upload_partial_days == 7
