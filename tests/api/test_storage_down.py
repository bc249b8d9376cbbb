"""Object storage down: viewing a photo gives the same clean 503 with Retry-After as an upload, never
a 500; and a chunked upload whose last chunk meets the outage keeps the chunks before it, so the
phone resumes from there instead of sending the whole photo again over a poor link.

Only the PostgreSQL backend keeps photos in object storage (S3); on SQLite they are in the data
folder, which has no outage of its own to simulate."""

from __future__ import annotations

import pytest
from botocore.exceptions import EndpointConnectionError

from server.storage.s3 import S3Store
from tests.office.pages import sign_in
from tests.support.field import watch_visit

pytestmark = pytest.mark.backends("postgres")


def _storage_down(monkeypatch, method: str) -> None:
    async def unreachable(self, *args, **kw):
        raise EndpointConnectionError(endpoint_url="http://storage.invalid")
    monkeypatch.setattr(S3Store, method, unreachable)


def _assert_503(response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "30"
    assert "写真の保存先に一時的に接続できません" in response.text  # the API's JSON and the office's page alike
    if response.headers["content-type"].startswith("application/json"):
        assert response.json()["code"] == "storage_unavailable"


def test_viewing_a_photo_while_storage_is_down_is_a_clean_503_with_retry_after(world, as_, client, monkeypatch):
    visit = watch_visit(world)
    aoki = as_("aoki")
    assert aoki.push([visit.op()])[0]["status"] == "applied"
    assert set(visit.upload_all(aoki)) == {201}
    assert as_("ueda").post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"}).status_code == 200
    photo_id = next(iter(visit.photos))
    office = sign_in(client, "ueda")
    with monkeypatch.context() as patch:
        _storage_down(patch, "open")
        _assert_503(aoki.get(f"/api/v1/photos/{photo_id}/guide"))
        for kind in ("thumb", "report"):
            _assert_503(office.get(f"/office/photos/{photo_id}/{kind}"))
    assert aoki.get(f"/api/v1/photos/{photo_id}/guide").status_code == 200  # back once storage is


def _chunk(session, photo_id, data, start, end):
    return session.put(f"/api/v1/photos/{photo_id}", content=data[start:end + 1],
                       headers={"Content-Range": f"bytes {start}-{end}/{len(data)}"})


def test_storage_failing_at_the_last_chunk_keeps_the_chunks_before_it(world, as_, monkeypatch):
    visit = watch_visit(world)
    aoki = as_("aoki")
    assert aoki.push([visit.op()])[0]["status"] == "applied"
    photo_id, data = next(iter(visit.photos.items()))
    third = len(data) // 3
    assert _chunk(aoki, photo_id, data, 0, third - 1).status_code == 202
    assert _chunk(aoki, photo_id, data, third, 2 * third - 1).status_code == 202
    with monkeypatch.context() as patch:
        _storage_down(patch, "put")
        _assert_503(_chunk(aoki, photo_id, data, 2 * third, len(data) - 1))
    progress = aoki.head(f"/api/v1/photos/{photo_id}")
    assert (progress.headers["upload-offset"], progress.headers["upload-complete"]) == (str(2 * third), "0")
    assert _chunk(aoki, photo_id, data, 2 * third, len(data) - 1).status_code == 201  # only the last chunk again
    assert aoki.head(f"/api/v1/photos/{photo_id}").headers["upload-complete"] == "1"
