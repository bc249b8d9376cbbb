"""Answers to the owners' survey: on the public answer page with the letter's 回答コード (no login), and
postcards the clerk types in; letters the post brought back. Everything audited.

The answer page tells a code that works from every other by nothing but the page it opens: an unknown
code, one past its deadline, one whose letter came back and one already answered on paper all get the same
refusal (problems.ANSWER_CODE_REFUSED), each counted like a failed sign-in (server/auth/limits.py): per
client address over every code, and per code over every address. A web answer may be changed until the
deadline; a postcard the clerk typed in closes the code (the paper answer is the one the town holds). Once the
contract's owners' personal data was deleted (server/owner_data/), an answer is kept without its contact."""

from __future__ import annotations

import aiosqlite

from server.auth import limits
from server.core import audit, problems
from server.core.clock import today_jst
from server.owner_data.queries import CONTACT_KEY, deleted_on as owner_data_deleted_on
from server.owner_survey import queries as q
from server.owner_survey.codes import code_hash
from server.owner_survey.questionnaire import answer_problems, shipped
from server.users.access import sees_candidate_owners, works_on_owner_letters
from server.users.queries import User

CODE_INPUT_MAX = 40


def throttle_key(typed: str) -> str:
    return f"kaito:{code_hash(typed[:CODE_INPUT_MAX])[:32]}"


async def wait_before_code(db, typed: str, address: str) -> int:
    """Seconds this client must wait before trying this code (0: go ahead)."""
    return await limits.wait_seconds(db, throttle_key(typed), address)


async def open_letter(conn: aiosqlite.Connection, actor: audit.Actor, typed: str,
                      address: str) -> q.LetterForAnswer | None:
    """The letter a code opens, if it may still be answered; None (counted as a failure) otherwise."""
    letter = await q.letter_by_code(conn, typed[:CODE_INPUT_MAX])
    if letter is None or not letter.open_on(today_jst()):
        await limits.note_failure(conn, actor, throttle_key(typed), address, action="owner_answer.code_refused")
        return None
    await audit.record(conn, actor, "owner_answer.opened", "owner_letter", letter.id)
    return letter


def checked_answers(form: dict) -> dict:
    """The questionnaire's answers from a form's fields (a multi question's values as a list), refused with
    every problem in Japanese."""
    questionnaire = shipped()
    answers: dict = {}
    for question in questionnaire.questions:
        given = form.get(question.key)
        if question.type == "multi":
            values = given if isinstance(given, list) else [given] if given else []
            if values:
                answers[question.key] = [str(v) for v in values]
        elif given not in (None, ""):
            answers[question.key] = str(given).strip() if question.type == "text" else str(given)
    found = answer_problems(questionnaire, answers)
    if found:
        raise problems.ANSWER_INVALID(why="／".join(found), details=found)
    return answers


async def _kept(conn: aiosqlite.Connection, contract_id: int, answers: dict) -> dict:
    """The answers as stored: once the contract's owners' personal data was deleted, without the contact."""
    if await owner_data_deleted_on(conn, contract_id):
        return {k: v for k, v in answers.items() if k != CONTACT_KEY}
    return answers


async def answer_on_web(conn: aiosqlite.Connection, actor: audit.Actor, typed: str, address: str,
                        answers: dict) -> q.LetterForAnswer | None:
    letter = await open_letter(conn, actor, typed, address)
    if letter is not None:
        await q.save_answer(conn, actor, letter.id, await _kept(conn, letter.contract_id, answers), "web")
    return letter


def _may_record(user: User) -> None:
    if not works_on_owner_letters(user):
        raise problems.OWNER_LETTERS_FORBIDDEN()


async def type_in_postcard(conn: aiosqlite.Connection, actor: audit.Actor, user: User, letter_id: int,
                           answers: dict) -> None:
    """A reply postcard, typed in by the clerk or the town (no owner data is shown or needed)."""
    _may_record(user)
    if await q.letter_of_contract(conn, user, letter_id) is None:
        raise problems.not_found("送付文書")
    contract_id = await q.contract_of_letter(conn, user, letter_id)
    await q.save_answer(conn, actor, letter_id, await _kept(conn, contract_id, answers), "paper")


async def mark_returned(conn: aiosqlite.Connection, actor: audit.Actor, user: User, letter_id: int,
                        reason: str) -> None:
    """A letter the post brought back, with the reason stamped on it; listed for the town's owner tracing."""
    _may_record(user)
    if reason not in q.RETURN_REASONS:
        raise problems.RETURN_REASON_INVALID()
    if await q.letter_of_contract(conn, user, letter_id) is None:
        raise problems.not_found("送付文書")
    await q.record_return(conn, actor, letter_id, reason)


def may_see_tracing(user: User) -> bool:
    """Returned letters are listed with the owner's name only for those who may see owners."""
    return sees_candidate_owners(user)
