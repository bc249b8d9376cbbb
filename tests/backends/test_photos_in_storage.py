"""Photos through the API with either store: the data folder (AKIYA_STORAGE_URL unset) and a real S3
server (rclone serve s3), the latter also with PostgreSQL. Uploads whole and in chunks, the stored
blobs under `photo_key`, downloads with the same headers from both, a PDF with photos, and nothing
acknowledged before it is stored."""

from __future__ import annotations

import asyncio
import re
import subprocess
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from botocore.exceptions import EndpointConnectionError
from litestar.testing import TestClient

from server.app import create_app
from server.core.settings import Settings
from server.storage import photo_key, storage_for
from server.storage.s3 import S3Store
from tests.support.backends import s3_storage  # noqa: F401 (fixture)
from tests.support.client import Session
from tests.support.field import JST, photo_bytes, watch_visit
from tests.support.world import build_world
from tests.office.pages import sign_in

KINDS = ("original", "report", "thumb")


def _settings(kind: str, tmp_path: Path, request, monkeypatch) -> Settings:
    """kind: "local" (SQLite, data folder), "s3" (SQLite, S3) or "postgres+s3" (the national setup)."""
    db = request.getfixturevalue("fresh_postgres_url") if kind == "postgres+s3" else tmp_path / f"{kind}.sqlite3"
    base = {"db": db, "data_dir": tmp_path / f"data-{kind}"}
    if kind == "local":
        return Settings(**base)
    server = request.getfixturevalue("s3_storage")
    for name, value in server.environ().items():  # endpoint and credentials, as a deployment sets them
        monkeypatch.setenv(name, value)
    return Settings(**base, storage_url=server.url(f"t/{uuid.uuid4().hex}"))


def _blob_file(settings: Settings, request, key: str) -> Path:
    """Where the blob's bytes land: under the data folder, or in the folder rclone serves."""
    if settings.storage_url is None:
        return settings.data_dir / key
    server = request.getfixturevalue("s3_storage")
    return server.root / settings.storage_url[len("s3://"):] / key


def _delete(settings: Settings, key: str) -> None:
    """Delete a blob through the store's API (rclone caches its folder: deleting files under it is not seen)."""
    async def go():
        store = storage_for(settings)
        try:
            await store.delete(key)
        finally:
            await store.close()
    asyncio.run(go())


@pytest.fixture(params=["local", "s3", "postgres+s3"])
def settings(request, tmp_path, monkeypatch) -> Settings:  # overrides tests/conftest.py's for this module
    return _settings(request.param, tmp_path, request, monkeypatch)


@pytest.fixture
def blob(settings, request):
    return lambda kind, photo_id: _blob_file(settings, request, photo_key(kind, photo_id))


def _pushed(world, session):
    visit = watch_visit(world)
    assert session.push([visit.op()])[0]["status"] == "applied"
    return visit


def _approved(world, as_):
    visit = _pushed(world, as_("aoki"))
    assert set(visit.upload_all(as_("aoki"))) == {201}
    assert as_("ueda").post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"}).status_code == 200
    return visit


def test_a_whole_upload_is_stored_under_its_keys_and_a_resend_is_idempotent(settings, world, as_, blob):
    aoki = as_("aoki")
    visit = _pushed(world, aoki)
    photo_id, data = next(iter(visit.photos.items()))
    assert aoki.put(f"/api/v1/photos/{photo_id}", content=data).status_code == 201
    assert blob("original", photo_id).read_bytes() == data
    assert blob("report", photo_id).read_bytes()[:2] == b"\xff\xd8"
    assert blob("thumb", photo_id).read_bytes()[:2] == b"\xff\xd8"
    if settings.storage_url:  # nothing of the photo stays in the data folder, and scratch is left empty
        assert not (settings.photos_dir / "original").exists() and not (settings.photos_dir / "report").exists()
    scratch = [p for p in (settings.photos_dir / "tmp").rglob("*") if p.is_file() and p.name != ".alive"]
    assert scratch == []
    again = aoki.put(f"/api/v1/photos/{photo_id}", content=data)
    assert again.status_code == 200 and again.json()["status"] == "already_stored"
    assert aoki.put(f"/api/v1/photos/{photo_id}", content=photo_bytes(999)).json()["code"] == "photo_differs"
    progress = aoki.head(f"/api/v1/photos/{photo_id}")
    assert progress.headers["upload-offset"] == str(len(data)) and progress.headers["upload-complete"] == "1"


def test_a_chunked_upload_is_stored_once_its_last_chunk_arrives(settings, world, as_, blob):
    aoki = as_("aoki")
    visit = _pushed(world, aoki)
    photo_id, data = next(iter(visit.photos.items()))
    third = len(data) // 3
    cuts = [(0, third - 1), (third, 2 * third - 1), (2 * third, len(data) - 1)]
    statuses = [aoki.put(f"/api/v1/photos/{photo_id}", content=data[a:b + 1],
                         headers={"Content-Range": f"bytes {a}-{b}/{len(data)}"}).status_code for a, b in cuts]
    assert statuses == [202, 202, 201]
    assert blob("original", photo_id).read_bytes() == data
    assert blob("thumb", photo_id).exists() and blob("report", photo_id).exists()
    assert not (settings.photos_dir / "partial" / photo_id[:2] / f"{photo_id}.part").exists()
    assert aoki.head(f"/api/v1/photos/{photo_id}").headers["upload-complete"] == "1"


def test_nothing_is_acknowledged_before_its_blobs_are_stored_and_a_resend_completes(settings, world, as_, blob,
                                                                                   monkeypatch):
    from server.photos import routes
    from server.photos.store import PhotoStore

    aoki = as_("aoki")
    visit = _pushed(world, aoki)
    (photo_id, data), *rest = visit.photos.items()

    with monkeypatch.context() as patch:  # the store fails: no 2xx, nothing recorded
        if settings.storage_url:  # object storage unreachable: 503, try again later
            async def unreachable(self, key, source, content_type=None):
                raise EndpointConnectionError(endpoint_url="http://storage.invalid")
            patch.setattr(S3Store, "put", unreachable)
            refused = aoki.put(f"/api/v1/photos/{photo_id}", content=data)
            assert refused.status_code == 503 and refused.json()["code"] == "storage_unavailable"
            assert refused.headers["retry-after"] == "30"
        else:  # the data folder's disk failing is the server's own error, as before
            def disk_full(self, photo_id, files):
                raise OSError(28, "No space left on device")
            patch.setattr(PhotoStore, "_move_all_into_place", disk_full)
            assert aoki.put(f"/api/v1/photos/{photo_id}", content=data).status_code == 500
    assert aoki.head(f"/api/v1/photos/{photo_id}").headers["upload-complete"] == "0"
    assert not blob("original", photo_id).exists()

    async def died_before_commit(*args, **kw):
        raise RuntimeError("process died between storing and recording")

    with monkeypatch.context() as patch:  # stored, then the process "dies" before the row commits
        patch.setattr(routes, "record_arrival", died_before_commit)
        assert aoki.put(f"/api/v1/photos/{photo_id}", content=data).status_code == 500
    assert blob("original", photo_id).read_bytes() == data
    assert aoki.head(f"/api/v1/photos/{photo_id}").headers["upload-complete"] == "0"
    # The phone never had its 201, so it sends the photo again: stored (again) and recorded once.
    assert aoki.put(f"/api/v1/photos/{photo_id}", content=data).status_code == 201
    assert [aoki.put(f"/api/v1/photos/{pid}", content=d).status_code for pid, d in rest] == [201] * len(rest)
    assert aoki.get(f"/api/v1/inspections/{visit.id}").json()["status"] == "submitted"


def test_thumbnails_and_report_images_download_from_the_store(settings, world, as_, client, blob):
    visit = _approved(world, as_)
    photo_id = next(iter(visit.photos))
    guide = as_("aoki").get(f"/api/v1/photos/{photo_id}/guide")
    assert guide.status_code == 200 and guide.content == blob("thumb", photo_id).read_bytes()
    office = sign_in(client, "ueda")
    report = office.get(f"/office/photos/{photo_id}/report")
    assert report.status_code == 200 and report.content == blob("report", photo_id).read_bytes()
    assert office.get(f"/office/photos/{photo_id}/thumb").content == guide.content
    _delete(settings, photo_key("thumb", photo_id))  # gone from the store: 404 as before, never a 500
    assert as_("aoki").get(f"/api/v1/photos/{photo_id}/guide").status_code == 404
    assert office.get(f"/office/photos/{photo_id}/thumb").status_code == 404


def test_an_owners_pdf_embeds_the_photos_from_the_store(settings, world, as_, tmp_path):
    visit = _approved(world, as_)
    month = datetime.now(JST).strftime("%Y-%m")
    response = as_("ono").get(f"/api/v1/reports/owner/{world.properties['watched']}", params={"month": month})
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "owner.pdf"
    pdf.write_bytes(response.content)
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    images = [line for line in listed.splitlines()[2:] if " jpeg " in line]
    assert len(images) == len(visit.photos)
    cache = settings.photos_dir / "cache" / "report"
    if settings.storage_url:  # fetched once into the local cache, drawn from there
        assert sorted(p.stem for p in cache.rglob("*.jpg")) == sorted(visit.photos)
    else:  # drawn from the stored files themselves: nothing copied
        assert not cache.exists()


# --- the same headers from either store ---------------------------------------------------------

_SAME_EVERYWHERE = ("content-type", "content-length", "cache-control", "content-disposition")


def _downloads(settings: Settings) -> dict[str, tuple[int, dict, bytes, str]]:
    """Status, headers, body of the photo downloads on a server with these settings; and the photo id."""
    world = build_world(settings.db)
    with TestClient(create_app(settings)) as client:
        aoki, ueda = Session(client, "aoki"), Session(client, "ueda")
        visit = _pushed(world, aoki)
        assert set(visit.upload_all(aoki)) == {201}
        assert ueda.post(f"/api/v1/inspections/{visit.id}/review", json={"decision": "approve"}).status_code == 200
        photo_id = next(iter(visit.photos))
        found = {}
        for name, url in (("guide", f"/api/v1/photos/{photo_id}/guide"),
                          ("missing", f"/api/v1/photos/{uuid.uuid4()}/guide")):
            r = aoki.get(url)
            found[name] = (r.status_code, {k.lower(): v.replace(photo_id, "ID") for k, v in r.headers.items()},
                           r.content, photo_id)
        sign_in(client, "ueda")
        for name, url in (("thumb", f"/office/photos/{photo_id}/thumb"),
                          ("report", f"/office/photos/{photo_id}/report"),
                          ("office_missing", f"/office/photos/{uuid.uuid4()}/report")):
            r = client.get(url)
            found[name] = (r.status_code, {k.lower(): v.replace(photo_id, "ID") for k, v in r.headers.items()},
                           r.content, photo_id)
    return found


def test_downloads_carry_the_same_status_and_headers_from_either_store(tmp_path, request, monkeypatch):
    local = _downloads(_settings("local", tmp_path, request, monkeypatch))
    s3 = _downloads(_settings("s3", tmp_path, request, monkeypatch))
    for name in local:
        status, headers, body, _ = local[name]
        s3_status, s3_headers, s3_body, _ = s3[name]
        assert s3_status == status, name
        volatile = {"date", "etag", "last-modified", "x-request-id", "set-cookie"}
        assert set(s3_headers) == set(headers), name
        if status != 200:
            continue
        for header in _SAME_EVERYWHERE:
            assert s3_headers[header] == headers[header], (name, header)
        assert int(headers["content-length"]) == len(body) and int(s3_headers["content-length"]) == len(s3_body)
        assert s3_headers["content-type"] == "image/jpeg" and s3_headers["content-disposition"].startswith("inline")
        assert re.fullmatch(r'"[^"]+"', s3_headers["etag"]) and re.fullmatch(r'"[^"]+"', headers["etag"])
        assert s3_headers["last-modified"].endswith(" GMT") and headers["last-modified"].endswith(" GMT")
        others = set(headers) - volatile - set(_SAME_EVERYWHERE) - {"transfer-encoding"}
        assert {h: s3_headers[h] for h in others} == {h: headers[h] for h in others}, name
