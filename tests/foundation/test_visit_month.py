"""The month of a visit is its Japanese calendar month, the same in Python and in SQL."""

import sqlite3

import pytest

from server.inspections.queries import visit_month, visit_month_sql


@pytest.mark.parametrize("started_at, month", [
    ("2026-10-31T15:30:00+00:00", "2026-11"),  # 00:30 on 1 November in Japan
    ("2026-10-31T14:59:00+00:00", "2026-10"),  # 23:59 on 31 October in Japan
    ("2026-11-01T08:00:00+09:00", "2026-11"),
    ("2026-12-31T23:30:00+09:00", "2026-12"),
])
def test_a_visit_belongs_to_the_month_in_which_it_started_in_japan(started_at, month):
    assert visit_month(started_at) == month
    with sqlite3.connect(":memory:") as conn:
        conn.execute("CREATE TABLE inspections (started_at TEXT)")
        conn.execute("INSERT INTO inspections VALUES (?)", (started_at,))
        [(in_sql,)] = conn.execute(f"SELECT {visit_month_sql('i')} FROM inspections i")
    assert in_sql == month
