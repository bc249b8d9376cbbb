"""An inspection's life, as one table of allowed transitions; the only code that changes its status.

    (pushed) ──► awaiting_photos ──► submitted ──► approved
        └─────────────────────────────► │
                                        └──► returned ──► superseded

A pushed inspection waits for its photos (or is submitted at once when it declared none), is
submitted when its last photo arrives, and the office approves it or returns it to the carrier,
whose correction supersedes it. Nothing else: an approved or superseded record is final.

The push (server/sync/push.py), photo arrival (server/photos/queries.py) and review
(server/inspections/queries.py) call this module; each write below only moves a row that is in
an allowed state, so a refused transition changes nothing.
"""

from __future__ import annotations

from typing import Literal, NamedTuple, get_args

import aiosqlite

from server.core.clock import now_iso

Status = Literal["awaiting_photos", "submitted", "approved", "returned", "superseded"]
STATUSES: tuple[Status, ...] = get_args(Status)


class Transition(NamedTuple):
    source: Status | None  # None: the inspection is new (the push creates it)
    target: Status
    when: str


TRANSITIONS: tuple[Transition, ...] = (
    Transition(None, "awaiting_photos", "the push brings it with photos still to upload"),
    Transition(None, "submitted", "the push brings it with no photos"),
    Transition("awaiting_photos", "submitted", "its last photo arrives"),
    Transition("submitted", "approved", "the office approves it"),
    Transition("submitted", "returned", "the office returns it to the carrier"),
    Transition("returned", "superseded", "the carrier pushes its correction"),
)

_ALLOWED: dict[Status | None, frozenset[Status]] = {
    source: frozenset(t.target for t in TRANSITIONS if t.source == source) for source in (None, *STATUSES)
}


class IllegalTransition(Exception):
    """A status change the table does not allow (callers say why to the person asking)."""

    def __init__(self, source: str | None, target: str):
        super().__init__(f"an inspection cannot go from {source or 'new'} to {target}")
        self.source = source
        self.target = target


def allowed(source: Status | None, target: Status) -> bool:
    return target in _ALLOWED.get(source, frozenset())


def require(source: Status | None, target: Status) -> Status:
    """The target status, or IllegalTransition."""
    if not allowed(source, target):
        raise IllegalTransition(source, target)
    return target


def sources_of(target: Status) -> tuple[Status, ...]:
    """The states from which `target` may be reached (excluding creation)."""
    return tuple(t.source for t in TRANSITIONS if t.target == target and t.source is not None)


def on_push(has_photos: bool) -> Status:
    """The status a newly pushed inspection starts in."""
    return require(None, "awaiting_photos" if has_photos else "submitted")


def review_target(decision: str) -> Status:
    return "approved" if decision == "approve" else "returned"


def _guard(target: Status) -> str:
    return "status IN (" + ", ".join(f"'{s}'" for s in sources_of(target)) + ")"


# --- the writes: every UPDATE of inspections.status -----------------------------------------------

SUPERSEDE_SQL = f"UPDATE inspections SET status = 'superseded' WHERE id = ? AND {_guard('superseded')}"

_PHOTOS_COMPLETE_SQL = f"""UPDATE inspections SET status = 'submitted'
    WHERE id = ? AND {_guard('submitted')}
      AND NOT EXISTS (SELECT 1 FROM photos WHERE inspection_id = ? AND received_at IS NULL)"""

_REVIEW_SQL = """UPDATE inspections SET status = ?, reviewed_by = ?, reviewed_at = ?, review_comment = ?
    WHERE id = ? AND status IN ({sources})"""


async def supersede_many(conn: aiosqlite.Connection, inspection_ids: list[str]) -> None:
    """Returned records replaced by their corrections (the push's batch, one executemany); the push
    checked each with require(status, 'superseded') before adding it."""
    if inspection_ids:
        await conn.executemany(SUPERSEDE_SQL, [(i,) for i in inspection_ids])


async def photo_arrived(conn: aiosqlite.Connection, inspection_id: str | None) -> bool:
    """A photo of the inspection arrived: when it was the last one, awaiting_photos → submitted.
    True when the status changed."""
    if inspection_id is None:  # a vacant-house report's photo: no inspection to move
        return False
    cur = await conn.execute(_PHOTOS_COMPLETE_SQL, (inspection_id, inspection_id))
    return cur.rowcount > 0


async def review(conn: aiosqlite.Connection, inspection_id: str, current: Status, decision: str,
                 reviewer_id: int, comment: str) -> Status:
    """submitted → approved or returned, with who reviewed it, when, and the comment."""
    target = require(current, review_target(decision))
    sources = ", ".join(f"'{s}'" for s in sources_of(target))
    cur = await conn.execute(_REVIEW_SQL.format(sources=sources),
                             (target, reviewer_id, now_iso(), comment, inspection_id))
    if cur.rowcount == 0:  # its stored status was not the one the caller read
        raise IllegalTransition(None, target)
    return target
