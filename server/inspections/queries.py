"""The inspections table's owner: its record shapes, its insert, its reads (as the office, the
municipality, the owner and the carrier see them), "the last approved visit" and "the month of a
visit". Status changes live beside it in server/inspections/status.py."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

import aiosqlite
import msgspec

from server.core import audit
from server.users.access import inspection_condition, sees_review_comment
from server.core import problems
from server.core.changes import log_change
from server.core.clock import JST
from server.db.records import from_row, insert_all, insert_sql, rows_for_ids
from server.core.problems import not_found
from server.inspections import status as life
from server.option_work.queries import order_done_by_visit
from server.users.queries import User


class NewInspection(msgspec.Struct, kw_only=True):
    """A pushed inspection as stored: fields in INSERT_SQL's column order."""

    id: str
    task_id: str | None
    property_id: str
    rubric_id: str
    rubric_version: int
    kind: str
    carrier_id: int
    device_id: str
    started_at: str
    finished_at: str
    lat: float | None
    lon: float | None
    accuracy_m: float | None
    answers: str  # JSON
    options: str  # JSON
    notes: str
    supersedes: str | None
    body_sha256: str
    result: str  # JSON
    rank: str | None
    total: float | None
    likelihood: str | None
    status: life.Status
    received_at: str


INSERT_SQL = insert_sql("inspections", NewInspection)


async def insert_many(conn: aiosqlite.Connection, records: list[NewInspection]) -> None:
    await insert_all(conn, INSERT_SQL, records)


class InspectionHead(msgspec.Struct):
    """What the push checks a new op against: the stored body's hash, whose it is, where it stands."""

    id: str
    body_sha256: str
    carrier_id: int
    status: life.Status
    property_id: str
    task_id: str | None


async def heads_by_ids(conn: aiosqlite.Connection, ids: list[str]) -> dict[str, InspectionHead]:
    rows = await rows_for_ids(
        conn, "SELECT id, body_sha256, carrier_id, status, property_id, task_id FROM inspections WHERE id IN ({ids})", ids)
    return {row["id"]: from_row(InspectionHead, row) for row in rows}


# --- "the month of a visit" and "the last approved visit", defined once ----------------------------

def visit_month(started_at: str) -> str:
    """The month of a visit: the Japanese calendar month (YYYY-MM) in which it started."""
    return datetime.fromisoformat(started_at).astimezone(JST).strftime("%Y-%m")


def visit_day(started_at: str) -> str:
    """The day of a visit: the Japanese calendar day (YYYY-MM-DD) on which it started."""
    return datetime.fromisoformat(started_at).astimezone(JST).date().isoformat()


def visit_month_sql(i: str = "i") -> str:
    """SQL: the month of visit `i` (the same as visit_month)."""
    return f"strftime('%Y-%m', {i}.started_at, '+9 hours')"


def last_approved_sql(property_ids: list[str], *, per: Literal["rubric_id", "kind"], kind: str | None = None,
                      before: str | None = None, covered: tuple[str, tuple] | None = None) -> tuple[str, tuple]:
    """SQL selecting the ids of the last approved visit (latest finish) of each house, one per rubric or
    per kind; only of `kind`, finished before `before`, and matching `covered` (a condition over
    inspections `i`, such as an owner's subscription periods) when given. Use as `i.id IN (...)`."""
    marks = ",".join("?" * len(property_ids)) or "NULL"
    where, params = [f"i.property_id IN ({marks})", "i.status = 'approved'"], [*property_ids]
    if kind is not None:
        where.append("i.kind = ?")
        params.append(kind)
    if before is not None:
        where.append("i.finished_at < ?")
        params.append(before)
    if covered is not None:
        where.append(covered[0])
        params.extend(covered[1])
    sql = f"""SELECT id FROM (
                  SELECT i.id, row_number() OVER (PARTITION BY i.property_id, i.{per} ORDER BY i.finished_at DESC) AS n
                  FROM inspections i WHERE {' AND '.join(where)}
              ) AS latest WHERE n = 1"""
    return sql, tuple(params)


def last_approved_flagged_sql(house: str = "p.id") -> str:
    """SQL, a scalar: 1 when the last approved visit (latest finish, of any kind) of house `house`
    flagged something, 0 when it flagged nothing, NULL when the house has no approved visit."""
    return f"""(SELECT CASE WHEN json_array_length(i.result, '$.flags') > 0 THEN 1 ELSE 0 END FROM inspections i
                WHERE i.property_id = {house} AND i.status = 'approved' ORDER BY i.finished_at DESC LIMIT 1)"""


def latest_visit_sql(house: str = "p.id") -> str:
    """SQL, a scalar: the id of the latest visit (latest finish, any status or kind) of house `house`."""
    return f"(SELECT i.id FROM inspections i WHERE i.property_id = {house} ORDER BY i.finished_at DESC LIMIT 1)"


def contract_surveys_sql(statuses: tuple[str, ...], *, contract: str = "c.id", rubric: str = "c.rubric_id",
                         period_start: str = "c.period_start") -> str:
    """SQL: the surveys of a contract's houses that count for it: on its rubric, finished on or after
    its first day, of `statuses`; columns property_id, id, status, finished_at, likelihood, rank,
    total, result, rubric_version, and n (1 for each house's latest). `contract`, `rubric` and
    `period_start` are SQL expressions: the contract's columns, or parameters."""
    if not all(status in life.STATUSES for status in statuses):
        raise ValueError(f"not inspection statuses: {statuses}")
    marks = ", ".join(f"'{status}'" for status in statuses)
    return f"""SELECT i.property_id, i.id, i.status, i.finished_at, i.likelihood, i.rank, i.total, i.result,
                      i.rubric_version,
                      row_number() OVER (PARTITION BY i.property_id ORDER BY i.finished_at DESC) AS n
               FROM inspections i JOIN contract_properties cp ON cp.property_id = i.property_id
               WHERE cp.contract_id = {contract} AND i.rubric_id = {rubric} AND i.status IN ({marks})
                 AND substr(i.finished_at, 1, 10) >= {period_start}"""


def task_visit_sql(task: str = "t.id") -> str:
    """SQL, a scalar: the id of task `task`'s current visit (the latest received that is not superseded)."""
    return f"""(SELECT i.id FROM inspections i WHERE i.task_id = {task} AND i.status <> 'superseded'
                ORDER BY i.received_at DESC LIMIT 1)"""


def visit_status_sql(visit: str) -> str:
    """SQL, a scalar: the status of visit `visit` (an id expression)."""
    return f"(SELECT i.status FROM inspections i WHERE i.id = {visit})"


def approved_since_sql(kinds: tuple[str, ...]) -> str:
    """SQL: the visits of `kinds` approved at or after the parameter `?` (a time): columns id, kind,
    property_id, started_at, finished_at."""
    if not all(kind.isidentifier() for kind in kinds):
        raise ValueError(f"not visit kinds: {kinds}")
    marks = ", ".join(f"'{kind}'" for kind in kinds)
    return f"""SELECT i.id, i.kind, i.property_id, i.started_at, i.finished_at FROM inspections i
               WHERE i.status = 'approved' AND i.kind IN ({marks}) AND i.reviewed_at >= ?"""


def watch_visit_in_month_sql(i: str = "i") -> str:
    """SQL, a condition: the house of visit `i` has a watch visit (not superseded, any other status) in
    the month of `i`."""
    return f"""EXISTS (SELECT 1 FROM inspections w WHERE w.property_id = {i}.property_id AND w.kind = 'watch'
                       AND w.status <> 'superseded' AND {visit_month_sql('w')} = {visit_month_sql(i)})"""


# --- read shapes ------------------------------------------------------------------------------------

class PhotoState(msgspec.Struct):
    id: str
    slot: str
    received: bool
    flags: list[str]
    taken_at: str | None = None


class InspectionOut(msgspec.Struct):
    id: str
    status: life.Status
    kind: str
    property_id: str
    task_id: str | None
    rubric_id: str
    rubric_version: int
    started_at: str
    finished_at: str
    answers: dict[str, Any]
    result: dict[str, Any]
    notes: str
    supersedes: str | None
    superseded_by: str | None
    received_at: str
    review_comment: str
    photos: list[PhotoState]


async def inspection_for(conn: aiosqlite.Connection, user: User, inspection_id: str) -> InspectionOut | None:
    """The inspection if this user may see it (None for unknown and forbidden alike)."""
    condition, params = inspection_condition(user)
    sql = f"""SELECT i.id, i.status, i.kind, i.property_id, i.task_id, i.rubric_id, i.rubric_version, i.started_at,
                     i.finished_at, i.answers, i.result, i.notes, i.supersedes,
                     (SELECT s.id FROM inspections s WHERE s.supersedes = i.id) AS superseded_by, i.received_at,
                     i.review_comment
              FROM inspections i JOIN properties p ON p.id = i.property_id
              WHERE i.id = ? AND {condition}"""
    async with conn.execute(sql, (inspection_id, *params)) as cur:
        row = await cur.fetchone()
    if row is None:
        return None
    async with conn.execute(
        """SELECT id, slot, received_at IS NOT NULL AS received, flags, taken_at FROM photos
           WHERE inspection_id = ? ORDER BY slot, id""", (inspection_id,)) as cur:
        photos = [from_row(PhotoState, r, received=bool(r["received"]), flags=json.loads(r["flags"]))
                  for r in await cur.fetchall()]
    return from_row(InspectionOut, row, answers=json.loads(row["answers"]), result=json.loads(row["result"]),
                    review_comment=row["review_comment"] if sees_review_comment(user) else "", photos=photos)


async def visible_of_kind(conn: aiosqlite.Connection, user: User, inspection_id: str, kind: str) -> bool:
    """Whether the user may see this inspection and it is of `kind` (server/users/access.py)."""
    condition, params = inspection_condition(user)
    async with conn.execute(
        f"""SELECT 1 FROM inspections i JOIN properties p ON p.id = i.property_id
            WHERE i.id = ? AND i.kind = ? AND {condition}""", (inspection_id, kind, *params)) as cur:
        return await cur.fetchone() is not None


class ReviewTarget(msgspec.Struct):
    id: str
    status: str
    carrier_id: int
    property_id: str


async def review_target(conn: aiosqlite.Connection, user: User, inspection_id: str) -> ReviewTarget | None:
    condition, params = inspection_condition(user)
    sql = f"""SELECT i.id, i.status, i.carrier_id, i.property_id FROM inspections i
              JOIN properties p ON p.id = i.property_id WHERE i.id = ? AND {condition}"""
    async with conn.execute(sql, (inspection_id, *params)) as cur:
        row = await cur.fetchone()
    return from_row(ReviewTarget, row) if row else None


async def record_review(conn: aiosqlite.Connection, actor: audit.Actor, target: ReviewTarget, reviewer_id: int,
                        decision: str, comment: str) -> None:
    status = await life.review(conn, target.id, target.status, decision, reviewer_id, comment)
    if status == "approved":
        await log_change(conn, "property", target.property_id, None)  # its last approved result changed
        visit = await (await conn.execute("SELECT task_id, started_at FROM inspections WHERE id = ?",
                                          (target.id,))).fetchone()
        # Work an owner ordered (or their 臨時見回り) is done on the day of the visit the office approved.
        await order_done_by_visit(conn, actor, visit["task_id"], target.id, visit_day(visit["started_at"]))
    else:
        await log_change(conn, "inspection", target.id, target.carrier_id)  # the carrier's phone hears of it
    await audit.record(conn, actor, f"review.{decision}", "inspection", target.id, {"comment": comment})


async def decide_review(conn: aiosqlite.Connection, actor: audit.Actor, reviewer: User, inspection_id: str,
                        decision: str, comment: str) -> None:
    """Approve or return a submitted inspection: the one rule the API and the office pages share."""
    comment = comment.strip()
    if decision == "return" and not comment:
        raise problems.COMMENT_REQUIRED()
    target = await review_target(conn, reviewer, inspection_id)
    if target is None:
        raise not_found("記録")
    try:
        await record_review(conn, actor, target, reviewer.id, decision, comment)
    except life.IllegalTransition:  # refused before anything was written
        raise problems.NOT_REVIEWABLE(target.status) from None
