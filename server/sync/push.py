"""Exactly-once push: a batch of ops applied in one transaction, each op on its own merits.

Everything the batch needs is read up front in a few queries and every write goes out with
executemany, so a batch of 100 costs about the same number of round trips as a batch of 1.
An op is validated completely before anything of it is written, so it applies whole or not at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import aiosqlite
import msgspec

from server import audit, problems
from server.alerts.findings import urgent_findings
from server.alerts.queries import RAISE_SQL, raise_rows
from server.clock import now_iso
from server.errors import OpRejected
from server.limits import capped
from server.rubrics import InvalidAnswers, RubricRegistry, check_photos, score
from server.sync.changes import INSERT as CHANGE_INSERT
from server.sync.schemas import (
    InspectionIn, InspectionSubmit, Op, OpResult, PropertyReport, Rejected, canonical_hash,
)
from server.users.queries import User


@dataclass
class Batch:
    """What the database already holds for the ids a batch mentions, plus what the batch adds."""

    seen_ops: set[str]
    inspections: dict[str, tuple]   # id -> (body_sha256, carrier_id, status, property_id, task_id)
    tasks: dict[str, tuple]         # id -> (property_id, assignee_id, rubric_id, options, status)
    properties: dict[str, tuple]    # id -> (status, reported_by, address, lat, lon, notes)
    photo_owners: dict[str, str]    # photo id -> inspection id (or, for a report's photo, property id)
    municipalities: dict[str, str]  # post office code -> its municipality
    rows: dict[str, list] = field(default_factory=lambda: {k: [] for k in (
        "ops", "properties", "inspections", "photos", "report_photos", "tasks_done", "superseded", "changes", "audit", "alerts")})


@dataclass
class PushRequest:
    """One device's push: whose it is and its ops, in order."""

    user: User
    actor: audit.Actor
    device_id: str
    ops: list[Op | Rejected]


async def apply_pushes(conn: aiosqlite.Connection, rubrics: RubricRegistry,
                       requests: list[PushRequest]) -> list[list[OpResult]]:
    """Several devices' pushes in one transaction (group commit); results per request, in order."""
    batch = await _prefetch(conn, requests)
    results = [_apply_request(batch, rubrics, request) for request in requests]
    await _write(conn, batch)
    return results


async def apply_push(conn: aiosqlite.Connection, rubrics: RubricRegistry, user: User, actor: audit.Actor,
                     device_id: str, ops: list[Op | Rejected]) -> list[OpResult]:
    return (await apply_pushes(conn, rubrics, [PushRequest(user, actor, device_id, ops)]))[0]


def _apply_request(batch: Batch, rubrics: RubricRegistry, request: PushRequest) -> list[OpResult]:
    user, actor, device_id = request.user, request.actor, request.device_id
    results = []
    for op in request.ops:
        if isinstance(op, Rejected):
            results.append(OpResult(op.op_id, "rejected", op.error))
            continue
        if op.op_id in batch.seen_ops:
            results.append(OpResult(op.op_id, "duplicate"))
            continue
        try:
            status = _apply(op, batch, rubrics, user, actor, device_id)
        except OpRejected as exc:
            results.append(OpResult(op.op_id, exc.status, exc.error))
            continue
        batch.seen_ops.add(op.op_id)
        if status == "applied":
            batch.rows["ops"].append((op.op_id, user.id, device_id, _op_type(op), status, now_iso()))
        results.append(OpResult(op.op_id, status))
    return results


def _op_type(op: Op) -> str:
    return "inspection.submit" if isinstance(op, InspectionSubmit) else "property.report"


def _inspections_of(ops) -> list[InspectionIn]:
    found = []
    for op in ops:
        if isinstance(op, InspectionSubmit):
            found.append(op.inspection)
        elif isinstance(op, PropertyReport) and op.inspection is not None:
            found.append(op.inspection)
    return found


def _in(ids) -> tuple[str, list]:
    ids = list(dict.fromkeys(i for i in ids if i))
    return ",".join("?" * len(ids)) or "NULL", ids


async def _rows(conn, sql: str, ids) -> list[tuple]:
    marks, values = _in(ids)
    if not values:
        return []
    return list(await conn.execute_fetchall(sql.format(marks=marks), values))  # one thread hop, not three


async def _prefetch(conn: aiosqlite.Connection, requests: list[PushRequest]) -> Batch:
    valid = [op for request in requests for op in request.ops if not isinstance(op, Rejected)]
    inspections = _inspections_of(valid)
    inspection_ids = [i.id for i in inspections] + [i.supersedes for i in inspections]
    property_ids = [i.property_id for i in inspections] + [
        op.property.id for op in valid if isinstance(op, PropertyReport)]
    seen = await _rows(conn, "SELECT op_id FROM sync_ops WHERE op_id IN ({marks})", [op.op_id for op in valid])
    found_inspections = await _rows(
        conn, "SELECT id, body_sha256, carrier_id, status, property_id, task_id FROM inspections WHERE id IN ({marks})",
        inspection_ids)
    tasks = await _rows(
        conn, "SELECT id, property_id, assignee_id, rubric_id, options, status FROM tasks WHERE id IN ({marks})",
        [i.task_id for i in inspections])
    properties = await _rows(
        conn, "SELECT id, status, reported_by, address, lat, lon, notes FROM properties WHERE id IN ({marks})",
        property_ids)
    photos = await _rows(conn, "SELECT id, coalesce(inspection_id, property_id) FROM photos WHERE id IN ({marks})",
                         [p.id for i in inspections for p in i.photos]
                         + [op.photo.id for op in valid if isinstance(op, PropertyReport) and op.photo])
    offices = await _rows(conn, "SELECT code, municipality_code FROM post_offices WHERE code IN ({marks})",
                          [request.user.office_code for request in requests])
    return Batch(
        seen_ops={r[0] for r in seen},
        inspections={r[0]: tuple(r[1:]) for r in found_inspections},
        tasks={r[0]: (r[1], r[2], r[3], json.loads(r[4]), r[5]) for r in tasks},
        properties={r[0]: tuple(r[1:]) for r in properties},
        photo_owners={r[0]: r[1] for r in photos},
        municipalities=dict(offices),
    )


def _apply(op: Op, batch: Batch, rubrics: RubricRegistry, user: User, actor: audit.Actor, device_id: str) -> str:
    if isinstance(op, PropertyReport):
        return _apply_property_report(op, batch, rubrics, user, actor, device_id)
    return _apply_inspection(op.inspection, batch, rubrics, user, actor, device_id)


def _apply_property_report(op: PropertyReport, batch: Batch, rubrics, user: User, actor, device_id) -> str:
    prop = op.property
    existing = batch.properties.get(prop.id)
    if existing is not None:
        same = existing[1] == user.id and existing[2] == prop.address_text and existing[3] == prop.lat \
            and existing[4] == prop.lon and existing[5] == prop.notes
        if not same:
            raise problems.CONFLICT("property")
        if op.photo is not None and batch.photo_owners.get(op.photo.id) != prop.id:
            raise problems.CONFLICT("property_photo")
        if op.inspection is None:
            return "duplicate"
        return _apply_inspection(op.inspection, batch, rubrics, user, actor, device_id)
    municipality_code = batch.municipalities.get(user.office_code or "")
    if municipality_code is None:
        raise problems.NO_OFFICE()
    if op.inspection is not None:
        # Validate the first survey before the property exists, so the op applies whole or not at all.
        _check_inspection(op.inspection, batch, rubrics, user, reported_property=prop.id)
    if op.photo is not None:
        if op.inspection is not None:
            raise problems.PHOTO_WITH_SURVEY()
        if op.photo.id in batch.photo_owners:
            raise problems.PHOTO_ID_TAKEN(details=[op.photo.id])
    at = now_iso()
    batch.rows["properties"].append((
        prop.id, municipality_code, user.office_code, "", prop.address_text, prop.lat, prop.lon, None, "",
        "", None, "candidate", user.id, user.id, prop.notes, at, at,
        prop.reported_at.isoformat() if prop.reported_at else None))
    batch.properties[prop.id] = ("candidate", user.id, prop.address_text, prop.lat, prop.lon, prop.notes)
    if op.photo is not None:
        photo = op.photo
        batch.rows["report_photos"].append((photo.id, prop.id, photo.slot, photo.sha256, photo.device_lat,
                                            photo.device_lon))
        batch.photo_owners[photo.id] = prop.id
    batch.rows["audit"].append((actor, "property.report", "property", prop.id,
                                {"device_id": device_id, "photo": op.photo.id if op.photo else None}))
    if op.inspection is not None:
        _apply_inspection(op.inspection, batch, rubrics, user, actor, device_id)
    return "applied"


def _apply_inspection(insp: InspectionIn, batch: Batch, rubrics, user: User, actor, device_id) -> str:
    body_hash = canonical_hash(insp)
    existing = batch.inspections.get(insp.id)
    if existing is not None:
        if existing[0] == body_hash and existing[1] == user.id:
            return "duplicate"
        raise problems.CONFLICT("inspection")
    rubric, result = _check_inspection(insp, batch, rubrics, user)
    task = batch.tasks.get(insp.task_id) if insp.task_id else None
    status = "awaiting_photos" if insp.photos else "submitted"
    loc = insp.location
    batch.rows["inspections"].append((
        insp.id, insp.task_id, insp.property_id, insp.rubric_id, insp.rubric_version, rubric.kind, user.id, device_id,
        insp.started_at.isoformat(), insp.finished_at.isoformat(), loc.lat if loc else None,
        loc.lon if loc else None, loc.accuracy_m if loc else None, json.dumps(insp.answers, ensure_ascii=False),
        json.dumps(task[3] if task else []), insp.notes, insp.supersedes, body_hash,
        msgspec.json.encode(result).decode(), result.rank, result.total,
        result.judgements.get("vacancy_likelihood"), status, now_iso()))
    batch.inspections[insp.id] = (body_hash, user.id, status, insp.property_id, insp.task_id)
    for photo in insp.photos:
        batch.rows["photos"].append((photo.id, insp.id, photo.slot, photo.sha256, photo.device_lat, photo.device_lon))
        batch.photo_owners[photo.id] = insp.id
    if task is not None and task[4] == "open":
        batch.rows["tasks_done"].append((now_iso(), insp.task_id))
        batch.rows["changes"].append(("task", insp.task_id, user.id, None))
        batch.tasks[insp.task_id] = (*task[:4], "done")
    if insp.supersedes:
        batch.rows["superseded"].append((insp.supersedes,))
        batch.inspections[insp.supersedes] = (*batch.inspections[insp.supersedes][:2], "superseded",
                                              *batch.inspections[insp.supersedes][3:])
        batch.rows["changes"].append(("inspection", insp.supersedes, user.id, None))
    batch.rows["alerts"] += raise_rows(insp.id, insp.property_id, insp.supersedes, urgent_findings(rubric, insp.answers))
    batch.rows["audit"].append((actor, "inspection.submit", "inspection", insp.id,
                                {"device_id": device_id, "rubric": f"{rubric.id}@{rubric.version}",
                                 "supersedes": insp.supersedes, "photos": len(insp.photos)}))
    return "applied"


def _check_inspection(insp: InspectionIn, batch: Batch, rubrics: RubricRegistry, user: User,
                      reported_property: str | None = None):
    """The rubric and the scored result, or OpRejected saying what the carrier must fix."""
    rubric = rubrics.get(insp.rubric_id, insp.rubric_version)
    if rubric is None:
        raise problems.UNKNOWN_RUBRIC(rubric_id=insp.rubric_id, version=insp.rubric_version)
    if insp.finished_at < insp.started_at:
        raise problems.INVALID_TIMES()
    prop = batch.properties.get(insp.property_id)
    options: list[str] = []
    if insp.task_id:
        task = batch.tasks.get(insp.task_id)
        if task is None or task[1] != user.id:
            raise problems.TASK_NOT_YOURS()
        if task[0] != insp.property_id:
            raise problems.TASK_PROPERTY_MISMATCH()
        if task[2] != insp.rubric_id:
            raise problems.TASK_RUBRIC_MISMATCH()
        if task[4] == "cancelled":
            raise problems.TASK_CANCELLED()
        if task[4] == "done" and not insp.supersedes:
            raise problems.TASK_DONE()
        options = task[3]
    else:
        own_report = insp.property_id == reported_property or (prop is not None and prop[1] == user.id)
        if not own_report:
            raise problems.UNKNOWN_PROPERTY()
        if rubric.kind != "survey":
            raise problems.TASK_REQUIRED()
    if insp.supersedes:
        earlier = batch.inspections.get(insp.supersedes)
        if earlier is None or earlier[1] != user.id:
            raise problems.UNKNOWN_SUPERSEDED()
        if earlier[2] != "returned":
            raise problems.NOT_RETURNED()
        if earlier[3] != insp.property_id or earlier[4] != insp.task_id:
            raise problems.SUPERSEDED_MISMATCH()
    photo_ids = [p.id for p in insp.photos]
    if len(set(photo_ids)) != len(photo_ids):
        raise problems.DUPLICATE_PHOTO_ID()
    reused = [pid for pid in photo_ids if batch.photo_owners.get(pid) not in (None, insp.id)]
    if reused:
        raise problems.PHOTO_ID_TAKEN(details=reused)
    found = check_photos(rubric, [p.slot for p in insp.photos], insp.answers, options)
    try:
        result = score(rubric, insp.answers, options)
    except InvalidAnswers as exc:
        found = exc.errors + found
        result = None
    if found:
        raise problems.INVALID_ANSWERS(first=" ".join(p.message for p in found[:3]),
                                       details=capped([msgspec.to_builtins(p) for p in found]))
    return rubric, result


async def _write(conn: aiosqlite.Connection, batch: Batch) -> None:
    rows = batch.rows
    if rows["properties"]:
        await conn.executemany(
            """INSERT INTO properties (id, municipality_code, office_code, district, address, lat, lon,
               real_estate_id, building_use, structure, storeys, status, usual_carrier_id, reported_by, notes,
               created_at, updated_at, reported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            rows["properties"])
    if rows["inspections"]:
        await conn.executemany(
            """INSERT INTO inspections (id, task_id, property_id, rubric_id, rubric_version, kind, carrier_id,
               device_id, started_at, finished_at, lat, lon, accuracy_m, answers, options, notes, supersedes,
               body_sha256, result, rank, total, likelihood, status, received_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            rows["inspections"])
    if rows["photos"]:
        await conn.executemany(
            "INSERT INTO photos (id, inspection_id, slot, sha256, device_lat, device_lon) VALUES (?, ?, ?, ?, ?, ?)",
            rows["photos"])
    if rows["report_photos"]:
        await conn.executemany(
            "INSERT INTO photos (id, property_id, slot, sha256, device_lat, device_lon) VALUES (?, ?, ?, ?, ?, ?)",
            rows["report_photos"])
    if rows["alerts"]:
        await conn.executemany(RAISE_SQL, rows["alerts"])
    if rows["tasks_done"]:
        await conn.executemany("UPDATE tasks SET status = 'done', updated_at = ? WHERE id = ?", rows["tasks_done"])
    if rows["superseded"]:
        await conn.executemany("UPDATE inspections SET status = 'superseded' WHERE id = ?", rows["superseded"])
    if rows["changes"]:
        await conn.executemany(CHANGE_INSERT, rows["changes"])
    if rows["ops"]:
        await conn.executemany(
            "INSERT INTO sync_ops (op_id, user_id, device_id, type, status, received_at) VALUES (?, ?, ?, ?, ?, ?)",
            rows["ops"])
    if rows["audit"]:
        await conn.executemany(audit.INSERT_SQL, audit.audit_rows(rows["audit"]))
