"""AKIYA_STORAGE_URL: what it accepts, what it says when wrong (never the secret), the store it
makes, the commands that refuse it, and the bounded cache of report photos for PDFs."""

from __future__ import annotations

import asyncio
import os
import time

import pytest
from litestar.testing import TestClient

from server.app import create_app
from server.ops.backup import BackupError, backup, restore
from server.ops.cli import main
from server.photos.report_cache import KEEP_SECONDS, ReportCache
from server.photos.store import PhotoStore
from server.core.settings import Settings, ValidationError
from server.storage import StorageUnreachable, photo_key, storage_for
from server.storage.local import LocalStore
from server.storage.s3 import S3Store
from tests.support.backends import s3_storage  # noqa: F401 (fixture)


def test_unset_or_empty_keeps_the_photos_in_the_data_folder(tmp_path):
    for settings in (Settings(data_dir=tmp_path), Settings.from_env({"AKIYA_STORAGE_URL": ""}, data_dir=tmp_path)):
        assert settings.storage_url is None
        store = storage_for(settings)
        assert isinstance(store, LocalStore) and store.local_path("photos/x") == tmp_path / "photos" / "x"


def test_an_s3_url_with_its_endpoint_from_the_environment_makes_an_s3_store(tmp_path):
    settings = Settings.from_env({"AKIYA_STORAGE_URL": "s3://akiya-photos/national/east/",
                                  "AKIYA_S3_ENDPOINT_URL": "http://127.0.0.1:9000"}, data_dir=tmp_path)
    assert settings.storage_url == "s3://akiya-photos/national/east"
    assert settings.s3_endpoint_url == "http://127.0.0.1:9000"
    store = storage_for(settings)
    assert isinstance(store, S3Store)
    assert (store.bucket, store.prefix, store.endpoint_url) == ("akiya-photos", "national/east", "http://127.0.0.1:9000")
    assert Settings(db=tmp_path / "a.sqlite3", data_dir=tmp_path, storage_url="s3://akiya").storage_url == "s3://akiya"


@pytest.mark.parametrize("url, says", [
    ("gs://bucket/x", "s3://bucket"),
    ("/var/photos", "s3://bucket"),
    ("s3://", "bucket name"),
    ("s3://Upper_Case", "bucket name"),
    ("s3://akiya/a/../b", "plain path"),
    ("s3://AKIAEXAMPLE:hunter2-secret@akiya/photos", "AWS_SECRET_ACCESS_KEY"),
])
def test_a_wrong_url_is_refused_saying_what_is_expected_and_never_repeating_it(tmp_path, url, says):
    with pytest.raises(ValidationError) as caught:
        Settings(data_dir=tmp_path, storage_url=url)
    message = str(caught.value)
    assert "AKIYA_STORAGE_URL must be s3://bucket" in message and says in message
    assert "hunter2" not in message and (url == "s3://" or url not in message)


def test_the_cli_shows_a_wrong_storage_url_without_its_secret(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("AKIYA_STORAGE_URL", "s3://key:hunter2-secret@bucket")
    assert main(["backup", "--db", str(tmp_path / "db.sqlite3"), str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "AKIYA_STORAGE_URL must be s3://bucket" in err and "hunter2" not in err


def test_an_endpoint_with_credentials_in_it_is_refused_without_showing_them(tmp_path):
    with pytest.raises(ValidationError) as caught:
        Settings(data_dir=tmp_path, s3_endpoint_url="http://key:hunter2@minio:9000")
    assert "AKIYA_S3_ENDPOINT_URL" in str(caught.value) and "hunter2" not in str(caught.value)


def test_backup_and_restore_refuse_photos_in_object_storage_saying_what_to_use(tmp_path):
    db = tmp_path / "akiya.sqlite3"
    db.write_bytes(b"")
    with pytest.raises(BackupError, match="AKIYA_STORAGE_URL") as caught:
        backup(db, tmp_path / "data", tmp_path / "out", storage_url="s3://akiya/photos")
    assert "オブジェクトストレージ" in str(caught.value)
    assert not (tmp_path / "out").exists()
    with pytest.raises(BackupError, match="AKIYA_STORAGE_URL"):
        restore(tmp_path / "out", db, tmp_path / "data", storage_url="s3://akiya/photos")


def test_the_data_folder_store_hands_pdfs_the_stored_files_themselves(tmp_path):
    store = PhotoStore(tmp_path / "photos")
    assert store.cache is None
    stored = tmp_path / photo_key("report", "ab12")
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"\xff\xd8jpeg")
    assert asyncio.run(store.report_files(["ab12", "cd34"])) == {"ab12": stored}


def test_the_report_cache_trims_least_recently_used_files_but_never_ones_in_use(tmp_path):
    cache = ReportCache(tmp_path / "cache", max_bytes=10_000, blobs=LocalStore(tmp_path))
    now = time.time()
    ages = {"old1": 3 * KEEP_SECONDS, "old2": 2 * KEEP_SECONDS, "old3": 1.5 * KEEP_SECONDS, "recent": 10, "now": 0}
    for photo_id, age in ages.items():
        path = cache.path(photo_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * 3_000)
        os.utime(path, (now - age, now - age))
    assert cache.trim(now) == 3  # 15,000 bytes: down to 8,000 (80 %) by the oldest first
    assert sorted(p.stem for p in (tmp_path / "cache").rglob("*.jpg")) == ["now", "recent"]
    assert cache.trim(now) == 0
    for photo_id in ("a", "b", "c", "d"):  # over the limit, but all used just now: nothing goes
        cache.path(photo_id).parent.mkdir(parents=True, exist_ok=True)
        cache.path(photo_id).write_bytes(b"x" * 3_000)
    assert cache.trim(now) == 0


def _found(error: BaseException, kind: type) -> BaseException:
    """`kind` itself or inside the exception groups the test client wraps lifespan errors in."""
    if isinstance(error, kind):
        return error
    for inner in getattr(error, "exceptions", ()):
        if (hit := _found(inner, kind)) is not None:
            return hit
    return None


@pytest.mark.parametrize("bucket, secret, says", [("akiya", "wrong-secret", "SignatureDoesNotMatch"),
                                                  ("no-such-bucket", None, "NoSuchBucket")])
def test_a_server_whose_storage_cannot_be_used_does_not_start_and_says_why(tmp_path, monkeypatch, s3_storage,
                                                                          bucket, secret, says):
    for name, value in s3_storage.environ().items():
        monkeypatch.setenv(name, value)
    if secret:
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    settings = Settings(db=tmp_path / "akiya.sqlite3", data_dir=tmp_path / "data", storage_url=f"s3://{bucket}/x")
    with pytest.raises(BaseException) as caught:
        with TestClient(create_app(settings)):
            pass
    message = str(_found(caught.value, StorageUnreachable))
    assert says in message and "AWS_SECRET_ACCESS_KEY" in message and bucket in message
    assert s3_storage.secret_key not in message and "wrong-secret" not in message
