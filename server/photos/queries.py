"""The photos table's owner: what was declared by a pushed inspection (or a vacant-house report), and
what has arrived."""

from __future__ import annotations

import json

import aiosqlite
import msgspec

from server.core import audit
from server.core.clock import now_iso
from server.db.records import from_row, insert_all, insert_sql, rows_for_ids
from server.inspections import status as inspection_status
from server.photos.ingest import PhotoFacts
from server.photos.reuse import store_keys


class DeclaredPhotoIn(msgspec.Struct, kw_only=True):
    """A photo a push declares (its bytes come later): of an inspection, or of a reported property."""

    id: str
    inspection_id: str | None = None
    property_id: str | None = None  # set only for a vacant-house report's photo
    slot: str
    sha256: str
    device_lat: float | None
    device_lon: float | None


DECLARE_SQL = insert_sql("photos", DeclaredPhotoIn)


async def declare_many(conn: aiosqlite.Connection, photos: list[DeclaredPhotoIn]) -> None:
    await insert_all(conn, DECLARE_SQL, photos)


async def owners_by_ids(conn: aiosqlite.Connection, photo_ids: list[str]) -> dict[str, str]:
    """photo id -> the id of what it belongs to: its inspection, or for a report's photo its property."""
    rows = await rows_for_ids(
        conn, "SELECT id, coalesce(inspection_id, property_id) AS owner FROM photos WHERE id IN ({ids})", photo_ids)
    return {row["id"]: row["owner"] for row in rows}


class DeclaredPhoto(msgspec.Struct):
    id: str
    inspection_id: str | None  # None: the one photo of a vacant-house report, owned by the reported property
    property_id: str  # the house it shows: its inspection's, or the reported one
    slot: str
    sha256: str
    received: bool
    carrier_id: int
    started_at: str
    finished_at: str
    property_lat: float | None
    property_lon: float | None
    device_lat: float | None
    device_lon: float | None


async def declared_photo(conn: aiosqlite.Connection, photo_id: str) -> DeclaredPhoto | None:
    # A report's photo has no visit times: its window is when the phone saved the report (else when
    # the server received it).
    sql = """SELECT ph.id, ph.inspection_id, p.id AS property_id, ph.slot, ph.sha256, ph.received_at IS NOT NULL AS received,
                    coalesce(i.carrier_id, p.reported_by) AS carrier_id,
                    coalesce(i.started_at, p.reported_at, p.created_at) AS started_at,
                    coalesce(i.finished_at, p.reported_at, p.created_at) AS finished_at,
                    p.lat AS property_lat, p.lon AS property_lon,
                    coalesce(ph.device_lat, i.lat) AS device_lat, coalesce(ph.device_lon, i.lon) AS device_lon
             FROM photos ph LEFT JOIN inspections i ON i.id = ph.inspection_id
             JOIN properties p ON p.id = coalesce(i.property_id, ph.property_id)
             WHERE ph.id = ?"""
    async with conn.execute(sql, (photo_id,)) as cur:
        row = await cur.fetchone()
    return from_row(DeclaredPhoto, row, received=bool(row["received"])) if row else None


async def record_arrival(conn: aiosqlite.Connection, actor: audit.Actor, photo: DeclaredPhoto, size: int,
                         facts: PhotoFacts, flags: list[str]) -> bool:
    """Store what ingest learned, and the hash's keys for the reuse lookup; when it was the inspection's
    last photo, the inspection is submitted. False when another upload of the same photo got there first."""
    cur = await conn.execute(
        """UPDATE photos SET received_at = ?, bytes = ?, width = ?, height = ?, taken_at = ?, offset_assumed = ?,
                  lat = ?, lon = ?, orientation = ?, camera = ?, phash = ?, flags = ?, heading = ?
           WHERE id = ? AND received_at IS NULL""",
        (now_iso(), size, facts.width, facts.height, facts.taken_at.isoformat() if facts.taken_at else None,
         int(facts.offset_assumed), facts.lat, facts.lon, facts.orientation, facts.camera, facts.phash,
         json.dumps(flags), facts.heading, photo.id),
    )
    if cur.rowcount == 0:
        return False
    await store_keys(conn, facts.phash)  # what the reuse lookup of later photos reads
    await inspection_status.photo_arrived(conn, photo.inspection_id)
    await audit.record(conn, actor, "photo.upload", "photo", photo.id,
                       {"inspection_id": photo.inspection_id, "slot": photo.slot, "bytes": size, "flags": flags})
    return True


async def guide_photo_visible(conn: aiosqlite.Connection, user, photo_id: str) -> bool:
    """A framing guide: a received photo of an approved visit to a house the user may see
    (for a carrier: a house of one of their tasks)."""
    from server.users.access import property_condition

    condition, params = property_condition(user)
    async with conn.execute(
        f"""SELECT 1 FROM photos ph JOIN inspections i ON i.id = ph.inspection_id JOIN properties p ON p.id = i.property_id
            WHERE ph.id = ? AND ph.received_at IS NOT NULL AND i.status = 'approved' AND {condition}""",
        (photo_id, *params)) as cur:
        return await cur.fetchone() is not None
