"""Pull: the caller's open tasks, their houses (with the last approved result) and the rubrics
they need. With a cursor, only what changed since, including tasks taken away."""

from __future__ import annotations

import json
from typing import Any

import aiosqlite
import msgspec

from server.rubrics import RubricRegistry, rubric_to_client
from server.sync.changes import latest_seq
from server.tasks.queries import Task, open_tasks_for_carrier, tasks_by_ids


class TaskOut(msgspec.Struct):
    id: str
    property_id: str
    kind: str
    rubric_id: str
    rubric_version: int
    due: str
    priority: int
    options: list[str]
    note: str


class GuidePhoto(msgspec.Struct):
    """A photo of the last approved visit, per slot: the phone fetches its thumbnail from
    /api/v1/photos/{id}/guide and shows it as a framing guide."""

    slot: str
    id: str


class LastResult(msgspec.Struct):
    inspection_id: str
    rubric_id: str
    rubric_version: int
    finished_at: str
    answers: dict[str, Any]
    result: dict[str, Any]
    notes: str = ""
    photos: list[GuidePhoto] = []


class PropertyOut(msgspec.Struct):
    id: str
    address: str
    district: str
    lat: float | None
    lon: float | None
    building_use: str
    structure: str
    storeys: int | None
    status: str
    last_approved: list[LastResult]


class ReturnedOut(msgspec.Struct):
    """A record the office sent back: the carrier corrects it and resubmits (supersedes)."""

    inspection_id: str
    property_id: str
    task_id: str | None
    comment: str
    reviewed_at: str | None
    address: str = ""  # for a phone that never held the record (its task may be done)


class Deleted(msgspec.Struct):
    tasks: list[str]
    properties: list[str]


class PullOut(msgspec.Struct):
    cursor: str
    rubrics: list[dict[str, Any]]
    properties: list[PropertyOut]
    tasks: list[TaskOut]
    deleted: Deleted
    returned: list[ReturnedOut]
    office: dict[str, Any] | None = None


async def pull(conn: aiosqlite.Connection, rubrics: RubricRegistry, carrier_id: int, office_code: str | None,
               since: int | None) -> PullOut:
    """Run inside one read transaction so the cursor and the data agree."""
    await conn.execute("BEGIN")
    try:
        cursor = await latest_seq(conn)
        open_tasks = await open_tasks_for_carrier(conn, carrier_id)
        open_by_id = {t.id: t for t in open_tasks}
        if since is None:
            tasks = open_tasks
            deleted_tasks: list[str] = []
            property_ids = {t.property_id for t in tasks} | await _reported_by(conn, carrier_id)
            returned = await _returned(conn, carrier_id, None)
            deleted_properties: list[str] = []
        else:
            changed_tasks = await _changed(conn, "task", carrier_id, since, include_previous=True)
            tasks = [open_by_id[i] for i in changed_tasks if i in open_by_id]
            deleted_tasks = [i for i in changed_tasks if i not in open_by_id]
            held = {t.property_id for t in open_tasks} | await _reported_by(conn, carrier_id)
            changed_props = await _changed(conn, "property", None, since)
            property_ids = {t.property_id for t in tasks} | (set(changed_props) & held)
            gone = await tasks_by_ids(conn, deleted_tasks)
            deleted_properties = sorted({t.property_id for t in gone.values()} - held)
            returned = await _returned(conn, carrier_id, since)
        properties = await _properties(conn, sorted(property_ids))
        office = await _office(conn, office_code)
    finally:
        await conn.execute("ROLLBACK")
    return PullOut(
        cursor=str(cursor),
        rubrics=_rubrics_for(rubrics, tasks, include_survey=since is None),
        properties=properties,
        tasks=[_task_out(t) for t in tasks],
        deleted=Deleted(deleted_tasks, deleted_properties),
        returned=returned,
        office=office,
    )


def _task_out(t: Task) -> TaskOut:
    return TaskOut(t.id, t.property_id, t.kind, t.rubric_id, t.rubric_version, t.due, t.priority, t.options, t.note)


def _rubrics_for(registry: RubricRegistry, tasks: list[Task], include_survey: bool) -> list[dict]:
    wanted = {(t.rubric_id, t.rubric_version) for t in tasks}
    if include_survey:  # a carrier may survey a house they found, with no task
        for rubric in registry.all():
            if rubric.kind == "survey" and registry.latest(rubric.id) is rubric:
                wanted.add((rubric.id, rubric.version))
    found = [registry.get(i, v) for i, v in sorted(wanted)]
    return [rubric_to_client(r) for r in found if r is not None]


async def _changed(conn, entity: str, user_id: int | None, since: int, include_previous: bool = False) -> list[str]:
    if user_id is None:
        sql = "SELECT DISTINCT entity_id FROM change_log WHERE entity = ? AND seq > ?"
        params: tuple = (entity, since)
    elif include_previous:
        sql = """SELECT DISTINCT entity_id FROM change_log
                 WHERE entity = ? AND seq > ? AND (user_id = ? OR previous_user_id = ?)"""
        params = (entity, since, user_id, user_id)
    else:
        sql = "SELECT DISTINCT entity_id FROM change_log WHERE entity = ? AND seq > ? AND user_id = ?"
        params = (entity, since, user_id)
    async with conn.execute(sql, params) as cur:
        return [row[0] for row in await cur.fetchall()]


async def _reported_by(conn, carrier_id: int) -> set[str]:
    async with conn.execute(
        "SELECT id FROM properties WHERE reported_by = ? AND status = 'candidate'", (carrier_id,)
    ) as cur:
        return {row[0] for row in await cur.fetchall()}


async def _returned(conn, carrier_id: int, since: int | None) -> list[ReturnedOut]:
    sql = """SELECT i.id, i.property_id, i.task_id, i.review_comment, i.reviewed_at, p.address FROM inspections i
             JOIN properties p ON p.id = i.property_id WHERE i.carrier_id = ? AND i.status = 'returned'"""
    params: tuple = (carrier_id,)
    if since is not None:
        sql += """ AND i.id IN (SELECT entity_id FROM change_log
                                WHERE entity = 'inspection' AND seq > ? AND user_id = ?)"""
        params = (carrier_id, since, carrier_id)
    async with conn.execute(sql + " ORDER BY i.reviewed_at", params) as cur:
        return [ReturnedOut(*row) for row in await cur.fetchall()]


async def _properties(conn, ids: list[str]) -> list[PropertyOut]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    async with conn.execute(
        f"""SELECT id, address, district, lat, lon, building_use, structure, storeys, status
            FROM properties WHERE id IN ({marks}) ORDER BY id""", ids) as cur:
        rows = await cur.fetchall()
    last = await _last_approved(conn, ids, marks)
    return [PropertyOut(*row, last_approved=last.get(row[0], [])) for row in rows]


async def _last_approved(conn, ids: list[str], marks: str) -> dict[str, list[LastResult]]:
    """The latest approved inspection per property and rubric."""
    sql = f"""
        SELECT property_id, id, rubric_id, rubric_version, finished_at, answers, result, notes FROM (
            SELECT i.*, row_number() OVER (PARTITION BY property_id, rubric_id ORDER BY finished_at DESC) AS n
            FROM inspections i WHERE property_id IN ({marks}) AND status = 'approved'
        ) WHERE n = 1 ORDER BY property_id, rubric_id"""
    found: dict[str, list[LastResult]] = {}
    async with conn.execute(sql, ids) as cur:
        rows = await cur.fetchall()
    photos = await _guide_photos(conn, [row[1] for row in rows])
    for row in rows:
        found.setdefault(row[0], []).append(
            LastResult(row[1], row[2], row[3], row[4], json.loads(row[5]), json.loads(row[6]), row[7] or "",
                       photos.get(row[1], [])))
    return found


async def _guide_photos(conn, inspection_ids: list[str]) -> dict[str, list[GuidePhoto]]:
    if not inspection_ids:
        return {}
    marks = ",".join("?" * len(inspection_ids))
    found: dict[str, list[GuidePhoto]] = {}
    async with conn.execute(
        f"""SELECT inspection_id, slot, id FROM photos WHERE inspection_id IN ({marks}) AND received_at IS NOT NULL
            ORDER BY inspection_id, slot, id""", inspection_ids) as cur:
        for inspection_id, slot, photo_id in await cur.fetchall():
            found.setdefault(inspection_id, []).append(GuidePhoto(slot, photo_id))
    return found


async def _office(conn, office_code: str | None) -> dict | None:
    if not office_code:
        return None
    async with conn.execute("SELECT code, name, address, phone, lat, lon FROM post_offices WHERE code = ?",
                            (office_code,)) as cur:
        row = await cur.fetchone()
    return dict(zip(("code", "name", "address", "phone", "lat", "lon"), row)) if row else None
