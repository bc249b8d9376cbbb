"""An inspection's life, read as sentences: what may follow what, and what is refused."""

import re
import sqlite3
from pathlib import Path

import pytest

from server.inspections import status as life
from server.inspections.status import IllegalTransition, allowed, require

ROOT = Path(__file__).resolve().parents[2]


def test_a_pushed_inspection_waits_for_its_photos_or_is_submitted_at_once_without_any():
    assert life.on_push(has_photos=True) == "awaiting_photos"
    assert life.on_push(has_photos=False) == "submitted"


def test_its_last_photo_submits_an_inspection_that_waited_for_photos():
    assert allowed("awaiting_photos", "submitted")


def test_the_office_may_approve_or_return_a_submitted_inspection():
    assert require("submitted", "approved") == "approved"
    assert require("submitted", "returned") == "returned"


def test_a_returned_inspection_is_superseded_by_its_correction():
    assert allowed("returned", "superseded")


def test_an_inspection_still_waiting_for_photos_cannot_be_reviewed():
    for decision in ("approved", "returned"):
        with pytest.raises(IllegalTransition):
            require("awaiting_photos", decision)


def test_an_approved_inspection_is_final():
    for target in life.STATUSES:
        assert not allowed("approved", target)


def test_a_superseded_inspection_is_final():
    for target in life.STATUSES:
        assert not allowed("superseded", target)


def test_only_a_returned_inspection_can_be_superseded():
    for source in ("awaiting_photos", "submitted", "approved", "superseded"):
        with pytest.raises(IllegalTransition, match=f"from {source} to superseded"):
            require(source, "superseded")


def test_a_returned_inspection_cannot_be_approved_nor_returned_again():
    assert not allowed("returned", "approved")
    assert not allowed("returned", "returned")


def test_nothing_goes_back_to_waiting_for_photos():
    for source in life.STATUSES:
        assert not allowed(source, "awaiting_photos")


def test_a_new_inspection_cannot_start_reviewed():
    for target in ("approved", "returned", "superseded"):
        assert not allowed(None, target)


def test_the_table_holds_exactly_six_transitions():
    pairs = {(t.source, t.target) for t in life.TRANSITIONS}
    assert pairs == {(None, "awaiting_photos"), (None, "submitted"), ("awaiting_photos", "submitted"),
                     ("submitted", "approved"), ("submitted", "returned"), ("returned", "superseded")}


def test_the_statuses_are_those_the_database_allows():
    schema = (ROOT / "server/db/migrations/0001_initial.sql").read_text(encoding="utf-8")
    assert "status IN ('awaiting_photos', 'submitted', 'approved', 'returned', 'superseded')" in schema
    assert set(life.STATUSES) == {"awaiting_photos", "submitted", "approved", "returned", "superseded"}


def _db_with(statuses: dict[str, str]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE inspections (id TEXT PRIMARY KEY, status TEXT)")
    conn.executemany("INSERT INTO inspections VALUES (?, ?)", statuses.items())
    return conn


def test_superseding_in_the_database_moves_only_a_returned_inspection():
    conn = _db_with({"r": "returned", "s": "submitted", "a": "approved"})
    conn.executemany(life.SUPERSEDE_SQL, [("r",), ("s",), ("a",)])
    assert dict(conn.execute("SELECT id, status FROM inspections")) == {
        "r": "superseded", "s": "submitted", "a": "approved"}


def test_no_other_module_sets_an_inspection_status():
    setters = [p.relative_to(ROOT).as_posix() for p in (ROOT / "server").rglob("*.py")
               if re.search(r"UPDATE\s+inspections\s+SET\s+status", p.read_text(encoding="utf-8"))]
    assert setters == ["server/inspections/status.py"]
