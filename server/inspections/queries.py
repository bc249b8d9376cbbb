"""Inspections as the office, the municipality, the owner and the carrier see them."""

from __future__ import annotations

import json
from typing import Any, Literal

import aiosqlite
import msgspec

from server import audit
from server.access import inspection_condition, sees_review_comment
from server.clock import now_iso
from server import problems
from server.errors import not_found
from server.sync.changes import log_change
from server.users.queries import User


class PhotoState(msgspec.Struct):
    id: str
    slot: str
    received: bool
    flags: list[str]
    taken_at: str | None = None


class InspectionOut(msgspec.Struct):
    id: str
    status: Literal["awaiting_photos", "submitted", "approved", "returned", "superseded"]
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
                     (SELECT s.id FROM inspections s WHERE s.supersedes = i.id), i.received_at, i.review_comment
              FROM inspections i JOIN properties p ON p.id = i.property_id
              WHERE i.id = ? AND {condition}"""
    async with conn.execute(sql, (inspection_id, *params)) as cur:
        row = await cur.fetchone()
    if row is None:
        return None
    async with conn.execute(
        """SELECT id, slot, received_at IS NOT NULL, flags, taken_at FROM photos
           WHERE inspection_id = ? ORDER BY slot, id""", (inspection_id,)) as cur:
        photos = [PhotoState(r[0], r[1], bool(r[2]), json.loads(r[3]), r[4]) for r in await cur.fetchall()]
    values = list(row)
    values[9], values[10] = json.loads(values[9]), json.loads(values[10])
    if not sees_review_comment(user):
        values[15] = ""
    return InspectionOut(*values, photos=photos)


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
    return ReviewTarget(*row) if row else None


async def record_review(conn: aiosqlite.Connection, actor: audit.Actor, target: ReviewTarget, reviewer_id: int,
                        decision: str, comment: str) -> None:
    status = "approved" if decision == "approve" else "returned"
    await conn.execute(
        """UPDATE inspections SET status = ?, reviewed_by = ?, reviewed_at = ?, review_comment = ?
           WHERE id = ?""", (status, reviewer_id, now_iso(), comment, target.id))
    if status == "approved":
        await log_change(conn, "property", target.property_id, None)  # its last approved result changed
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
    if target.status != "submitted":
        raise problems.NOT_REVIEWABLE(target.status)
    await record_review(conn, actor, target, reviewer.id, decision, comment)
