"""Owners answer the survey on the public answer page with the letter's 回答コード: they see the house the
letter was about, may change the answer until the deadline, and every unusable code (unknown, past its
deadline, returned, answered on paper) gets the same page; guessing is slowed per address. Clerks type in
postcards and record returned letters. Everything audited."""

import re
from datetime import datetime, timedelta

import pytest

from server.core import clock
from server.core.audit import SYSTEM
from server.core.errors import AppError
from server.owner_data.retention import delete_now
from server.owner_survey.answers import mark_returned, type_in_postcard
from server.owner_survey.letters import make_letters
from server.users.queries import user_by_login
from tests.office.pages import csrf_token
from tests.support.sql import rows
from tests.survey_candidates.lists import HEADER, contract, import_list, on_db

OWNERS = HEADER + ("課税台帳,千代田区一番町1-1,,,,,,,千代田 一郎,東京都千代田区千代田1-1,100-0001\n"
                   "課税台帳,千代田区三番町3-3,,,,,,,三番 次郎,大阪府大阪市北区梅田1-1-1,530-0001\n")
GOOD = {"current_use": "unused", "intention": "sell", "troubles": ["distance", "cost"], "contact_consent": "yes",
        "contact": "090-1234-5678"}


@pytest.fixture
def codes(world):
    """The two owners' codes, as printed on their letters (ABCD-EFGH-JKMN)."""
    c = contract(world)
    import_list(world, c, OWNERS)

    async def run(db):
        async with db.read() as conn:
            mori = await user_by_login(conn, "mori")
        candidates = [cid for (cid,) in rows(world.db_path, "SELECT id FROM survey_candidates ORDER BY id")]
        return await db.write(lambda conn: make_letters(conn, SYSTEM, mori, c, candidates, "https://akiya.example.jp"))
    batch = on_db(world, run)
    return [letter.printed_code for letter in batch.document.letters]


def _open(client, code):
    return client.post("/kaito/", data={"code": code, "_csrf_token": csrf_token(client, "/kaito/")})


def _answer(client, code, answers):
    return client.post("/kaito/answer", data={"code": code, **answers, "_csrf_token": csrf_token(client, "/kaito/")})


def _alert(page) -> str:
    start = page.text.index('role="alert">') + len('role="alert">')
    return page.text[start:page.text.index("</p>", start)]


def _clerk(world, login, fn):
    async def run(db):
        async with db.read() as conn:
            user = await user_by_login(conn, login)
        return await db.write(lambda conn: fn(conn, user))
    return on_db(world, run)


def _letter_id(world, n=0):
    return rows(world.db_path, "SELECT id FROM owner_letters ORDER BY id")[n][0]


def test_an_owner_sees_the_house_answers_and_may_change_the_answer_until_the_deadline(client, world, codes):
    typed = codes[1].lower().replace("-", " ")  # as typed on a phone
    opened = _open(client, typed)
    assert opened.status_code == 200
    assert "千代田区三番町3-3" in opened.text and "三番 次郎" not in opened.text
    assert re.search(r"回答期限 \d{4}年\d{1,2}月\d{1,2}日 まで", opened.text)  # as the letter printed it
    assert _answer(client, typed, GOOD).status_code == 200
    again = _open(client, codes[1])
    assert "前回の回答を表示しています" in again.text and 'value="sell" checked>' in again.text
    changed = _answer(client, codes[1], {**GOOD, "intention": "let"})
    assert "回答を受け付けました" in changed.text
    [(answers, channel)] = rows(world.db_path, "SELECT answers, channel FROM owner_answers")
    assert '"intention": "let"' in answers and '"troubles": ["distance", "cost"]' in answers and channel == "web"
    actions = [a for (a,) in rows(world.db_path, "SELECT action FROM audit_log WHERE action LIKE 'owner_answer.%' ORDER BY id")]
    assert actions.count("owner_answer.web") == 2 and "owner_answer.opened" in actions


def test_an_answer_missing_what_is_required_is_refused_in_japanese_and_nothing_is_stored(client, world, codes):
    page = _answer(client, codes[0], {"current_use": "unused", "troubles": ["castle"]})
    assert page.status_code == 422
    assert "「今後、この建物をどうしたいとお考えですか。」に答えてください" in page.text
    assert "お困りのこと" in page.text
    assert rows(world.db_path, "SELECT count(*) FROM owner_answers") == [(0,)]


def test_unknown_expired_returned_and_paper_answered_codes_get_the_same_page(client, world, codes):
    unknown = _open(client, "ABCD-EFGH-JKMN")
    _clerk(world, "ueda", lambda conn, u: mark_returned(conn, SYSTEM, u, _letter_id(world, 0), "転居先不明"))
    returned = _open(client, codes[0])
    _clerk(world, "ueda", lambda conn, u: type_in_postcard(conn, SYSTEM, u, _letter_id(world, 1), GOOD))
    paper = _open(client, codes[1])
    with clock.stopped_at(datetime.now(clock.JST) + timedelta(days=40)):
        expired = _open(client, codes[1])
    pages = [unknown, returned, paper, expired]
    assert {p.status_code for p in pages} == {404}
    assert len({_alert(p) for p in pages}) == 1
    assert len({p.text.replace(c, "") for p, c in zip(pages, ["ABCD-EFGH-JKMN", codes[0], codes[1], codes[1]])}) == 1


def test_guessing_codes_from_one_address_is_slowed_down_and_the_right_code_waits_too(client, world, codes):
    for n in range(20):
        assert _open(client, f"GUESS{n:07d}").status_code == 404
    slowed = _open(client, codes[0])
    assert slowed.status_code == 429 and int(slowed.headers["Retry-After"]) > 0
    assert "使えない回答コードが続いたため" in slowed.text
    assert rows(world.db_path, "SELECT count(*) FROM audit_log WHERE action = 'owner_answer.code_refused'") == [(20,)]


def test_clerks_type_in_postcards_and_record_returned_letters_carriers_cannot(world, codes):
    _clerk(world, "ueda", lambda conn, u: type_in_postcard(conn, SYSTEM, u, _letter_id(world, 0), GOOD))
    _clerk(world, "mori", lambda conn, u: mark_returned(conn, SYSTEM, u, _letter_id(world, 1), "あて所に尋ねあたりません"))
    assert rows(world.db_path, "SELECT channel FROM owner_answers") == [("paper",)]
    assert rows(world.db_path, "SELECT returned_reason FROM owner_letters WHERE returned_reason <> ''") == [
        ("あて所に尋ねあたりません",)]
    with pytest.raises(AppError) as bad_reason:
        _clerk(world, "ueda", lambda conn, u: mark_returned(conn, SYSTEM, u, _letter_id(world, 1), "なんとなく"))
    assert bad_reason.value.status == 400
    with pytest.raises(AppError) as carrier:
        _clerk(world, "aoki", lambda conn, u: type_in_postcard(conn, SYSTEM, u, _letter_id(world, 1), GOOD))
    assert carrier.value.status == 403
    with pytest.raises(AppError) as other_office:
        _clerk(world, "kudo", lambda conn, u: mark_returned(conn, SYSTEM, u, _letter_id(world, 1), "受取拒否"))
    assert other_office.value.status == 404
    assert [a for (a,) in rows(world.db_path, "SELECT action FROM audit_log WHERE action IN "
                                              "('owner_answer.paper', 'owner_letter.returned') ORDER BY id")] == [
        "owner_answer.paper", "owner_letter.returned"]


def test_a_web_answer_after_the_owners_data_was_deleted_is_kept_without_its_contact(client, world, codes):
    [(c,)] = rows(world.db_path, "SELECT id FROM survey_contracts")
    _clerk(world, "mori", lambda conn, u: delete_now(conn, SYSTEM, u, c, True))
    assert _answer(client, codes[0], GOOD).status_code == 200
    [(answers,)] = rows(world.db_path, "SELECT answers FROM owner_answers")
    assert '"intention": "sell"' in answers and "090-1234-5678" not in answers
