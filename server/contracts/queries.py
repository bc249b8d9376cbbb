"""Survey contracts: made from a municipality's CSV of addresses, all or nothing; progress and results."""

from __future__ import annotations

import json

import aiosqlite
import msgspec

from server.core import audit
from server.users.access import acting_office, contract_condition, visible_statuses
from server.core.clock import now_iso
from server.core import problems
from server.db.records import from_row
from server.inspections.queries import contract_surveys_sql
from server.properties.csv_import import PropertyRow
from server.properties.queries import import_properties, update_identifiers
from server.tasks.queries import add_task
from server.users.queries import User

SURVEY_RUBRIC = "municipal_survey"


class ContractRow(msgspec.Struct):
    id: int
    title: str
    municipality_code: str
    municipality_name: str
    office_code: str
    period_start: str
    period_end: str
    rubric_id: str
    rubric_version: int
    total: int
    approved: int  # 承認済み: houses with a survey the office approved (what the municipality's documents hold)
    awaiting: int  # 調査済み・確認待ち: surveyed, the office has not approved it yet (no approved one either)
    flagged: int  # houses whose latest approved survey has findings

    @property
    def surveyed(self) -> int:
        return self.approved + self.awaiting

    @property
    def remaining(self) -> int:
        return self.total - self.surveyed


class ResultRow(msgspec.Struct):
    property_id: str
    address: str
    district: str
    lat: float | None
    lon: float | None
    inspection_id: str | None
    finished_at: str | None
    likelihood: str | None
    rank: str | None
    rank_label: str | None
    total: float | None
    flags: list[dict]
    rubric_version: int | None = None  # the form the latest survey used
    older_form: bool = False  # a form before the contract's: its total is that form's 合計点, never 不良度


# Houses of the contract with a survey of `status` in the contract's period. Every role is given the
# same counts (承認済み and 調査済み・確認待ち), so the town and the office never see two different figures.
def _houses_with(status: str) -> str:
    return f"SELECT DISTINCT s.property_id FROM ({contract_surveys_sql((status,))}) AS s"


async def contracts_for(conn: aiosqlite.Connection, user: User, contract_id: int | None = None) -> list[ContractRow]:
    condition, params = contract_condition(user)
    approved, submitted = _houses_with("approved"), _houses_with("submitted")
    latest = contract_surveys_sql(("approved",))
    sql = f"""SELECT c.id, c.title, c.municipality_code, m.name AS municipality_name, c.office_code, c.period_start,
                     c.period_end, c.rubric_id, c.rubric_version,
                     (SELECT count(*) FROM contract_properties WHERE contract_id = c.id) AS total,
                     (SELECT count(*) FROM ({approved}) AS a) AS approved,
                     (SELECT count(*) FROM ({submitted}) AS s WHERE s.property_id NOT IN ({approved})) AS awaiting,
                     (SELECT count(*) FROM ({latest}) AS latest WHERE n = 1 AND json_array_length(result, '$.flags') > 0)
                       AS flagged
              FROM survey_contracts c JOIN municipalities m ON m.code = c.municipality_code
              WHERE {condition} AND (CAST(? AS BIGINT) IS NULL OR c.id = ?) ORDER BY c.period_start DESC, c.id DESC"""
    async with conn.execute(sql, (*params, contract_id, contract_id)) as cur:
        return [from_row(ContractRow, r) for r in await cur.fetchall()]


async def contract_results(conn: aiosqlite.Connection, user: User, contract: ContractRow) -> list[ResultRow]:
    """Every house of the contract with its latest survey (approved only, for a municipality)."""
    # numbered parameters (?1 id, ?2 rubric, ?3 period start): both engines read them, not :names on PostgreSQL
    latest = contract_surveys_sql(tuple(visible_statuses(user)), contract="?1", rubric="?2", period_start="?3")
    sql = f"""SELECT p.id AS property_id, p.address, p.district, p.lat, p.lon, l.id AS inspection_id, l.finished_at,
                     l.likelihood,
                     l.rank, l.total, l.result, l.rubric_version
              FROM contract_properties cp JOIN properties p ON p.id = cp.property_id
              LEFT JOIN ({latest}) l ON l.property_id = p.id AND l.n = 1
              WHERE cp.contract_id = ?1 ORDER BY p.district, p.address"""
    async with conn.execute(sql, (contract.id, contract.rubric_id, contract.period_start)) as cur:
        rows = await cur.fetchall()
    out = []
    for r in rows:
        result = json.loads(r["result"]) if r["result"] else {}
        older = r["rubric_version"] is not None and r["rubric_version"] != contract.rubric_version
        out.append(from_row(ResultRow, r, rank_label=result.get("rank_label"), flags=result.get("flags", []),
                            older_form=older))
    return out


class NewContract(msgspec.Struct):
    title: str
    period_start: str
    period_end: str
    office_code: str = ""  # an admin chooses; a clerk's is always their own office
    municipality_code: str = ""  # an admin chooses (blank: the office's); a clerk's is their office's
    contract_no: str = ""  # the municipality's 契約番号, printed on every deliverable
    houses_in_area: str = ""  # 調査区域の住宅数 (form text; blank = not given), for the report's 空き家率


def houses_in_area(new: NewContract) -> int | None:
    text = new.houses_in_area.strip().replace(",", "")
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise problems.INVALID_HOUSES_IN_AREA(value=new.houses_in_area)
    return int(text)


async def contract_parties(conn: aiosqlite.Connection, user: User, new: NewContract) -> tuple[str, str]:
    """(post office, municipality) of a new contract: the clerk's own, or the admin's choice."""
    own = acting_office(user)
    if own is not None:
        async with conn.execute("SELECT code, municipality_code FROM post_offices WHERE code = ?", (own,)) as cur:
            row = await cur.fetchone()
        return row["code"], row["municipality_code"]
    async with conn.execute("SELECT municipality_code FROM post_offices WHERE code = ?", (new.office_code,)) as cur:
        office = await cur.fetchone()
    if office is None:
        raise problems.OFFICE_REQUIRED("contract")
    municipality = new.municipality_code or office["municipality_code"]
    async with conn.execute("SELECT 1 FROM municipalities WHERE code = ?", (municipality,)) as cur:
        if await cur.fetchone() is None:
            raise problems.UNKNOWN_MUNICIPALITY(code=municipality)
    return new.office_code, municipality


async def contract_choices(conn: aiosqlite.Connection) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """([(office code, name)], [(municipality code, name)]) an admin chooses from."""
    async with conn.execute("SELECT code, name FROM post_offices ORDER BY code") as cur:
        offices = [tuple(r) for r in await cur.fetchall()]
    async with conn.execute("SELECT code, prefecture || name FROM municipalities ORDER BY code") as cur:
        municipalities = [tuple(r) for r in await cur.fetchall()]
    return offices, municipalities


async def create_contract(conn: aiosqlite.Connection, actor: audit.Actor, user: User, new: NewContract,
                          rows: list[PropertyRow], rubric_version: int) -> int:
    """The contract, its houses (new addresses imported, listed ones linked) and an unassigned survey
    task per house, in one transaction: a bad row leaves nothing behind (CsvImportError).
    A clerk contracts for their own office; an admin for the office and municipality in `new`."""
    office_code, municipality = await contract_parties(conn, user, new)
    if not new.title.strip():
        raise problems.TITLE_REQUIRED()
    if not new.period_start or not new.period_end or new.period_start > new.period_end:
        raise problems.INVALID_PERIOD()
    async with conn.execute(
        """SELECT address, id FROM properties WHERE municipality_code = ? AND status <> 'removed'
           AND (office_code = ? OR office_code IS NULL)""", (municipality, office_code)) as cur:
        listed = {r["address"]: r["id"] for r in await cur.fetchall()}
    area_houses = houses_in_area(new)
    fresh = [r for r in rows if r.address not in listed]
    await update_identifiers(conn, [(listed[r.address], r) for r in rows if r.address in listed])
    imported = await import_properties(conn, actor, fresh, municipality, office_code) if fresh else []
    by_address = {**listed, **{r.address: pid for r, pid in zip(fresh, imported)}}
    ids = [by_address[r.address] for r in rows]  # the municipality's list order gives the 整理番号
    cur = await conn.execute(
        """INSERT INTO survey_contracts (municipality_code, office_code, title, period_start, period_end, rubric_id,
                                         rubric_version, created_at, contract_no, houses_in_area)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (municipality, office_code, new.title.strip(), new.period_start, new.period_end, SURVEY_RUBRIC,
         rubric_version, now_iso(), new.contract_no.strip(), area_houses))
    contract_id = cur.lastrowid
    await add_to_contract(conn, contract_id, ids)
    for pid in ids:
        await add_task(conn, actor, property_id=pid, kind="survey", rubric_id=SURVEY_RUBRIC,
                       rubric_version=rubric_version, due_date=new.period_end, assignee_id=None,
                       contract_id=contract_id)
    await audit.record(conn, actor, "contract.create", "contract", contract_id,
                       {"properties": len(ids), "imported": len(fresh)})
    return contract_id


async def add_to_contract(conn: aiosqlite.Connection, contract_id: int, property_ids: list[str]) -> None:
    """Link houses to a contract in this order: the database gives each the next 整理番号
    (trigger contract_properties_next_ref), and a number once given never changes."""
    await conn.executemany("INSERT INTO contract_properties (contract_id, property_id) VALUES (?, ?)",
                           [(contract_id, pid) for pid in property_ids])


async def contract_visible(conn: aiosqlite.Connection, user: User, contract_id: int) -> bool:
    """Whether the user may see this survey contract (server/users/access.py)."""
    condition, params = contract_condition(user)
    async with conn.execute(f"SELECT 1 FROM survey_contracts c WHERE c.id = ? AND {condition}",
                            (contract_id, *params)) as cur:
        return await cur.fetchone() is not None
