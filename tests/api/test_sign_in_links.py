"""An owner signs in with a one-time link mailed to them: once, within 15 minutes, throttled like
passwords, audited, and the page says the same whether or not the address is known."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta

import pytest

from server.core import clock
from server.db import database_for
from server.mail.sign_in import deliver_sign_in_links
from tests.office.db import count, query
from tests.office.pages import csrf_token

MOMENT = datetime.fromisoformat("2026-11-18T10:00:00+09:00")
LINK = re.compile(r"(/office/login/link/[A-Za-z0-9_-]+)")


@pytest.fixture
def mail_settings(client, settings):
    """The app as if SMTP were configured (its mail loop is not started: each test runs the pass itself)."""
    configured = settings.model_copy(update={"smtp_host": "smtp.invalid", "mail_from": "mimamori@akiya.example",
                                             "public_url": "https://akiya.example.jp"})
    client.app.state.settings = configured
    return configured


def ask_for_link(client, email: str):
    return client.post("/office/login/link", data={"email": email, "_csrf_token": csrf_token(client, "/office/login")},
                       follow_redirects=False)


def mail_pass(settings) -> list:
    """One pass of the mail loop's link sender; the messages it handed to SMTP."""
    sent = []

    async def send(msg):
        sent.append(msg)

    async def go():
        async with database_for(settings.db, readers=1) as db:
            await deliver_sign_in_links(db, settings, send)

    asyncio.run(go())
    return sent


def use(client, path: str):
    client.cookies.clear()
    page = client.get(path)
    return client.post(path, data={"_csrf_token": csrf_token(client, path)}, follow_redirects=False), page


def test_a_mailed_link_signs_the_owner_in_once(client, mail_settings, world, settings):
    with clock.stopped_at(MOMENT):
        assert ask_for_link(client, " Ono@Example.jp ").status_code == 200
        [mail] = mail_pass(mail_settings)
        assert mail["To"].addresses[0].addr_spec == "ono@example.jp"
        body = mail.get_content()
        assert "https://akiya.example.jp/office/login/link/" in body and "15分以内" in body
        path = LINK.search(body)[1]
        secret = path.rsplit("/", 1)[1]
        assert query(settings, "SELECT mail_secret, mail_status FROM sign_in_links") == [(None, "sent")]
        assert count(settings, "sign_in_links", "token_hash = ?", secret) == 0  # stored as a hash only

        assert "ログインする" in client.get(path).text  # opening the link (as a mail scanner would) spends nothing
        assert count(settings, "sign_in_links", "used_at IS NOT NULL") == 0
        first, _ = use(client, path)
        assert first.status_code == 303 and first.headers["location"] == "/office/"
        assert "東京都千代田区一番町1-1" in client.get("/office/").text  # Ono's house, as Ono

        second, _ = use(client, path)
        assert second.status_code == 401
        assert "一度だけ" in second.text and "/office/" not in second.headers.get("location", "")
        assert mail_pass(mail_settings) == []  # nothing mailed twice


def test_a_link_expires_15_minutes_after_it_was_asked_for(client, mail_settings, settings):
    with clock.stopped_at(MOMENT):
        ask_for_link(client, "ono@example.jp")
        ask_for_link(client, "oda@example.jp")
        late, in_time = (LINK.search(m.get_content())[1] for m in mail_pass(mail_settings))
    with clock.stopped_at(MOMENT + timedelta(minutes=14, seconds=59)):
        assert use(client, in_time)[0].status_code == 303
    with clock.stopped_at(MOMENT + timedelta(minutes=15)):
        refused, _ = use(client, late)
        assert refused.status_code == 401 and "15分以内" in refused.text
        mail_pass(mail_settings)
    assert query(settings, "SELECT count(*) FROM sign_in_links WHERE mail_secret IS NOT NULL") == [(0,)]


def test_the_answer_is_the_same_whether_or_not_the_address_is_known(client, mail_settings, settings):
    def answer(email):
        text = ask_for_link(client, email).text
        return re.sub(r'name="_csrf_token" value="[^"]+"', "", text)

    with clock.stopped_at(MOMENT):
        assert answer("ono@example.jp") == answer("nobody@example.jp")
        assert "ご登録のメールアドレスであれば" in answer("nobody@example.jp")
        assert [m["To"].addresses[0].addr_spec for m in mail_pass(mail_settings)] == ["ono@example.jp"]
    assert count(settings, "audit_log", "action = 'auth.link_requested'") == 3


def test_without_smtp_the_page_says_no_link_can_be_sent(client, settings):
    response = ask_for_link(client, "ono@example.jp")
    assert response.status_code == 200 and "リンクをお送りできません" in response.text
    assert count(settings, "sign_in_links") == 0


def test_an_address_that_is_no_address_is_refused_in_japanese(client, mail_settings):
    response = ask_for_link(client, "ono at example")
    assert response.status_code == 400 and "メールアドレスの形になっていません" in response.text
    assert 'value="ono at example"' in response.text  # what was typed is kept


def test_requests_for_one_address_are_throttled_like_passwords(client, mail_settings, settings):
    with clock.stopped_at(MOMENT):
        assert [ask_for_link(client, "ono@example.jp").status_code for _ in range(5)] == [200] * 5
        refused = ask_for_link(client, "ono@example.jp")
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) == 30
        assert "リンクの申し込みが続いた" in refused.text
        assert ask_for_link(client, "oda@example.jp").status_code == 200  # another address is not held back
    assert count(settings, "sign_in_links") == 6
    assert count(settings, "audit_log", "action = 'auth.lockout'") >= 1


def test_wrong_links_hold_the_client_back_even_with_a_good_one_then(client, mail_settings, settings, world):
    with clock.stopped_at(MOMENT):
        ask_for_link(client, "ono@example.jp")
        [mail] = mail_pass(mail_settings)
        good = LINK.search(mail.get_content())[1]
        assert [use(client, f"/office/login/link/guess{n}")[0].status_code for n in range(5)] == [401] * 5
        held, _ = use(client, good)
        assert held.status_code == 429 and "使えないログイン用リンクが続いた" in held.text
    with clock.stopped_at(MOMENT + timedelta(seconds=31)):
        assert use(client, good)[0].status_code == 303  # the wait is over; the link was not spent meanwhile
    actions = dict(query(settings, "SELECT action, count(*) FROM audit_log WHERE action LIKE 'auth.%' GROUP BY action"))
    assert actions["auth.link_requested"] == 1 and actions["auth.link_issued"] == 1
    assert actions["auth.link_refused"] == 5 and actions["auth.login_link"] == 1
    assert query(settings, "SELECT user_id FROM audit_log WHERE action = 'auth.login_link'") == [(world.users["ono"],)]
