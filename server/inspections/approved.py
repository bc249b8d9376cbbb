"""Approved visits as the documents read them: the visit of a month, the one before it, a disaster
visit, a contract's survey results, who a visit's report is addressed to, and which watched houses
have a visit in a month. "The last approved visit" and "the month of a visit" come from
server/inspections/queries.py; the owner's subscription periods from server/users/access.py."""

from __future__ import annotations

import json
from typing import Any

import aiosqlite
import msgspec

from server.users.access import covering_owner, owner_visit_condition
from server.db.records import from_row
from server.inspections.queries import last_approved_sql, visit_month_sql


class ApprovedVisit(msgspec.Struct):
    id: str
    property_id: str
    task_id: str | None
    rubric_id: str
    rubric_version: int
    started_at: str
    finished_at: str
    answers: dict[str, Any]
    result: dict[str, Any]
    notes: str
    reviewed_at: str | None
    carrier_name: str


class Addressee(msgspec.Struct):
    id: int
    name: str
    address: str


_VISIT = """SELECT i.id, i.property_id, i.task_id, i.rubric_id, i.rubric_version, i.started_at, i.finished_at,
                   i.answers, i.result, i.notes, i.reviewed_at, u.name AS carrier_name
            FROM inspections i JOIN users u ON u.id = i.carrier_id"""


def _visit(row) -> ApprovedVisit:
    return from_row(ApprovedVisit, row, answers=json.loads(row["answers"]), result=json.loads(row["result"]))


async def last_approved_in_month(conn: aiosqlite.Connection, property_id: str, kind: str, month: str,
                                 owner_id: int | None = None) -> ApprovedVisit | None:
    """The last approved visit (latest finish) of a house and kind that started in `month` (YYYY-MM,
    Japan time); with an owner, only among visits within their subscription periods."""
    covered, params = owner_visit_condition(owner_id) if owner_id is not None else ("1 = 1", ())
    async with conn.execute(
        f"""{_VISIT} WHERE i.property_id = ? AND i.kind = ? AND i.status = 'approved'
                       AND {visit_month_sql('i')} = ? AND {covered}
            ORDER BY i.finished_at DESC LIMIT 1""", (property_id, kind, month, *params)) as cur:
        row = await cur.fetchone()
    return _visit(row) if row else None


async def watch_visit_waiting_in_month(conn: aiosqlite.Connection, property_id: str, month: str,
                                      owner_id: int | None = None) -> bool:
    """Whether a watch visit of the house made in `month` (within the owner's periods) waits for the office's
    review: the owner's report of a month with work only says so, and never that there was no visit."""
    covered, params = owner_visit_condition(owner_id) if owner_id is not None else ("1 = 1", ())
    async with conn.execute(
        f"""SELECT 1 FROM inspections i WHERE i.property_id = ? AND i.kind = 'watch'
                  AND i.status IN ('awaiting_photos', 'submitted', 'returned')
                  AND {visit_month_sql('i')} = ? AND {covered}""", (property_id, month, *params)) as cur:
        return await cur.fetchone() is not None


async def last_approved_before(conn: aiosqlite.Connection, property_id: str, kind: str, before: str,
                               owner_id: int | None = None) -> ApprovedVisit | None:
    """The last approved visit of a house and kind finished before `before`; with an owner, only among
    visits within their subscription periods."""
    covered = owner_visit_condition(owner_id) if owner_id is not None else None
    last, params = last_approved_sql([property_id], per="kind", kind=kind, before=before, covered=covered)
    async with conn.execute(f"{_VISIT} WHERE i.id IN ({last})", params) as cur:
        row = await cur.fetchone()
    return _visit(row) if row else None


class WorkVisit(ApprovedVisit):
    """An approved record of ordered work; `options` is its task's one service key (草刈 …)."""

    options: list[str] = []


async def approved_work_in_month(conn: aiosqlite.Connection, property_id: str, month: str,
                                 owner_id: int) -> list[WorkVisit]:
    """The approved work records of a house that started in `month` (Japan time) within the owner's
    subscription periods, first done first."""
    covered, params = owner_visit_condition(owner_id)
    async with conn.execute(
        f"""SELECT i.id, i.property_id, i.task_id, i.rubric_id, i.rubric_version, i.started_at, i.finished_at,
                   i.answers, i.result, i.notes, i.reviewed_at, u.name AS carrier_name, i.options
            FROM inspections i JOIN users u ON u.id = i.carrier_id
            WHERE i.property_id = ? AND i.kind = 'work' AND i.status = 'approved'
              AND {visit_month_sql('i')} = ? AND {covered}
            ORDER BY i.started_at, i.id""", (property_id, month, *params)) as cur:
        return [from_row(WorkVisit, r, answers=json.loads(r["answers"]), result=json.loads(r["result"]),
                         options=json.loads(r["options"])) for r in await cur.fetchall()]


async def approved_visit(conn: aiosqlite.Connection, inspection_id: str, kind: str) -> ApprovedVisit | None:
    async with conn.execute(f"{_VISIT} WHERE i.id = ? AND i.kind = ? AND i.status = 'approved'",
                            (inspection_id, kind)) as cur:
        row = await cur.fetchone()
    return _visit(row) if row else None


async def contract_survey_results(conn: aiosqlite.Connection, contract_id: int, rubric_id: str,
                                  until: str | None = None) -> list[ApprovedVisit]:
    """The latest approved survey of each house in the contract (finished on or before `until`, a date,
    when given: an earlier contract's results as they stood when it ended)."""
    sql = f"""{_VISIT}
              WHERE i.id IN (
                  SELECT id FROM (
                      SELECT i2.id, row_number() OVER (PARTITION BY i2.property_id ORDER BY i2.finished_at DESC) AS n
                      FROM inspections i2 JOIN contract_properties cp ON cp.property_id = i2.property_id
                      WHERE cp.contract_id = ? AND i2.rubric_id = ? AND i2.status = 'approved'
                        AND (CAST(? AS TEXT) IS NULL OR substr(i2.finished_at, 1, 10) <= ?)
                  ) AS latest WHERE n = 1)
              ORDER BY i.property_id"""
    async with conn.execute(sql, (contract_id, rubric_id, until, until)) as cur:
        return [_visit(r) for r in await cur.fetchall()]


async def addressee_of_visit(conn: aiosqlite.Connection, inspection_id: str) -> Addressee | None:
    """The owner whose subscription covered the visit: the one its report is addressed to."""
    async with conn.execute(
        f"""SELECT o.id, o.name, o.address FROM inspections i JOIN owners o ON o.id = {covering_owner("i")}
            WHERE i.id = ?""", (inspection_id,)) as cur:
        row = await cur.fetchone()
    return from_row(Addressee, row) if row else None


async def watched_houses_with_visit_in(conn: aiosqlite.Connection, month: str) -> list[str]:
    """The watched houses with an approved watch visit or approved option work in `month`: the monthly
    batch's list."""
    async with conn.execute(
        f"""SELECT DISTINCT s.property_id FROM watch_subscriptions s JOIN inspections i ON i.property_id = s.property_id
            WHERE i.kind IN ('watch', 'work') AND i.status = 'approved' AND {visit_month_sql('i')} = ? ORDER BY s.property_id""",
        (month,)) as cur:
        return [row["property_id"] for row in await cur.fetchall()]
