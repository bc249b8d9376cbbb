"""Letters to the owners: who gets one, their one-time codes, and the plain data reports/owner_letters.py
draws. Only users the access rule lets see owners (server/users/access.py sees_candidate_owners and
candidate_owner_condition) can make them; reading the owners is audited (candidate_owners.letters) and so
is issuing the codes (owner_letters.issue)."""

from __future__ import annotations

from datetime import date, timedelta

import aiosqlite
import msgspec

from reports.dates import western_date
from reports.letters_model import LetterQuestion, OwnerLetter, OwnerLetters
from server.core import audit, problems
from server.core.clock import today_jst
from server.owner_data.queries import deleted_on as owner_data_deleted_on
from server.owner_survey import queries as q
from server.owner_survey.codes import new_code, printed
from server.owner_survey.questionnaire import shipped
from server.owner_survey.template import default_text, fill, template_problems
from server.survey_candidates.outcomes import surveyed_houses
from server.survey_candidates.queries import candidates_of_contract, contract_ref, owners_of_contract
from server.users.access import sees_candidate_owners, works_on_owner_letters
from server.users.queries import User

DEFAULT_LIKELIHOODS = ("高", "中")
DEFAULT_ANSWER_DAYS = 30
ANSWER_PATH = "/kaito"


class NotSent(msgspec.Struct, frozen=True):
    """A selected candidate no letter was made for, and why (shown to the clerk, who may see owners)."""
    candidate_id: int
    house_address: str
    why: str


class LetterBatch(msgspec.Struct, frozen=True):
    document: OwnerLetters
    not_sent: list[NotSent]


async def letter_settings(conn: aiosqlite.Connection, contract_id: int) -> q.SurveySettings:
    """The town's text and deadline, or the shipped text and a deadline 30 days from today."""
    saved = await q.settings_of(conn, contract_id)
    return saved or q.SurveySettings(contract_id, default_text(),
                                     (today_jst() + timedelta(days=DEFAULT_ANSWER_DAYS)).isoformat())


async def save_letter_settings(conn: aiosqlite.Connection, actor: audit.Actor, user: User, contract_id: int,
                               letter_text: str, answer_deadline: str) -> None:
    await contract_ref(conn, user, contract_id)  # 404 for a contract the user does not see
    if not works_on_owner_letters(user):
        raise problems.OWNER_LETTERS_FORBIDDEN()
    found = template_problems(letter_text)
    if found:
        raise problems.LETTER_TEXT_INVALID(why="／".join(found), details=found)
    try:
        date.fromisoformat(answer_deadline)
    except ValueError:
        raise problems.INVALID_DEADLINE() from None
    await q.save_settings(conn, actor, contract_id, letter_text.strip(), answer_deadline)


async def default_selection(conn: aiosqlite.Connection, user: User, contract_id: int) -> list[int]:
    """Candidates surveyed with 空き家の可能性 高 or 中 (server/survey_candidates/outcomes.py)."""
    contract = await contract_ref(conn, user, contract_id)
    surveyed = await surveyed_houses(conn, contract)
    return [c.id for c in await candidates_of_contract(conn, user, contract_id)
            if c.property_id in surveyed and surveyed[c.property_id] in DEFAULT_LIKELIHOODS]


async def make_letters(conn: aiosqlite.Connection, actor: audit.Actor, user: User, contract_id: int,
                       candidate_ids: list[int] | None, base_url: str) -> LetterBatch:
    """Issues a one-time code per selected candidate whose owner has a postal code and returns the letters'
    data; the others are listed in `not_sent`. Runs in a write transaction."""
    if not sees_candidate_owners(user):
        raise problems.OWNER_LETTERS_FORBIDDEN()
    contract = await contract_ref(conn, user, contract_id)
    if gone := await owner_data_deleted_on(conn, contract_id):
        raise problems.OWNER_DATA_DELETED("letters", on=western_date(gone))
    chosen = candidate_ids if candidate_ids is not None else await default_selection(conn, user, contract_id)
    if not chosen:
        raise problems.NO_LETTERS_SELECTED()
    candidates = {c.id: c for c in await candidates_of_contract(conn, user, contract_id)}
    owners = {o.candidate_id: o for o in await owners_of_contract(conn, actor, user, contract_id, "letters")}
    settings = await letter_settings(conn, contract_id)
    not_sent, ready = [], []
    for cid in dict.fromkeys(chosen):
        candidate = candidates.get(cid)
        if candidate is None:
            raise problems.not_found("候補")
        house = candidate.property_address or candidate.address
        owner = owners.get(cid)
        postal = "".join(ch for ch in (owner.postal_code if owner else "") if ch.isdigit())
        if owner is None:
            not_sent.append(NotSent(cid, house, "所有者の情報がありません"))
        elif len(postal) != 7:
            not_sent.append(NotSent(cid, house, "所有者の郵便番号がありません"))
        elif not owner.address.strip():
            not_sent.append(NotSent(cid, house, "所有者の住所がありません"))
        else:
            ready.append((cid, house, owner, postal))
    codes = {cid: new_code() for cid, *_ in ready}
    issued = set(await q.issue_letters(conn, actor, contract_id, codes, settings.answer_deadline))
    for cid, house, _, _ in ready:
        if cid not in issued:
            not_sent.append(NotSent(cid, house, "回答済みのため作り直しません"))
    deadline = date.fromisoformat(settings.answer_deadline)
    letters = [OwnerLetter(postal_code=postal, owner_address=owner.address, owner_name=owner.name,
                           house_address=house, printed_code=printed(codes[cid]),
                           qr_payload=f"{base_url}{ANSWER_PATH}/{codes[cid]}")
               for cid, house, owner, postal in ready if cid in issued]
    questionnaire = shipped()
    document = OwnerLetters(
        municipality=contract.municipality,
        letterhead=f"{contract.prefecture}{contract.municipality}\n空き家対策担当",
        issued_on_text=western_date(today_jst()),
        letter_text=fill(settings.letter_text, {"自治体名": contract.municipality,
                                                "回答期限": western_date(deadline)}),
        deadline_text=western_date(deadline),
        answer_url=f"{base_url}{ANSWER_PATH}",
        contact=f"このアンケートは{contract.municipality}が日本郵便株式会社に委託して行っています。"
                "ご不明な点は、上記の担当までお問い合わせください。",
        questionnaire_title=questionnaire.title,
        questions=[LetterQuestion(x.label, x.type, [o.label for o in x.options]) for x in questionnaire.questions],
        letters=letters,
        not_sent=[(n.house_address, n.why) for n in not_sent])
    return LetterBatch(document, not_sent)
