"""The properties table's owner (the houses), with municipalities and post offices."""

from __future__ import annotations

import uuid

import aiosqlite
import msgspec

from server.core import audit
from server.users.access import property_condition
from server.core.clock import now_iso
from server.core.codes import is_valid_municipality_code
from server.core import problems
from server.db.records import from_row, insert_all, insert_sql, rows_for_ids
from server.properties.csv_import import CsvImportError, PropertyRow, RowError
from server.users.queries import User


async def add_municipality(conn: aiosqlite.Connection, actor: audit.Actor, code: str, name: str, prefecture: str) -> None:
    if not is_valid_municipality_code(code):
        raise problems.INVALID_MUNICIPALITY_CODE(code=code)
    await conn.execute("INSERT INTO municipalities (code, name, prefecture) VALUES (?, ?, ?)", (code, name, prefecture))
    await audit.record(conn, actor, "municipality.add", "municipality", code, {"name": name})


async def add_post_office(conn: aiosqlite.Connection, actor: audit.Actor, *, code: str, name: str,
                          municipality_code: str, address: str = "", phone: str = "", hours: str = "",
                          lat: float | None = None, lon: float | None = None) -> None:
    await conn.execute(
        """INSERT INTO post_offices (code, name, municipality_code, address, phone, hours, lat, lon)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (code, name, municipality_code, address, phone, hours, lat, lon),
    )
    await audit.record(conn, actor, "post_office.add", "post_office", code, {"name": name})


async def municipality_exists(conn: aiosqlite.Connection, code: str) -> bool:
    async with conn.execute("SELECT 1 FROM municipalities WHERE code = ?", (code,)) as cur:
        return await cur.fetchone() is not None


async def existing_addresses(conn: aiosqlite.Connection, municipality_code: str) -> set[str]:
    async with conn.execute(
        "SELECT address FROM properties WHERE municipality_code = ? AND status <> 'removed'", (municipality_code,)
    ) as cur:
        return {row["address"] for row in await cur.fetchall()}


class NewProperty(msgspec.Struct, kw_only=True):
    """A house as inserted: fields in INSERT_SQL's column order."""

    id: str
    municipality_code: str
    office_code: str | None = None
    district: str = ""
    address: str
    lat: float | None
    lon: float | None
    real_estate_id: str | None = None
    building_use: str = ""
    structure: str = ""
    storeys: int | None = None
    status: str = "active"
    usual_carrier_id: int | None = None
    reported_by: int | None = None
    notes: str = ""
    created_at: str
    updated_at: str
    ledger_no: str = ""
    chiban: str = ""
    kaoku_no: str = ""
    built_on: str | None = None  # 建築年月日 from the ledger: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'
    reported_at: str | None = None  # the phone's clock when a carrier reported it


INSERT_SQL = insert_sql("properties", NewProperty)


async def insert_many(conn: aiosqlite.Connection, houses: list[NewProperty]) -> None:
    await insert_all(conn, INSERT_SQL, houses)


async def insert_property(conn: aiosqlite.Connection, *, id: str | None = None, municipality_code: str,
                          address: str, lat: float | None, lon: float | None, office_code: str | None = None,
                          district: str = "", real_estate_id: str | None = None, building_use: str = "",
                          structure: str = "", storeys: int | None = None, status: str = "active",
                          usual_carrier_id: int | None = None, reported_by: int | None = None,
                          notes: str = "", ledger_no: str = "", chiban: str = "", kaoku_no: str = "",
                          built_on: str | None = None) -> str:
    property_id = id or str(uuid.uuid4())
    at = now_iso()
    await insert_many(conn, [NewProperty(
        id=property_id, municipality_code=municipality_code, office_code=office_code, district=district,
        address=address, lat=lat, lon=lon, real_estate_id=real_estate_id, building_use=building_use,
        structure=structure, storeys=storeys, status=status, usual_carrier_id=usual_carrier_id,
        reported_by=reported_by, notes=notes, created_at=at, updated_at=at, ledger_no=ledger_no, chiban=chiban,
        kaoku_no=kaoku_no, built_on=built_on)])
    return property_id


class ReportedProperty(msgspec.Struct):
    """What the push compares a re-sent vacant-house report with."""

    id: str
    status: str
    reported_by: int | None
    address: str
    lat: float | None
    lon: float | None
    notes: str


async def reported_by_ids(conn: aiosqlite.Connection, ids: list[str]) -> dict[str, ReportedProperty]:
    rows = await rows_for_ids(
        conn, "SELECT id, status, reported_by, address, lat, lon, notes FROM properties WHERE id IN ({ids})", ids)
    return {row["id"]: from_row(ReportedProperty, row) for row in rows}


async def municipalities_of_offices(conn: aiosqlite.Connection, office_codes: list[str | None]) -> dict[str, str]:
    """post office code -> the municipality it belongs to."""
    codes = list(dict.fromkeys(c for c in office_codes if c))
    if not codes:
        return {}
    rows = await conn.execute_fetchall(
        f"SELECT code, municipality_code FROM post_offices WHERE code IN ({','.join('?' * len(codes))})", codes)
    return {row["code"]: row["municipality_code"] for row in rows}


async def settle_candidate(conn: aiosqlite.Connection, property_id: str, status: str,
                           usual_carrier_id: int | None) -> None:
    """A reported house confirmed (active; its reporter becomes its usual carrier unless one is set) or
    dismissed (removed)."""
    await conn.execute(
        """UPDATE properties SET status = ?, usual_carrier_id = coalesce(usual_carrier_id, ?), updated_at = ?
           WHERE id = ?""", (status, usual_carrier_id, now_iso(), property_id))


async def import_properties(conn: aiosqlite.Connection, actor: audit.Actor, rows: list[PropertyRow],
                            municipality_code: str, office_code: str | None = None) -> list[str]:
    """Insert parsed rows in one transaction; rows whose address is already listed are errors."""
    if not await municipality_exists(conn, municipality_code):
        raise problems.UNKNOWN_MUNICIPALITY(code=municipality_code)
    known = await existing_addresses(conn, municipality_code)
    clashes = [RowError(r.row, f"住所「{r.address}」は既に登録されています。") for r in rows if r.address in known]
    if clashes:
        raise CsvImportError(clashes)
    ids = []
    for row in rows:
        ids.append(await insert_property(
            conn, municipality_code=municipality_code, office_code=office_code, address=row.address,
            district=row.district, lat=row.lat, lon=row.lon, real_estate_id=row.real_estate_id,
            building_use=row.building_use, structure=row.structure, storeys=row.storeys, notes=row.notes,
            ledger_no=row.ledger_no, chiban=row.chiban, kaoku_no=row.kaoku_no, built_on=row.built_on))
    await audit.record(conn, actor, "properties.import", "municipality", municipality_code, {"count": len(ids)})
    return ids


async def update_identifiers(conn: aiosqlite.Connection, rows: list[tuple[str, PropertyRow]]) -> int:
    """Fill in 台帳番号・地番・家屋番号 and 建築年月日 a municipality's list gives for houses already listed
    (a blank cell keeps what is stored). Returns how many houses were given identifiers."""
    changed = 0
    for property_id, row in rows:
        if not (row.ledger_no or row.chiban or row.kaoku_no or row.built_on):
            continue
        cur = await conn.execute(
            """UPDATE properties SET ledger_no = CASE WHEN ?1 <> '' THEN ?1 ELSE ledger_no END,
                                     chiban = CASE WHEN ?2 <> '' THEN ?2 ELSE chiban END,
                                     kaoku_no = CASE WHEN ?3 <> '' THEN ?3 ELSE kaoku_no END,
                                     built_on = COALESCE(?6, built_on),
                                     updated_at = ?4
               WHERE id = ?5""",
            (row.ledger_no, row.chiban, row.kaoku_no, now_iso(), property_id, row.built_on))
        changed += cur.rowcount
    return changed


async def property_visible(conn: aiosqlite.Connection, user: User, property_id: str) -> bool:
    """Whether the user may see this house (server/users/access.py)."""
    condition, params = property_condition(user)
    async with conn.execute(f"SELECT 1 FROM properties p WHERE p.id = ? AND {condition}",
                            (property_id, *params)) as cur:
        return await cur.fetchone() is not None
