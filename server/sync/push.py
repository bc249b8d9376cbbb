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

from server.core import audit, problems
from server.alerts.findings import urgent_findings
from server.alerts.queries import RAISE_SQL, raise_rows
from server.core.changes import Change, log_changes
from server.core.clock import now_iso
from server.core.errors import OpRejected
from server.inspections import queries as inspections
from server.inspections import status as life
from server.core.limits import capped
from server.photos import queries as photos
from server.properties import queries as properties
from server.rubrics import InvalidAnswers, RubricRegistry, check_photos, score, visible_items
from server.tasks import queries as tasks
from server.tasks.requested_spot import requested_spot_errors
from server.sync.schemas import (
    InspectionIn, InspectionSubmit, Op, OpResult, PropertyReport, Rejected, canonical_hash,
)
from server.users.queries import User


@dataclass
class Writes:
    """Everything a batch writes, each kind sent with one executemany by the table's owner module."""

    ops: list[tuple] = field(default_factory=list)  # sync_ops rows
    properties: list[properties.NewProperty] = field(default_factory=list)
    inspections: list[inspections.NewInspection] = field(default_factory=list)
    photos: list[photos.DeclaredPhotoIn] = field(default_factory=list)
    tasks_done: list[tuple[str, str]] = field(default_factory=list)  # (task id, at)
    superseded: list[str] = field(default_factory=list)  # inspection ids
    changes: list[Change] = field(default_factory=list)
    audit: list[tuple] = field(default_factory=list)
    alerts: list[tuple] = field(default_factory=list)


@dataclass
class Batch:
    """What the database already holds for the ids a batch mentions, plus what the batch adds."""

    seen_ops: set[str]
    inspections: dict[str, inspections.InspectionHead]
    tasks: dict[str, tasks.Task]
    properties: dict[str, properties.ReportedProperty]
    photo_owners: dict[str, str]    # photo id -> inspection id (or, for a report's photo, property id)
    municipalities: dict[str, str]  # post office code -> its municipality
    rows: Writes = field(default_factory=Writes)


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
        alerts_before = len(batch.rows.alerts)
        try:
            status = _apply(op, batch, rubrics, user, actor, device_id)
        except OpRejected as exc:
            results.append(OpResult(op.op_id, exc.status, exc.error))
            continue
        batch.seen_ops.add(op.op_id)
        if status == "applied":
            batch.rows.ops.append((op.op_id, user.id, device_id, op_type(op), status, now_iso()))
        results.append(OpResult(op.op_id, status, urgent=len(batch.rows.alerts) - alerts_before))
    return results


def op_type(op: Op) -> str:
    return "inspection.submit" if isinstance(op, InspectionSubmit) else "property.report"


def _inspections_of(ops) -> list[InspectionIn]:
    found = []
    for op in ops:
        if isinstance(op, InspectionSubmit):
            found.append(op.inspection)
        elif isinstance(op, PropertyReport) and op.inspection is not None:
            found.append(op.inspection)
    return found


async def _seen_ops(conn: aiosqlite.Connection, op_ids: list[str]) -> set[str]:
    ids = list(dict.fromkeys(op_ids))
    if not ids:
        return set()
    rows = await conn.execute_fetchall(
        f"SELECT op_id FROM sync_ops WHERE op_id IN ({','.join('?' * len(ids))})", ids)  # one thread hop, not three
    return {row["op_id"] for row in rows}


async def _prefetch(conn: aiosqlite.Connection, requests: list[PushRequest]) -> Batch:
    valid = [op for request in requests for op in request.ops if not isinstance(op, Rejected)]
    pushed = _inspections_of(valid)
    inspection_ids = [i.id for i in pushed] + [i.supersedes for i in pushed]
    property_ids = [i.property_id for i in pushed] + [
        op.property.id for op in valid if isinstance(op, PropertyReport)]
    return Batch(
        seen_ops=await _seen_ops(conn, [op.op_id for op in valid]),
        inspections=await inspections.heads_by_ids(conn, inspection_ids),
        tasks=await tasks.tasks_by_ids(conn, list(dict.fromkeys(i.task_id for i in pushed if i.task_id))),
        properties=await properties.reported_by_ids(conn, property_ids),
        photo_owners=await photos.owners_by_ids(
            conn, [p.id for i in pushed for p in i.photos]
            + [op.photo.id for op in valid if isinstance(op, PropertyReport) and op.photo]),
        municipalities=await properties.municipalities_of_offices(
            conn, [request.user.office_code for request in requests]),
    )


def _apply(op: Op, batch: Batch, rubrics: RubricRegistry, user: User, actor: audit.Actor, device_id: str) -> str:
    if isinstance(op, PropertyReport):
        return _apply_property_report(op, batch, rubrics, user, actor, device_id)
    return _apply_inspection(op.inspection, batch, rubrics, user, actor, device_id)


def _apply_property_report(op: PropertyReport, batch: Batch, rubrics, user: User, actor, device_id) -> str:
    prop = op.property
    existing = batch.properties.get(prop.id)
    if existing is not None:
        same = existing.reported_by == user.id and existing.address == prop.address_text \
            and existing.lat == prop.lat and existing.lon == prop.lon and existing.notes == prop.notes
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
    batch.rows.properties.append(properties.NewProperty(
        id=prop.id, municipality_code=municipality_code, office_code=user.office_code, address=prop.address_text,
        lat=prop.lat, lon=prop.lon, status="candidate", usual_carrier_id=user.id, reported_by=user.id,
        notes=prop.notes, created_at=at, updated_at=at,
        reported_at=prop.reported_at.isoformat() if prop.reported_at else None))
    batch.properties[prop.id] = properties.ReportedProperty(prop.id, "candidate", user.id, prop.address_text, prop.lat,
                                                            prop.lon, prop.notes)
    if op.photo is not None:
        photo = op.photo
        batch.rows.photos.append(photos.DeclaredPhotoIn(
            id=photo.id, property_id=prop.id, slot=photo.slot, sha256=photo.sha256, device_lat=photo.device_lat,
            device_lon=photo.device_lon))
        batch.photo_owners[photo.id] = prop.id
    batch.rows.audit.append((actor, "property.report", "property", prop.id,
                                {"device_id": device_id, "photo": op.photo.id if op.photo else None}))
    if op.inspection is not None:
        _apply_inspection(op.inspection, batch, rubrics, user, actor, device_id)
    return "applied"


def _apply_inspection(insp: InspectionIn, batch: Batch, rubrics, user: User, actor, device_id) -> str:
    body_hash = canonical_hash(insp)
    existing = batch.inspections.get(insp.id)
    if existing is not None:
        if existing.body_sha256 == body_hash and existing.carrier_id == user.id:
            return "duplicate"
        raise problems.CONFLICT("inspection")
    rubric, result = _check_inspection(insp, batch, rubrics, user)
    task = batch.tasks.get(insp.task_id) if insp.task_id else None
    status = life.on_push(bool(insp.photos))
    loc = insp.location
    batch.rows.inspections.append(inspections.NewInspection(
        id=insp.id, task_id=insp.task_id, property_id=insp.property_id, rubric_id=insp.rubric_id,
        rubric_version=insp.rubric_version, kind=rubric.kind, carrier_id=user.id, device_id=device_id,
        started_at=insp.started_at.isoformat(), finished_at=insp.finished_at.isoformat(),
        lat=loc.lat if loc else None, lon=loc.lon if loc else None, accuracy_m=loc.accuracy_m if loc else None,
        answers=msgspec.json.encode(insp.answers).decode(), options=json.dumps(task.options if task else []),
        notes=insp.notes, supersedes=insp.supersedes, body_sha256=body_hash,
        result=msgspec.json.encode(result).decode(), rank=result.rank, total=result.total,
        likelihood=result.judgements.get("vacancy_likelihood"), status=status, received_at=now_iso()))
    batch.inspections[insp.id] = inspections.InspectionHead(insp.id, body_hash, user.id, status, insp.property_id,
                                                            insp.task_id)
    for photo in insp.photos:
        batch.rows.photos.append(photos.DeclaredPhotoIn(
            id=photo.id, inspection_id=insp.id, slot=photo.slot, sha256=photo.sha256, device_lat=photo.device_lat,
            device_lon=photo.device_lon))
        batch.photo_owners[photo.id] = insp.id
    if task is not None and task.status == "open":
        batch.rows.tasks_done.append((insp.task_id, now_iso()))
        batch.rows.changes.append(Change("task", insp.task_id, user.id))
        batch.tasks[insp.task_id] = msgspec.structs.replace(task, status="done")
    if insp.supersedes:
        earlier = batch.inspections[insp.supersedes]
        batch.rows.superseded.append(insp.supersedes)
        batch.inspections[insp.supersedes] = msgspec.structs.replace(
            earlier, status=life.require(earlier.status, "superseded"))
        batch.rows.changes.append(Change("inspection", insp.supersedes, user.id))
    batch.rows.alerts += raise_rows(insp.id, insp.property_id, insp.supersedes, urgent_findings(rubric, insp.answers))
    batch.rows.audit.append((actor, "inspection.submit", "inspection", insp.id,
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
    task = None
    if insp.task_id:
        task = batch.tasks.get(insp.task_id)
        if task is None or task.assignee_id != user.id:
            raise problems.TASK_NOT_YOURS()
        if task.property_id != insp.property_id:
            raise problems.TASK_PROPERTY_MISMATCH()
        if task.rubric_id != insp.rubric_id:
            raise problems.TASK_RUBRIC_MISMATCH()
        if task.status == "cancelled":
            raise problems.TASK_CANCELLED()
        if task.status == "done" and not insp.supersedes:
            raise problems.TASK_DONE()
        options = task.options
    else:
        own_report = insp.property_id == reported_property or (prop is not None and prop.reported_by == user.id)
        if not own_report:
            raise problems.UNKNOWN_PROPERTY()
        if rubric.kind != "survey":
            raise problems.TASK_REQUIRED()
    if insp.supersedes:
        earlier = batch.inspections.get(insp.supersedes)
        if earlier is None or earlier.carrier_id != user.id:
            raise problems.UNKNOWN_SUPERSEDED()
        if not life.allowed(earlier.status, "superseded"):
            raise problems.NOT_RETURNED()
        if earlier.property_id != insp.property_id or earlier.task_id != insp.task_id:
            raise problems.SUPERSEDED_MISMATCH()
    photo_ids = [p.id for p in insp.photos]
    if len(set(photo_ids)) != len(photo_ids):
        raise problems.DUPLICATE_PHOTO_ID()
    reused = [pid for pid in photo_ids if batch.photo_owners.get(pid) not in (None, insp.id)]
    if reused:
        raise problems.PHOTO_ID_TAKEN(details=reused)
    shown = visible_items(rubric, insp.answers, options)  # once for both checks: the form's longest loop
    found = check_photos(rubric, [p.slot for p in insp.photos], insp.answers, options, shown)
    if task is not None:
        found += requested_spot_errors(rubric, task.requested_spot, insp.answers, [p.slot for p in insp.photos])
    try:
        result = score(rubric, insp.answers, options, shown)
    except InvalidAnswers as exc:
        found = exc.errors + found
        result = None
    if found:
        raise problems.INVALID_ANSWERS(first=" ".join(p.message for p in found[:3]),
                                       details=capped([msgspec.to_builtins(p) for p in found]))
    return rubric, result


async def _write(conn: aiosqlite.Connection, batch: Batch) -> None:
    """Each kind of row with one executemany, through the owner module of its table."""
    rows = batch.rows
    await properties.insert_many(conn, rows.properties)
    await inspections.insert_many(conn, rows.inspections)
    await photos.declare_many(conn, rows.photos)
    if rows.alerts:
        await conn.executemany(RAISE_SQL, rows.alerts)
    await tasks.mark_done_many(conn, rows.tasks_done)
    await life.supersede_many(conn, rows.superseded)
    await log_changes(conn, rows.changes)
    if rows.ops:
        await conn.executemany(
            "INSERT INTO sync_ops (op_id, user_id, device_id, type, status, received_at) VALUES (?, ?, ?, ?, ?, ?)",
            rows.ops)
    if rows.audit:
        await conn.executemany(audit.INSERT_SQL, audit.audit_rows(rows.audit))
