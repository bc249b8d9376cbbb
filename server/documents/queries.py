"""The rows documents are built from besides the approved visits (server/inspections/approved.py):
the house, its photos, the post office, contracts and disaster events."""

from __future__ import annotations

import json

import aiosqlite
import msgspec

from server.core import audit
from server.core.clock import now_iso
from server.db.records import from_row


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
    built_on: str | None = None  # 建築年月日 from the ledger: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'


class OfficeRow(msgspec.Struct):
    code: str
    name: str
    address: str
    phone: str
    hours: str


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
                   p.chiban, p.kaoku_no, p.built_on
            FROM properties p JOIN municipalities m ON m.code = p.municipality_code WHERE p.id IN ({marks})""",
        property_ids) as cur:
        return {r["id"]: from_row(HouseRow, r) for r in await cur.fetchall()}


async def office(conn: aiosqlite.Connection, code: str | None) -> OfficeRow | None:
    async with conn.execute("SELECT code, name, address, phone, hours FROM post_offices WHERE code = ?", (code,)) as cur:
        row = await cur.fetchone()
    return from_row(OfficeRow, row) if row else None


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


async def record_generated_report(conn: aiosqlite.Connection, kind: str, subject: str, period: str, path: str,
                                  sha256: str) -> None:
    """A PDF the batch wrote (one per kind, subject and period; a rerun replaces it), audited."""
    await conn.execute(
        """INSERT INTO generated_reports (kind, subject_id, period, sha256, path, created_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (kind, subject_id, period) DO UPDATE
           SET sha256 = excluded.sha256, path = excluded.path, created_at = excluded.created_at""",
        (kind, subject, period, sha256, path, now_iso()))
    await audit.record(conn, audit.SYSTEM, "report.generate", kind, subject, {"period": period, "path": path})
