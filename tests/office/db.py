"""Direct looks at (and small changes to) a test's database, beside the running app, on either
engine (tests/support/sql.py)."""

from __future__ import annotations

from tests.support import sql


def query(settings, text: str, *params) -> list[tuple]:
    return sql.rows(settings.db, text, *params)


def execute(settings, text: str, *params) -> None:
    sql.execute(settings.db, text, *params)


def count(settings, table: str, where: str = "1 = 1", *params) -> int:
    return query(settings, f"SELECT count(*) FROM {table} WHERE {where}", *params)[0][0]


def subscription_of(settings, world, owner: str = "ono") -> int:
    """The id of the world's owner's watch subscription (Ono: the house 1-1, Oda: the house 3-3)."""
    return query(settings, "SELECT id FROM watch_subscriptions WHERE owner_id = ?", world.owners[owner])[0][0]
