"""The rows documents are built from: approved inspections with their house, people and photos."""

from __future__ import annotations

import json
from typing import Any

import aiosqlite
import msgspec

from server.access import covering_owner, owner_visit_condition
from server.db.records import from_row
from server.inspections.queries import last_approved_sql


class InspectionRow(msgspec.Struct):
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


class PhotoRow(msgspec.Struct):
    id: str
    slot: str
    taken_at: str | None
    heading: float | None = None
    sha256: str = ""
    lat: float | None = None  # from the photo's EXIF GPS
    lon: float | None = None
    device_lat: float | None = None  # the phone's position at capture (iOS strips GPS from photos)
    device_lon: float | None = None


class HouseRow(msgspec.Struct):
    id: str
    address: str
    district: str
    lat: float | None
    lon: float | None
    real_estate_id: str | None
    building_use: str
    structure: str
    storeys: int | None
    municipality_code: str
    municipality_name: str
    prefecture: str
    office_code: str | None
    ledger_no: str = ""  # 台帳番号
    chiban: str = ""  # 地番
    kaoku_no: str = ""  # 家屋番号


class OfficeRow(msgspec.Struct):
    code: str
    name: str
    address: str
    phone: str
    hours: str


_INSPECTION = """SELECT i.id, i.property_id, i.task_id, i.rubric_id, i.rubric_version, i.started_at, i.finished_at,
                        i.answers, i.result, i.notes, i.reviewed_at, u.name AS carrier_name
                 FROM inspections i JOIN users u ON u.id = i.carrier_id"""


def _inspection(row) -> InspectionRow:
    return from_row(InspectionRow, row, answers=json.loads(row["answers"]), result=json.loads(row["result"]))


async def approved_inspections(conn: aiosqlite.Connection, property_id: str, kind: str,
                               owner_id: int | None = None) -> list[InspectionRow]:
    """Approved inspections of a house and kind, oldest first; with an owner, only those within their
    subscription periods."""
    covered, params = owner_visit_condition(owner_id) if owner_id is not None else ("1 = 1", ())
    async with conn.execute(
        f"""{_INSPECTION} WHERE i.property_id = ? AND i.kind = ? AND i.status = 'approved' AND {covered}
            ORDER BY i.finished_at""", (property_id, kind, *params)) as cur:
        return [_inspection(r) for r in await cur.fetchall()]


async def last_approved_before(conn: aiosqlite.Connection, property_id: str, kind: str, before: str,
                               owner_id: int | None = None) -> InspectionRow | None:
    """The last approved visit of a house and kind finished before `before`; with an owner, only among
    visits within their subscription periods."""
    covered = owner_visit_condition(owner_id) if owner_id is not None else None
    last, params = last_approved_sql([property_id], per="kind", kind=kind, before=before, covered=covered)
    async with conn.execute(f"{_INSPECTION} WHERE i.id IN ({last})", params) as cur:
        row = await cur.fetchone()
    return _inspection(row) if row else None


async def approved_inspection(conn: aiosqlite.Connection, inspection_id: str, kind: str) -> InspectionRow | None:
    async with conn.execute(f"{_INSPECTION} WHERE i.id = ? AND i.kind = ? AND i.status = 'approved'",
                            (inspection_id, kind)) as cur:
        row = await cur.fetchone()
    return _inspection(row) if row else None


async def contract_inspections(conn: aiosqlite.Connection, contract_id: int, rubric_id: str,
                               until: str | None = None) -> list[InspectionRow]:
    """The latest approved survey of each house in the contract (finished on or before `until`, a date,
    when given: an earlier contract's results as they stood when it ended)."""
    sql = f"""{_INSPECTION}
              WHERE i.id IN (
                  SELECT id FROM (
                      SELECT i2.id, row_number() OVER (PARTITION BY i2.property_id ORDER BY i2.finished_at DESC) AS n
                      FROM inspections i2 JOIN contract_properties cp ON cp.property_id = i2.property_id
                      WHERE cp.contract_id = ? AND i2.rubric_id = ? AND i2.status = 'approved'
                        AND (CAST(? AS TEXT) IS NULL OR substr(i2.finished_at, 1, 10) <= ?)
                  ) AS latest WHERE n = 1)
              ORDER BY i.property_id"""
    async with conn.execute(sql, (contract_id, rubric_id, until, until)) as cur:
        return [_inspection(r) for r in await cur.fetchall()]


async def photos_of(conn: aiosqlite.Connection, inspection_ids: list[str]) -> dict[str, list[PhotoRow]]:
    if not inspection_ids:
        return {}
    marks = ",".join("?" * len(inspection_ids))
    found: dict[str, list[PhotoRow]] = {}
    async with conn.execute(
        f"""SELECT inspection_id, id, slot, taken_at, heading, sha256, lat, lon, device_lat, device_lon FROM photos
            WHERE inspection_id IN ({marks}) AND received_at IS NOT NULL ORDER BY inspection_id, slot, id""",
        inspection_ids) as cur:
        for row in await cur.fetchall():
            found.setdefault(row["inspection_id"], []).append(from_row(PhotoRow, row))
    return found


async def houses(conn: aiosqlite.Connection, property_ids: list[str]) -> dict[str, HouseRow]:
    if not property_ids:
        return {}
    marks = ",".join("?" * len(property_ids))
    async with conn.execute(
        f"""SELECT p.id, p.address, p.district, p.lat, p.lon, p.real_estate_id, p.building_use, p.structure, p.storeys,
                   p.municipality_code, m.name AS municipality_name, m.prefecture, p.office_code, p.ledger_no,
                   p.chiban, p.kaoku_no
            FROM properties p JOIN municipalities m ON m.code = p.municipality_code WHERE p.id IN ({marks})""",
        property_ids) as cur:
        return {r["id"]: from_row(HouseRow, r) for r in await cur.fetchall()}


async def office(conn: aiosqlite.Connection, code: str | None) -> OfficeRow | None:
    async with conn.execute("SELECT code, name, address, phone, hours FROM post_offices WHERE code = ?", (code,)) as cur:
        row = await cur.fetchone()
    return from_row(OfficeRow, row) if row else None


class OwnerRow(msgspec.Struct):
    id: int
    name: str
    address: str


async def owner_of_visit(conn: aiosqlite.Connection, inspection_id: str) -> OwnerRow | None:
    """The owner whose subscription covered the visit: the one its report is addressed to."""
    async with conn.execute(
        f"""SELECT o.id, o.name, o.address FROM inspections i JOIN owners o ON o.id = {covering_owner("i")}
            WHERE i.id = ?""", (inspection_id,)) as cur:
        row = await cur.fetchone()
    return from_row(OwnerRow, row) if row else None


async def disaster_event_of(conn: aiosqlite.Connection, task_id: str | None) -> dict | None:
    async with conn.execute(
        """SELECT e.kind, e.title, e.intensity, e.occurred_at FROM tasks t JOIN disaster_events e
           ON e.id = t.disaster_event_id WHERE t.id = ?""", (task_id,)) as cur:
        row = await cur.fetchone()
    return dict(row) if row else None


async def contract(conn: aiosqlite.Connection, contract_id: int) -> dict | None:
    async with conn.execute(
        """SELECT c.id, c.title, c.municipality_code, m.prefecture || m.name AS municipality, c.office_code,
                  c.period_start, c.period_end, c.rubric_id, c.rubric_version,
                  (SELECT count(*) FROM contract_properties WHERE contract_id = c.id) AS property_count, c.contract_no,
                  c.houses_in_area
           FROM survey_contracts c JOIN municipalities m ON m.code = c.municipality_code WHERE c.id = ?""",
        (contract_id,)) as cur:
        row = await cur.fetchone()
    return dict(row) if row else None


async def next_watch_period(conn: aiosqlite.Connection, property_id: str, after: str) -> str | None:
    async with conn.execute(
        """SELECT min(period) AS period FROM tasks
           WHERE property_id = ? AND kind = 'watch' AND status = 'open' AND period > ?""",
        (property_id, after)) as cur:
        row = await cur.fetchone()
    return row["period"] if row else None


async def contract_refs(conn: aiosqlite.Connection, contract_id: int) -> dict[str, int]:
    """property id -> 整理番号, as given once when the house joined the contract."""
    async with conn.execute("SELECT property_id, ref FROM contract_properties WHERE contract_id = ?",
                            (contract_id,)) as cur:
        return {r["property_id"]: r["ref"] for r in await cur.fetchall()}


async def earlier_contract(conn: aiosqlite.Connection, municipality_code: str, before: str) -> dict | None:
    """The municipality's latest survey contract that ended before `before` (a date)."""
    async with conn.execute(
        """SELECT id, title, period_end, rubric_id FROM survey_contracts
           WHERE municipality_code = ? AND period_end < ? ORDER BY period_end DESC, id DESC LIMIT 1""",
        (municipality_code, before)) as cur:
        row = await cur.fetchone()
    return dict(row) if row else None


async def removed_addresses(conn: aiosqlite.Connection, contract_id: int) -> list[str]:
    """Houses of the contract since recorded as removed (除却)."""
    async with conn.execute(
        """SELECT p.address FROM contract_properties cp JOIN properties p ON p.id = cp.property_id
           WHERE cp.contract_id = ? AND p.status = 'removed' ORDER BY cp.ref""", (contract_id,)) as cur:
        return [r["address"] for r in await cur.fetchall()]


async def requested_spot_of(conn: aiosqlite.Connection, task_id: str | None) -> str:
    """The spot the owner asked about for this visit: the subscription's, else the task memo's."""
    async with conn.execute(
        """SELECT coalesce(s.requested_spot, '') AS spot, t.note FROM tasks t
           LEFT JOIN watch_subscriptions s ON s.id = t.subscription_id WHERE t.id = ?""", (task_id,)) as cur:
        row = await cur.fetchone()
    if row is None:
        return ""
    spot, note = row["spot"], row["note"]
    return spot or (note.removeprefix("ご依頼箇所：") if note.startswith("ご依頼箇所：") else "")
