"""The last approved visit of a house: the latest approved finish, per rubric or per kind."""

import sqlite3

from server.inspections.queries import last_approved_sql

VISITS = [  # id, property, rubric, kind, status, finished_at
    ("w1", "h1", "watch-a", "watch", "approved", "2026-09-10T10:00:00+09:00"),
    ("w2", "h1", "watch-a", "watch", "approved", "2026-10-10T10:00:00+09:00"),
    ("w3", "h1", "watch-b", "watch", "approved", "2026-10-05T10:00:00+09:00"),
    ("w4", "h1", "watch-a", "watch", "submitted", "2026-11-10T10:00:00+09:00"),
    ("s1", "h1", "survey", "survey", "approved", "2026-08-01T10:00:00+09:00"),
    ("w5", "h2", "watch-a", "watch", "returned", "2026-10-20T10:00:00+09:00"),
]


def _last(**kwargs) -> set[str]:
    with sqlite3.connect(":memory:") as conn:
        conn.execute("CREATE TABLE inspections (id, property_id, rubric_id, kind, status, finished_at)")
        conn.executemany("INSERT INTO inspections VALUES (?, ?, ?, ?, ?, ?)", VISITS)
        sql, params = last_approved_sql(["h1", "h2"], **kwargs)
        return {row[0] for row in conn.execute(sql, params)}


def test_per_rubric_each_rubric_keeps_its_latest_approved_visit():
    assert _last(per="rubric_id") == {"w2", "w3", "s1"}


def test_per_kind_the_latest_approved_visit_of_each_kind():
    assert _last(per="kind") == {"w2", "s1"}


def test_only_of_one_kind_and_before_a_moment():
    assert _last(per="kind", kind="watch", before="2026-10-10T10:00:00+09:00") == {"w3"}


def test_a_visit_not_approved_is_never_the_last_approved():
    assert "w4" not in _last(per="rubric_id") and "w5" not in _last(per="rubric_id")


def test_a_condition_narrows_the_visits_considered():
    assert _last(per="kind", kind="watch", covered=("i.rubric_id = ?", ("watch-b",))) == {"w3"}
