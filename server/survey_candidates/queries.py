"""The survey candidates' tables (migration 0015): their records, reads and writes.

A survey candidate is a house a town's list names for the survey (候補の抽出); several lists naming one
house make one candidate with several reasons. Owners from the 課税台帳 are personal data, kept in
candidate_owners and read only under server/users/access.py candidate_owner_condition, each read audited.
"""

from __future__ import annotations

import json

import aiosqlite
import msgspec

from reports.dates import western_date
from server.core import audit, problems
from server.core.clock import now_iso
from server.core.problems import not_found
from server.db.records import from_row
from server.owner_data.queries import deleted_on as owner_data_deleted_on
from server.survey_candidates.csv_file import CandidateRow
from server.survey_candidates.matching import KnownHouse, Match
from server.users.access import candidate_owner_condition, contract_condition
from server.users.queries import User

CLERK_OUTCOMES = {"occupied": "居住中", "cleared": "更地・建替中", "not_located": "所在不明", "excluded": "対象外"}


class ContractRef(msgspec.Struct, frozen=True):
    id: int
    title: str
    municipality_code: str
    office_code: str
    prefecture: str
    municipality: str
    rubric_id: str


class SurveyCandidate(msgspec.Struct):
    id: int
    address: str
    property_id: str | None
    property_address: str | None
    match_state: str  # linked | ambiguous | new | not_found
    possible_houses: list[str]
    chiban: str
    kaoku_no: str
    building_use: str
    structure: str
    built_year: int | None
    floor_area: float | None
    outcome: str | None  # set by the clerk: occupied | cleared | not_located | excluded
    outcome_reason: str
    has_owner: bool
    owner_flagged: bool  # the owner's postal code did not check out (the why is personal data: see owners)
    reasons: list[str] = []


class CandidateOwner(msgspec.Struct):
    candidate_id: int
    candidate_address: str
    name: str
    address: str
    postal_code: str
    postal_flag: str
    source: str


class ImportResult(msgspec.Struct):
    already_imported: bool
    rows: int
    new_candidates: int = 0
    new_reasons: int = 0
    queued: int = 0  # ambiguous rows waiting for the clerk
    owners: int = 0


_CONTRACT = """SELECT c.id, c.title, c.municipality_code, c.office_code, m.prefecture, m.name AS municipality, c.rubric_id
               FROM survey_contracts c JOIN municipalities m ON m.code = c.municipality_code
               WHERE c.id = ? AND {condition}"""


async def contract_ref(conn: aiosqlite.Connection, user: User | None, contract_id: int) -> ContractRef:
    """The contract as `user` may see it (None: the operator at the command line); 404 otherwise."""
    condition, params = contract_condition(user) if user else ("1 = 1", ())
    async with conn.execute(_CONTRACT.format(condition=condition), (contract_id, *params)) as cur:
        row = await cur.fetchone()
    if row is None:
        raise problems.NOT_FOUND("contract")
    return from_row(ContractRef, row)


async def known_houses(conn: aiosqlite.Connection, municipality_code: str) -> list[KnownHouse]:
    """The town's houses a list's row may name (removed ones are not houses any more)."""
    async with conn.execute(
            "SELECT id, address FROM properties WHERE municipality_code = ? AND status <> 'removed' ORDER BY id",
            (municipality_code,)) as cur:
        return [from_row(KnownHouse, r) for r in await cur.fetchall()]


async def import_candidates(conn: aiosqlite.Connection, actor: audit.Actor, contract: ContractRef, sha256: str,
                            rows: list[tuple[CandidateRow, Match, str]]) -> ImportResult:
    """Every row of one file (with its match and its owner's postal flag) in the caller's transaction.
    The same file again changes nothing; a row of a house already a candidate adds its list as a reason
    and fills only what was blank."""
    async with conn.execute("SELECT 1 FROM candidate_imports WHERE contract_id = ? AND file_sha256 = ?",
                            (contract.id, sha256)) as cur:
        if await cur.fetchone():
            return ImportResult(already_imported=True, rows=len(rows))
    gone = await owner_data_deleted_on(conn, contract.id)
    if gone and any(row.owner_name for row, _, _ in rows):
        raise problems.OWNER_DATA_DELETED("import", on=western_date(gone))
    result = ImportResult(already_imported=False, rows=len(rows))
    for row, match, postal_flag in rows:
        candidate_id, created = await _candidate_for(conn, contract.id, row, match)
        result.new_candidates += created
        result.queued += created and match.state == "ambiguous"
        cur = await conn.execute(
            """INSERT INTO candidate_reasons (candidate_id, source, file_sha256, line)
               SELECT ?, ?, ?, ? WHERE NOT EXISTS
                 (SELECT 1 FROM candidate_reasons WHERE candidate_id = ? AND source = ?)""",
            (candidate_id, row.source, sha256, row.line, candidate_id, row.source))
        result.new_reasons += cur.rowcount
        if row.owner_name:
            cur = await conn.execute(
                """INSERT INTO candidate_owners (candidate_id, name, address, postal_code, postal_flag, source)
                   SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM candidate_owners WHERE candidate_id = ?)""",
                (candidate_id, row.owner_name, row.owner_address, row.owner_postal_code, postal_flag, row.source,
                 candidate_id))
            result.owners += cur.rowcount
    await conn.execute(
        "INSERT INTO candidate_imports (contract_id, file_sha256, row_count, imported_at) VALUES (?, ?, ?, ?)",
        (contract.id, sha256, len(rows), now_iso()))
    await audit.record(conn, actor, "survey_candidates.import", "contract", contract.id,
                       {"file_sha256": sha256, **msgspec.to_builtins(result)})
    return result


async def _candidate_for(conn, contract_id: int, row: CandidateRow, match: Match) -> tuple[int, bool]:
    async with conn.execute("SELECT id FROM survey_candidates WHERE contract_id = ? AND merge_key = ?",
                            (contract_id, match.merge_key)) as cur:
        found = await cur.fetchone()
    if found:
        await conn.execute(
            """UPDATE survey_candidates SET
                 chiban = CASE WHEN chiban = '' THEN ? ELSE chiban END,
                 kaoku_no = CASE WHEN kaoku_no = '' THEN ? ELSE kaoku_no END,
                 building_use = CASE WHEN building_use = '' THEN ? ELSE building_use END,
                 structure = CASE WHEN structure = '' THEN ? ELSE structure END,
                 built_year = COALESCE(built_year, ?), floor_area = COALESCE(floor_area, ?)
               WHERE id = ?""",
            (row.chiban, row.kaoku_no, row.building_use, row.structure, row.built_year, row.floor_area, found["id"]))
        return found["id"], False
    cur = await conn.execute(
        """INSERT INTO survey_candidates (contract_id, merge_key, address, address_key, property_id, match_state,
                                          possible_houses, chiban, kaoku_no, building_use, structure, built_year,
                                          floor_area, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (contract_id, match.merge_key, row.address, match.key, match.property_id, match.state,
         json.dumps(list(match.possible)), row.chiban, row.kaoku_no, row.building_use, row.structure,
         row.built_year, row.floor_area, now_iso()))
    return cur.lastrowid, True


_LIST = """SELECT sc.id, sc.address, sc.property_id, p.address AS property_address, sc.match_state, sc.possible_houses,
                  sc.chiban, sc.kaoku_no, sc.building_use, sc.structure, sc.built_year, sc.floor_area, sc.outcome,
                  sc.outcome_reason,
                  EXISTS (SELECT 1 FROM candidate_owners o WHERE o.candidate_id = sc.id) AS has_owner,
                  EXISTS (SELECT 1 FROM candidate_owners o WHERE o.candidate_id = sc.id AND o.postal_flag <> '')
                    AS owner_flagged
           FROM survey_candidates sc JOIN survey_contracts c ON c.id = sc.contract_id
           LEFT JOIN properties p ON p.id = sc.property_id
           WHERE sc.contract_id = ? AND {condition} {only} ORDER BY sc.id"""


async def candidates_of_contract(conn: aiosqlite.Connection, user: User | None, contract_id: int,
                                 only_ambiguous: bool = False) -> list[SurveyCandidate]:
    """The contract's candidates with their reasons (no personal data), as `user` may see them."""
    condition, params = contract_condition(user) if user else ("1 = 1", ())
    only = "AND sc.match_state = 'ambiguous'" if only_ambiguous else ""
    async with conn.execute(_LIST.format(condition=condition, only=only), (contract_id, *params)) as cur:
        rows = await cur.fetchall()
    found = [from_row(SurveyCandidate, r, possible_houses=json.loads(r["possible_houses"]),
                      has_owner=bool(r["has_owner"]), owner_flagged=bool(r["owner_flagged"])) for r in rows]
    reasons = await _reasons(conn, contract_id)
    for candidate in found:
        candidate.reasons = reasons.get(candidate.id, [])
    return found


async def _reasons(conn, contract_id: int) -> dict[int, list[str]]:
    async with conn.execute(
            """SELECT r.candidate_id, r.source FROM candidate_reasons r JOIN survey_candidates sc ON sc.id = r.candidate_id
               WHERE sc.contract_id = ? ORDER BY r.candidate_id, r.file_sha256, r.line""", (contract_id,)) as cur:
        out: dict[int, list[str]] = {}
        for r in await cur.fetchall():
            out.setdefault(r["candidate_id"], []).append(r["source"])
        return out


async def house_addresses(conn: aiosqlite.Connection, ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    marks = ",".join("?" * len(set(ids)))
    async with conn.execute(f"SELECT id, address FROM properties WHERE id IN ({marks})", list(set(ids))) as cur:
        return {r["id"]: r["address"] for r in await cur.fetchall()}


async def _candidate_row(conn, user: User | None, candidate_id: int):
    condition, params = contract_condition(user) if user else ("1 = 1", ())
    async with conn.execute(
            f"""SELECT sc.id, sc.contract_id, sc.match_state, sc.possible_houses, sc.property_id, sc.outcome
                FROM survey_candidates sc JOIN survey_contracts c ON c.id = sc.contract_id
                WHERE sc.id = ? AND {condition}""", (candidate_id, *params)) as cur:
        row = await cur.fetchone()
    if row is None:
        raise not_found("候補")
    return row


async def contract_of_candidate(conn: aiosqlite.Connection, user: User | None, candidate_id: int) -> int:
    """The contract a candidate belongs to, as `user` may see it (404 otherwise)."""
    return (await _candidate_row(conn, user, candidate_id))["contract_id"]


async def resolve_candidate(conn: aiosqlite.Connection, actor: audit.Actor, user: User, candidate_id: int,
                            choice: str) -> int:
    """The clerk settles an ambiguous address: one of its possible houses, "new" (a house not yet known) or
    "not_found" (no such house: 所在不明). Linking to a house that is already a candidate merges the two.
    Returns the candidate's id after the decision."""
    row = await _candidate_row(conn, user, candidate_id)
    if row["match_state"] != "ambiguous":
        raise problems.CANDIDATE_SETTLED()
    possible = json.loads(row["possible_houses"])
    if choice in ("new", "not_found"):
        outcome = "not_located" if choice == "not_found" else row["outcome"]
        await conn.execute("UPDATE survey_candidates SET match_state = ?, outcome = ? WHERE id = ?",
                           (choice, outcome, candidate_id))
        result = candidate_id
    elif choice in possible:
        result = await _link(conn, row["contract_id"], candidate_id, choice)
    else:
        raise problems.INVALID_CANDIDATE_CHOICE()
    await audit.record(conn, actor, "survey_candidate.resolve", "survey_candidate", candidate_id,
                       {"choice": choice, "candidate": result})
    return result


async def _link(conn, contract_id: int, candidate_id: int, property_id: str) -> int:
    merge_key = f"p:{property_id}"
    async with conn.execute("SELECT id FROM survey_candidates WHERE contract_id = ? AND merge_key = ?",
                            (contract_id, merge_key)) as cur:
        other = await cur.fetchone()
    if other is None:
        await conn.execute("UPDATE survey_candidates SET merge_key = ?, property_id = ?, match_state = 'linked' "
                           "WHERE id = ?", (merge_key, property_id, candidate_id))
        return candidate_id
    target = other["id"]
    await conn.execute(
        """INSERT INTO candidate_reasons (candidate_id, source, file_sha256, line)
           SELECT ?, r.source, r.file_sha256, r.line FROM candidate_reasons r
           WHERE r.candidate_id = ? AND r.source NOT IN (SELECT source FROM candidate_reasons WHERE candidate_id = ?)""",
        (target, candidate_id, target))
    await conn.execute(
        """UPDATE candidate_owners SET candidate_id = ? WHERE candidate_id = ?
             AND NOT EXISTS (SELECT 1 FROM candidate_owners o WHERE o.candidate_id = ?)""",
        (target, candidate_id, target))
    await conn.execute("DELETE FROM candidate_owners WHERE candidate_id = ?", (candidate_id,))
    await conn.execute("DELETE FROM candidate_reasons WHERE candidate_id = ?", (candidate_id,))
    await conn.execute("DELETE FROM survey_candidates WHERE id = ?", (candidate_id,))
    return target


async def set_outcome(conn: aiosqlite.Connection, actor: audit.Actor, user: User, candidate_id: int, outcome: str,
                      reason: str, surveyed: set[str]) -> None:
    """The clerk's outcome for a candidate the survey did not reach (`surveyed`: houses with an approved
    survey in this contract, whose outcome is 調査済 and not the clerk's)."""
    row = await _candidate_row(conn, user, candidate_id)
    if row["property_id"] and row["property_id"] in surveyed:
        raise problems.CANDIDATE_SURVEYED()
    if outcome not in CLERK_OUTCOMES:
        raise problems.INVALID_OUTCOME()
    reason = reason.strip()
    if outcome == "excluded" and not reason:
        raise problems.INVALID_OUTCOME("reason")
    await conn.execute("UPDATE survey_candidates SET outcome = ?, outcome_reason = ? WHERE id = ?",
                       (outcome, reason, candidate_id))
    await audit.record(conn, actor, "survey_candidate.outcome", "survey_candidate", candidate_id,
                       {"outcome": outcome, "reason": reason, "before": row["outcome"]})


async def sees_owners_of(conn: aiosqlite.Connection, user: User, contract_id: int) -> bool:
    """Whether `user` may see this contract's owners (candidate_owner_condition), whether or not it has any."""
    condition, params = candidate_owner_condition(user)
    async with conn.execute(f"SELECT 1 FROM survey_contracts c WHERE c.id = ? AND {condition}",
                            (contract_id, *params)) as cur:
        return await cur.fetchone() is not None


async def owners_of_contract(conn: aiosqlite.Connection, actor: audit.Actor, user: User, contract_id: int,
                             purpose: str = "view", only: set[int] | None = None) -> list[CandidateOwner]:
    """The owners (personal data) of the contract's candidates (`only`: of these candidates), for those
    candidate_owner_condition lets see them (nobody else gets a row). Every call is audited, with how many
    owners it showed; the caller's transaction must be a write."""
    condition, params = candidate_owner_condition(user)
    async with conn.execute(
            f"""SELECT o.candidate_id, sc.address AS candidate_address, o.name, o.address, o.postal_code,
                       o.postal_flag, o.source
                FROM candidate_owners o JOIN survey_candidates sc ON sc.id = o.candidate_id
                JOIN survey_contracts c ON c.id = sc.contract_id
                WHERE sc.contract_id = ? AND {condition} ORDER BY sc.id""", (contract_id, *params)) as cur:
        found = [from_row(CandidateOwner, r) for r in await cur.fetchall()]
    found = [o for o in found if only is None or o.candidate_id in only]
    await audit.record(conn, actor, f"candidate_owners.{purpose}", "contract", contract_id, {"owners": len(found)})
    return found
