"""The owner survey's tables (migration 0021): the town's letter settings, the letters with their hashed
回答コード, the answers and the returned letters. Who may act is decided before these are called
(server/owner_survey/letters.py, server/users/access.py); every write is audited here, in its transaction.
No owner name or address is read here: those stay behind candidate_owner_condition."""

from __future__ import annotations

import json
from datetime import date

import aiosqlite
import msgspec

from server.core import audit
from server.core.clock import now_iso
from server.core.problems import not_found
from server.db.records import from_row
from server.owner_survey.codes import code_hash
from server.users.access import contract_condition
from server.users.queries import User

RETURN_REASONS = ("あて所に尋ねあたりません", "転居先不明", "受取拒否", "あて名不完全", "保管期間経過", "その他")


class SurveySettings(msgspec.Struct, frozen=True):
    contract_id: int
    letter_text: str
    answer_deadline: str


class LetterState(msgspec.Struct):
    """A letter as the office lists it (no personal data: the house's address the town surveyed)."""
    id: int
    candidate_id: int
    house_address: str
    issued_at: str
    answer_deadline: str
    returned_reason: str
    answered_via: str | None  # web | paper | None


class LetterForAnswer(msgspec.Struct):
    """What the answer page knows from a code: the house the letter was about, never the owner."""
    id: int
    contract_id: int
    house_address: str
    municipality: str
    answer_deadline: str
    returned_reason: str
    answers: dict | None
    answered_via: str | None

    def open_on(self, today: date) -> bool:
        return not self.returned_reason and self.answered_via != "paper" and today <= date.fromisoformat(
            self.answer_deadline)


async def settings_of(conn: aiosqlite.Connection, contract_id: int) -> SurveySettings | None:
    async with conn.execute("SELECT contract_id, letter_text, answer_deadline FROM owner_survey_settings "
                            "WHERE contract_id = ?", (contract_id,)) as cur:
        row = await cur.fetchone()
    return from_row(SurveySettings, row) if row else None


async def save_settings(conn: aiosqlite.Connection, actor: audit.Actor, contract_id: int, letter_text: str,
                        answer_deadline: str) -> None:
    await conn.execute(
        """INSERT INTO owner_survey_settings (contract_id, letter_text, answer_deadline, updated_at)
           VALUES (?, ?, ?, ?)
           ON CONFLICT (contract_id) DO UPDATE SET letter_text = excluded.letter_text,
             answer_deadline = excluded.answer_deadline, updated_at = excluded.updated_at""",
        (contract_id, letter_text, answer_deadline, now_iso()))
    await audit.record(conn, actor, "owner_survey.settings", "contract", contract_id,
                       {"deadline": answer_deadline, "text_length": len(letter_text)})


async def issue_letters(conn: aiosqlite.Connection, actor: audit.Actor, contract_id: int,
                        codes: dict[int, str], answer_deadline: str) -> list[int]:
    """A letter for each candidate of `codes` (candidate id → its new 回答コード, stored hashed). A candidate
    that already had a letter gets the new code (the reprinted letter's; the old one stops working) unless it
    was answered: answered letters are left alone. Returns the candidates whose letters were (re)issued."""
    answered = {r["candidate_id"] for r in await _fetch(
        conn, """SELECT l.candidate_id FROM owner_letters l JOIN owner_answers a ON a.letter_id = l.id
                 WHERE l.contract_id = ?""", (contract_id,))}
    issued = [c for c in codes if c not in answered]
    at = now_iso()
    await conn.executemany(
        """INSERT INTO owner_letters (contract_id, candidate_id, code_sha256, issued_at, answer_deadline)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (contract_id, candidate_id) DO UPDATE SET code_sha256 = excluded.code_sha256,
             issued_at = excluded.issued_at, answer_deadline = excluded.answer_deadline,
             returned_reason = '', returned_at = NULL""",
        [(contract_id, c, code_hash(codes[c]), at, answer_deadline) for c in issued])
    await audit.record(conn, actor, "owner_letters.issue", "contract", contract_id,
                       {"candidates": issued, "deadline": answer_deadline})
    return issued


_LETTERS = """SELECT l.id, l.candidate_id, COALESCE(p.address, sc.address) AS house_address, l.issued_at,
                     l.answer_deadline, l.returned_reason, a.channel AS answered_via
              FROM owner_letters l JOIN survey_candidates sc ON sc.id = l.candidate_id
              JOIN survey_contracts c ON c.id = l.contract_id
              LEFT JOIN properties p ON p.id = sc.property_id
              LEFT JOIN owner_answers a ON a.letter_id = l.id
              WHERE l.contract_id = ? AND {condition} ORDER BY l.id"""


async def letters_of_contract(conn: aiosqlite.Connection, user: User | None, contract_id: int) -> list[LetterState]:
    condition, params = contract_condition(user) if user else ("1 = 1", ())
    rows = await _fetch(conn, _LETTERS.format(condition=condition), (contract_id, *params))
    return [from_row(LetterState, r) for r in rows]


async def letter_by_code(conn: aiosqlite.Connection, typed_code: str) -> LetterForAnswer | None:
    rows = await _fetch(
        conn, """SELECT l.id, l.contract_id, COALESCE(p.address, sc.address) AS house_address,
                        m.name AS municipality, l.answer_deadline, l.returned_reason, a.answers,
                        a.channel AS answered_via
                 FROM owner_letters l JOIN survey_candidates sc ON sc.id = l.candidate_id
                 JOIN survey_contracts c ON c.id = l.contract_id JOIN municipalities m ON m.code = c.municipality_code
                 LEFT JOIN properties p ON p.id = sc.property_id
                 LEFT JOIN owner_answers a ON a.letter_id = l.id
                 WHERE l.code_sha256 = ?""", (code_hash(typed_code),))
    if not rows:
        return None
    r = rows[0]
    return from_row(LetterForAnswer, r, answers=json.loads(r["answers"]) if r["answers"] else None)


async def letter_of_contract(conn: aiosqlite.Connection, user: User, letter_id: int) -> LetterState | None:
    """One letter as the clerk sees it (None when it is not one of their contracts')."""
    condition, params = contract_condition(user)
    rows = await _fetch(conn, _LETTERS.replace("l.contract_id = ?", "l.id = ?").format(condition=condition),
                        (letter_id, *params))
    return from_row(LetterState, rows[0]) if rows else None


async def save_answer(conn: aiosqlite.Connection, actor: audit.Actor, letter_id: int, answers: dict,
                      channel: str) -> None:
    """The owner's answer (web) or the postcard the clerk typed in (paper); a later one replaces it."""
    at = now_iso()
    before = await _fetch(conn, "SELECT channel FROM owner_answers WHERE letter_id = ?", (letter_id,))
    await conn.execute(
        """INSERT INTO owner_answers (letter_id, answers, channel, answered_at, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (letter_id) DO UPDATE SET answers = excluded.answers, channel = excluded.channel,
             updated_at = excluded.updated_at""",
        (letter_id, json.dumps(answers, ensure_ascii=False), channel, at, at))
    await audit.record(conn, actor, f"owner_answer.{channel}", "owner_letter", letter_id,
                       {"replaced": before[0]["channel"] if before else None})


async def record_return(conn: aiosqlite.Connection, actor: audit.Actor, letter_id: int, reason: str) -> None:
    await conn.execute("UPDATE owner_letters SET returned_reason = ?, returned_at = ? WHERE id = ?",
                       (reason, now_iso(), letter_id))
    await audit.record(conn, actor, "owner_letter.returned", "owner_letter", letter_id, {"reason": reason})


class AnswerRow(msgspec.Struct, frozen=True):
    candidate_id: int
    property_id: str | None
    answers: dict
    channel: str


class LetterTally(msgspec.Struct, frozen=True):
    sent: int
    returned: int
    returned_reasons: dict[str, int]
    answers: list[AnswerRow]


async def tally(conn: aiosqlite.Connection, contract_id: int) -> LetterTally:
    """What the report counts: letters sent, returned (by reason) and the answers, with no personal data."""
    letters = await _fetch(conn, "SELECT returned_reason FROM owner_letters WHERE contract_id = ?", (contract_id,))
    reasons: dict[str, int] = {}
    for r in letters:
        if r["returned_reason"]:
            reasons[r["returned_reason"]] = reasons.get(r["returned_reason"], 0) + 1
    answers = await _fetch(
        conn, """SELECT l.candidate_id, sc.property_id, a.answers, a.channel FROM owner_answers a
                 JOIN owner_letters l ON l.id = a.letter_id JOIN survey_candidates sc ON sc.id = l.candidate_id
                 WHERE l.contract_id = ? ORDER BY l.id""", (contract_id,))
    return LetterTally(len(letters), sum(reasons.values()), reasons,
                       [AnswerRow(r["candidate_id"], r["property_id"], json.loads(r["answers"]), r["channel"])
                        for r in answers])


async def _fetch(conn, sql: str, params: tuple) -> list:
    async with conn.execute(sql, params) as cur:
        return list(await cur.fetchall())


async def contract_of_letter(conn: aiosqlite.Connection, user: User, letter_id: int) -> int:
    condition, params = contract_condition(user)
    rows = await _fetch(conn, f"""SELECT l.contract_id FROM owner_letters l JOIN survey_contracts c ON c.id = l.contract_id
                                  WHERE l.id = ? AND {condition}""", (letter_id, *params))
    if not rows:
        raise not_found("送付文書")
    return rows[0]["contract_id"]
