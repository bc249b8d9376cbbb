"""Visits as lists for a page or a phone: the review queue, one visit for review, a house's history,
an owner's months and notices, a carrier's returned records, the last approved visit of houses for
the phone. Rows come back as the database gave them; the page or the pull shapes them."""

from __future__ import annotations

import aiosqlite

from server.core.changes import changed_for_sql
from server.inspections.queries import last_approved_sql, visit_month_sql
from server.users.access import inspection_condition
from server.users.queries import User


async def review_queue_rows(conn: aiosqlite.Connection, user: User) -> list:
    """Submitted visits this user may review: post-disaster checks first, then oldest received first."""
    condition, params = inspection_condition(user)
    sql = f"""SELECT i.id, i.kind, p.address, u.name AS carrier, i.finished_at, i.received_at, i.result, i.supersedes,
                     (SELECT count(*) FROM photos ph WHERE ph.inspection_id = i.id AND ph.flags <> '[]') AS photo_flags
              FROM inspections i JOIN properties p ON p.id = i.property_id JOIN users u ON u.id = i.carrier_id
              WHERE i.status = 'submitted' AND {condition}
              ORDER BY i.kind = 'disaster' DESC, i.received_at"""
    async with conn.execute(sql, params) as cur:
        return await cur.fetchall()


async def visit_row(conn: aiosqlite.Connection, user: User, inspection_id: str, approved_only: bool = False):
    """One visit with its house and carrier, as the review page shows it; None when unknown or not this user's."""
    condition, params = inspection_condition(user)
    status = "AND i.status = 'approved'" if approved_only else ""
    sql = f"""SELECT i.id, i.status, i.kind, p.id AS property_id, p.address, u.name AS carrier, i.finished_at, i.notes,
                     i.review_comment, i.supersedes, i.result, i.answers, i.rubric_id, i.rubric_version, i.started_at,
                     p.lat, p.lon, p.building_use, p.structure,
                     COALESCE((SELECT s.requested_spot FROM tasks t JOIN watch_subscriptions s ON s.id = t.subscription_id
                               WHERE t.id = i.task_id), '') AS requested_spot
              FROM inspections i JOIN properties p ON p.id = i.property_id JOIN users u ON u.id = i.carrier_id
              WHERE i.id = ? {status} AND {condition}"""
    async with conn.execute(sql, (inspection_id, *params)) as cur:
        return await cur.fetchone()


async def history_rows(conn: aiosqlite.Connection, user: User, property_id: str) -> list:
    """Every visit of a house this user may see, newest first."""
    condition, params = inspection_condition(user)
    sql = f"""SELECT i.id, i.kind, i.status, i.finished_at, u.name AS carrier, i.result, i.review_comment
              FROM inspections i JOIN properties p ON p.id = i.property_id JOIN users u ON u.id = i.carrier_id
              WHERE i.property_id = ? AND {condition} ORDER BY i.finished_at DESC"""
    async with conn.execute(sql, (property_id, *params)) as cur:
        return await cur.fetchall()


async def approved_months(conn: aiosqlite.Connection, covered: str, params: tuple) -> list[str]:
    """The months (YYYY-MM, newest first) with an approved watch visit or approved option work (草刈 in a paused
    month: its owner's report has the work and the statement) matching `covered` (a condition on `i`)."""
    async with conn.execute(
            f"""SELECT DISTINCT {visit_month_sql('i')} AS month FROM inspections i
                WHERE i.kind IN ('watch', 'work') AND i.status = 'approved' AND {covered} ORDER BY 1 DESC""", params) as cur:
        return [r["month"] for r in await cur.fetchall()]


async def approved_disaster_checks(conn: aiosqlite.Connection, covered: str, params: tuple) -> list:
    """Approved post-disaster checks matching `covered` (a condition on `i`), newest first: id, finished_at."""
    async with conn.execute(
            f"""SELECT i.id, i.finished_at FROM inspections i WHERE i.kind = 'disaster'
                AND i.status = 'approved' AND {covered} ORDER BY i.finished_at DESC""", params) as cur:
        return await cur.fetchall()


async def returned_rows(conn: aiosqlite.Connection, carrier_id: int, since: int | None) -> list:
    """The carrier's visits returned by the office (changed after change `since`, when given), oldest first."""
    sql = """SELECT i.id AS inspection_id, i.property_id, i.task_id, i.review_comment AS comment, i.reviewed_at,
                    p.address, i.rubric_id, i.rubric_version
             FROM inspections i JOIN properties p ON p.id = i.property_id
             WHERE i.carrier_id = ? AND i.status = 'returned'"""
    params: tuple = (carrier_id,)
    if since is not None:
        sql += f" AND i.id IN {changed_for_sql('inspection')}"
        params = (carrier_id, since, carrier_id)
    async with conn.execute(sql + " ORDER BY i.reviewed_at", params) as cur:
        return await cur.fetchall()


async def last_approved_rows(conn: aiosqlite.Connection, property_ids: list[str]) -> list:
    """The last approved visit of each house, per rubric, with its answers, result and notes."""
    last, params = last_approved_sql(property_ids, per="rubric_id")
    sql = f"""SELECT property_id, id AS inspection_id, rubric_id, rubric_version, finished_at, answers, result, notes
              FROM inspections WHERE id IN ({last}) ORDER BY property_id, rubric_id"""
    async with conn.execute(sql, params) as cur:
        return await cur.fetchall()


# Received photos of a house's watch visits that the user may see (an owner: their own period's).
_WATCH_PHOTOS = """SELECT ph.id, ph.slot, i.finished_at, i.rubric_id, i.rubric_version
                   FROM photos ph JOIN inspections i ON i.id = ph.inspection_id JOIN properties p ON p.id = i.property_id
                   WHERE p.id = ? AND i.kind = 'watch' AND ph.received_at IS NOT NULL AND {condition}"""


async def last_watch_visit_photo_rows(conn: aiosqlite.Connection, user: User, property_id: str) -> list:
    """The received photos (id, slot, finished_at, rubric) of the house's latest watch visit with photos
    that the user may see, by slot."""
    condition, params = inspection_condition(user)
    latest, latest_params = inspection_condition(user, "i2", "p2")
    return await conn.execute_fetchall(
        _WATCH_PHOTOS.format(condition=condition)
        + f""" AND i.id = (SELECT i2.id FROM inspections i2 JOIN properties p2 ON p2.id = i2.property_id
                           WHERE i2.property_id = p.id AND i2.kind = 'watch'
                             AND EXISTS (SELECT 1 FROM photos ph2 WHERE ph2.inspection_id = i2.id)
                             AND {latest} ORDER BY i2.finished_at DESC, i2.id DESC LIMIT 1)
               ORDER BY ph.slot, ph.id""",
        (property_id, *params, *latest_params))


async def watch_photo_visible(conn: aiosqlite.Connection, user: User, property_id: str, photo_id: str) -> bool:
    """Whether `photo_id` is a received photo of a watch visit of the house that the user may see."""
    condition, params = inspection_condition(user)
    found = await conn.execute_fetchall(_WATCH_PHOTOS.format(condition=condition) + " AND ph.id = ?",
                                        (property_id, *params, photo_id))
    return bool(found)
