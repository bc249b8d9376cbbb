"""`akiya backup` while a carrier keeps pushing and uploading, then `akiya restore`: every record
and photo of the snapshot comes back, byte for byte."""

import hashlib
import sqlite3
import subprocess
import threading

import pytest

from tests.reliability.records import base_photo, survey_records
from tests.support.live_server import AKIYA

# `akiya backup` copies a SQLite file; with PostgreSQL it refuses and names pg_dump
# (tests/backends/test_postgres_wiring.py), so there is nothing of ours to restore there.
pytestmark = pytest.mark.backends("sqlite")

def akiya(*args) -> subprocess.CompletedProcess:
    return subprocess.run([str(AKIYA), *map(str, args)], capture_output=True, text=True, timeout=120)


def rows(db, sql) -> set[tuple]:
    with sqlite3.connect(db) as conn:
        return set(conn.execute(sql))


INSPECTIONS = "SELECT id, property_id, body_sha256, answers, carrier_id FROM inspections"
PHOTOS = "SELECT id, inspection_id, sha256 FROM photos WHERE received_at IS NOT NULL"


class Carrier(threading.Thread):
    """Pushes surveys and uploads their photos until told to stop (and at least `minimum`)."""

    def __init__(self, api, minimum: int):
        super().__init__(daemon=True)
        self.api, self.minimum = api, minimum
        self.stop = threading.Event()
        self.sent = 0

    def run(self):
        records = iter(survey_records(400, base_photo(5), "b-"))
        while not (self.stop.is_set() and self.sent >= self.minimum):
            record = next(records)
            assert self.api.push([record.op])[0]["status"] == "applied"
            for photo_id, data in record.photos.items():
                assert self.api.put_photo(photo_id, data).status_code == 201
            self.sent += 1


def test_backup_taken_under_write_load_restores_every_record_and_photo(live, carrier, tmp_path):
    load = Carrier(carrier, minimum=6)
    load.start()
    while load.sent < 3:
        assert load.is_alive(), "the carrier stopped sending (its error is above)"
        load.join(0.05)
    made = akiya("backup", "--db", live.db, "--data-dir", live.data_dir, tmp_path / "backup")
    load.stop.set()
    load.join(120)
    assert made.returncode == 0, made.stderr
    live.stop()

    restored_db, restored_data = tmp_path / "restored" / "akiya.sqlite3", tmp_path / "restored" / "data"
    back = akiya("restore", "--db", restored_db, "--data-dir", restored_data, tmp_path / "backup")
    assert back.returncode == 0, back.stderr

    saved = rows(restored_db, INSPECTIONS)
    assert 3 <= len(saved) < load.sent, "the backup was not taken while writes went on"
    assert saved <= rows(live.db, INSPECTIONS)
    photos = rows(restored_db, PHOTOS)
    assert photos <= rows(live.db, PHOTOS) and len(photos) >= 9
    for photo_id, _, sha in photos:
        original = restored_data / "photos" / "original" / photo_id[:2] / f"{photo_id}.jpg"
        assert hashlib.sha256(original.read_bytes()).hexdigest() == sha
    with sqlite3.connect(restored_db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_restore_refuses_to_overwrite_existing_data_unless_forced(live, tmp_path):
    assert akiya("backup", "--db", live.db, "--data-dir", live.data_dir, tmp_path / "backup").returncode == 0
    live.stop()
    refused = akiya("restore", "--db", live.db, "--data-dir", live.data_dir, tmp_path / "backup")
    assert refused.returncode == 1 and "--force" in refused.stderr
    forced = akiya("restore", "--force", "--db", live.db, "--data-dir", live.data_dir, tmp_path / "backup")
    assert forced.returncode == 0, forced.stderr
    assert list(tmp_path.glob("akiya.sqlite3.before-restore-*")), "the old database was not kept"


def test_restore_refuses_a_backup_whose_files_do_not_match_the_manifest(live, tmp_path):
    assert akiya("backup", "--db", live.db, "--data-dir", live.data_dir, tmp_path / "backup").returncode == 0
    with open(tmp_path / "backup" / "akiya.sqlite3", "r+b") as f:
        f.seek(200)
        f.write(b"\x00garbage")
    refused = akiya("restore", "--db", tmp_path / "new.sqlite3", "--data-dir", tmp_path / "new", tmp_path / "backup")
    assert refused.returncode == 1 and "壊れている" in refused.stderr
    assert not (tmp_path / "new.sqlite3").exists()
