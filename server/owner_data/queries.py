"""The retention columns of survey_contracts (migration 0023) and the deletion of a contract's owners'
personal data, audited in the same transaction (what and how many rows; never the data itself)."""

from __future__ import annotations

import json
from datetime import date, datetime

import aiosqlite
import msgspec

from server.core import audit, problems
from server.core.clock import JST, now_iso
from server.db.records import from_row
from server.users.access import contract_condition
from server.users.queries import User

CONTACT_KEY = "contact"  # the questionnaire's free-text contact (questionnaires/owner_intention.v1.toml)


class Retention(msgspec.Struct, frozen=True):
    contract_id: int
    title: str
    period_end: str
    keep_until_set: str | None  # the town's date; None: the default (server/owner_data/retention.py)
    deleted_at: str | None
    owners: int  # candidate_owners rows held now

    @property
    def deleted_on(self) -> date | None:
        """The day in Japan the data was deleted."""
        return datetime.fromisoformat(self.deleted_at).astimezone(JST).date() if self.deleted_at else None


class Deleted(msgspec.Struct, frozen=True):
    owners: int  # candidate_owners rows deleted
    contacts: int  # answers whose contact details were removed


_RETENTION = """SELECT c.id AS contract_id, c.title, c.period_end, c.owner_data_keep_until AS keep_until_set,
                       c.owner_data_deleted_at AS deleted_at,
                       (SELECT count(*) FROM candidate_owners o JOIN survey_candidates sc ON sc.id = o.candidate_id
                        WHERE sc.contract_id = c.id) AS owners
                FROM survey_contracts c WHERE {where} ORDER BY c.id"""


async def retention_of(conn: aiosqlite.Connection, user: User | None, contract_id: int) -> Retention:
    """The contract's retention as `user` may see the contract (None: the operator); 404 otherwise."""
    condition, params = contract_condition(user) if user else ("1 = 1", ())
    async with conn.execute(_RETENTION.format(where=f"c.id = ? AND {condition}"), (contract_id, *params)) as cur:
        row = await cur.fetchone()
    if row is None:
        raise problems.NOT_FOUND("contract")
    return from_row(Retention, row)


async def contracts_not_deleted(conn: aiosqlite.Connection) -> list[Retention]:
    """Every contract whose owners' data has not been deleted (the nightly job picks the due ones)."""
    async with conn.execute(_RETENTION.format(where="c.owner_data_deleted_at IS NULL")) as cur:
        return [from_row(Retention, r) for r in await cur.fetchall()]


async def deleted_on(conn: aiosqlite.Connection, contract_id: int) -> date | None:
    """The day (in Japan) the contract's owners' data was deleted; None while it is kept."""
    async with conn.execute("SELECT owner_data_deleted_at FROM survey_contracts WHERE id = ?", (contract_id,)) as cur:
        row = await cur.fetchone()
    at = row["owner_data_deleted_at"] if row else None
    return datetime.fromisoformat(at).astimezone(JST).date() if at else None


async def set_keep_until(conn: aiosqlite.Connection, actor: audit.Actor, contract_id: int, before: str | None,
                         keep_until: str | None) -> None:
    await conn.execute("UPDATE survey_contracts SET owner_data_keep_until = ? WHERE id = ?", (keep_until, contract_id))
    await audit.record(conn, actor, "owner_data.keep_until", "contract", contract_id,
                       {"before": before, "after": keep_until})


async def contacts_held(conn: aiosqlite.Connection, contract_id: int) -> list[tuple[int, dict]]:
    """(letter id, answers) of the contract's answers that hold contact details."""
    async with conn.execute(
            """SELECT a.letter_id, a.answers FROM owner_answers a JOIN owner_letters l ON l.id = a.letter_id
               WHERE l.contract_id = ? ORDER BY a.letter_id""", (contract_id,)) as cur:
        found = [(r["letter_id"], json.loads(r["answers"])) for r in await cur.fetchall()]
    return [(letter_id, answers) for letter_id, answers in found if CONTACT_KEY in answers]


async def delete_owner_data(conn: aiosqlite.Connection, actor: audit.Actor, contract_id: int, reason: str,
                            keep_until: str) -> Deleted:
    """Deletes the contract's owners (candidate_owners) and the answers' contact details, marks the contract
    and audits what and how many (`reason`: manual | due). The caller checks who may."""
    contacts = await contacts_held(conn, contract_id)
    await conn.executemany(
        "UPDATE owner_answers SET answers = ? WHERE letter_id = ?",
        [(json.dumps({k: v for k, v in answers.items() if k != CONTACT_KEY}, ensure_ascii=False), letter_id)
         for letter_id, answers in contacts])
    cur = await conn.execute(
        "DELETE FROM candidate_owners WHERE candidate_id IN (SELECT id FROM survey_candidates WHERE contract_id = ?)",
        (contract_id,))
    deleted = Deleted(owners=cur.rowcount, contacts=len(contacts))
    await conn.execute("UPDATE survey_contracts SET owner_data_deleted_at = ? WHERE id = ?", (now_iso(), contract_id))
    await audit.record(conn, actor, "owner_data.delete", "contract", contract_id,
                       {"reason": reason, "keep_until": keep_until, "candidate_owners": deleted.owners,
                        "answer_contacts": deleted.contacts})
    return deleted
