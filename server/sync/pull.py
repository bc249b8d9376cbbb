"""Pull: the caller's open tasks, their houses (with the last approved result) and the rubrics
they need. With a cursor, only what changed since, including tasks taken away."""

from __future__ import annotations

import json
from typing import Any

import aiosqlite
import msgspec

from server.core.changes import changed_since, latest_seq
from server.db.records import from_row
from server.inspections.lists import last_approved_rows, returned_rows
from server.rubrics import RubricRegistry, rubric_to_client
from server.tasks.queries import Task, TaskOut, open_tasks_for_carrier, tasks_by_ids


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
    rubric_id: str = ""  # the form the record was made on: the correction opens on it
    rubric_version: int = 0


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
            changed_tasks = await changed_since(conn, "task", since, carrier_id, include_previous=True)
            tasks = [open_by_id[i] for i in changed_tasks if i in open_by_id]
            deleted_tasks = [i for i in changed_tasks if i not in open_by_id]
            held = {t.property_id for t in open_tasks} | await _reported_by(conn, carrier_id)
            changed_props = await changed_since(conn, "property", since)
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
        rubrics=_rubrics_for(rubrics, tasks, returned, include_survey=since is None),
        properties=properties,
        tasks=[t.out() for t in tasks],
        deleted=Deleted(deleted_tasks, deleted_properties),
        returned=returned,
        office=office,
    )


def _rubrics_for(registry: RubricRegistry, tasks: list[Task], returned: list[ReturnedOut],
                 include_survey: bool) -> list[dict]:
    """The forms of the carrier's tasks and returned records (a record made on an older version is
    corrected on that version), and the newest survey form for houses found without a task."""
    wanted = {(t.rubric_id, t.rubric_version) for t in tasks} | {(r.rubric_id, r.rubric_version) for r in returned}
    if include_survey:  # a carrier may survey a house they found, with no task
        for rubric in registry.all():
            if rubric.kind == "survey" and registry.latest(rubric.id) is rubric:
                wanted.add((rubric.id, rubric.version))
    found = [registry.get(i, v) for i, v in sorted(wanted)]
    return [rubric_to_client(r) for r in found if r is not None]


async def _reported_by(conn, carrier_id: int) -> set[str]:
    async with conn.execute(
        "SELECT id FROM properties WHERE reported_by = ? AND status = 'candidate'", (carrier_id,)
    ) as cur:
        return {row["id"] for row in await cur.fetchall()}


async def _returned(conn, carrier_id: int, since: int | None) -> list[ReturnedOut]:
    return [from_row(ReturnedOut, row) for row in await returned_rows(conn, carrier_id, since)]


async def _properties(conn, ids: list[str]) -> list[PropertyOut]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    async with conn.execute(
        f"""SELECT id, address, district, lat, lon, building_use, structure, storeys, status
            FROM properties WHERE id IN ({marks}) ORDER BY id""", ids) as cur:
        rows = await cur.fetchall()
    last = await _last_approved(conn, ids)
    return [from_row(PropertyOut, row, last_approved=last.get(row["id"], [])) for row in rows]


async def _last_approved(conn, ids: list[str]) -> dict[str, list[LastResult]]:
    """The last approved visit of each property, per rubric."""
    found: dict[str, list[LastResult]] = {}
    rows = await last_approved_rows(conn, ids)
    photos = await _guide_photos(conn, [row["inspection_id"] for row in rows])
    for row in rows:
        found.setdefault(row["property_id"], []).append(from_row(
            LastResult, row, answers=json.loads(row["answers"]), result=json.loads(row["result"]),
            notes=row["notes"] or "", photos=photos.get(row["inspection_id"], [])))
    return found


async def _guide_photos(conn, inspection_ids: list[str]) -> dict[str, list[GuidePhoto]]:
    if not inspection_ids:
        return {}
    marks = ",".join("?" * len(inspection_ids))
    found: dict[str, list[GuidePhoto]] = {}
    async with conn.execute(
        f"""SELECT inspection_id, slot, id FROM photos WHERE inspection_id IN ({marks}) AND received_at IS NOT NULL
            ORDER BY inspection_id, slot, id""", inspection_ids) as cur:
        for row in await cur.fetchall():
            found.setdefault(row["inspection_id"], []).append(from_row(GuidePhoto, row))
    return found


async def _office(conn, office_code: str | None) -> dict | None:
    if not office_code:
        return None
    async with conn.execute("SELECT code, name, address, phone, lat, lon FROM post_offices WHERE code = ?",
                            (office_code,)) as cur:
        row = await cur.fetchone()
    return dict(row) if row else None
