"""The owner's message thread with the post office: both sides see the whole history, the other side hears
of a new message by e-mail, only the owner and the clerks of their house's office see it, and text follows
the limits of the push's notes."""

from __future__ import annotations

import asyncio

from server.db import database_for
from server.mail.owner_messages import deliver_message_notices
from tests.office.db import count, query
from tests.office.pages import post_form, sign_in


def notices(settings) -> list:
    sent = []

    async def send(msg):
        sent.append(msg)

    async def go():
        async with database_for(settings.db, readers=1) as db:
            await deliver_message_notices(db, settings, send)

    asyncio.run(go())
    return [(m["To"].addresses[0].addr_spec, m["Subject"]) for m in sent]


def test_owner_and_office_see_one_thread_and_each_hears_of_the_others_message(client, settings, world):
    client.app.state.settings = settings.model_copy(update={"office_mail_to": "madoguchi@post.example"})
    ono = world.owners["ono"]
    sign_in(client, "ono")
    asked = post_form(client, "/office/messages", {"message": "来月、庭の柿の木の写真も\nお願いできますか。"})
    assert asked.status_code == 303 and asked.headers["location"].startswith("/office/?msg=message_sent")

    sign_in(client, "ueda")
    assert f'href="/office/owners/{ono}#messages">小野 和子 様</a>' in client.get("/office/").text  # awaiting an answer
    page = client.get(f"/office/owners/{ono}").text
    assert "来月、庭の柿の木の写真も\nお願いできますか。" in page
    answered = post_form(client, f"/office/owners/{ono}/messages", {"message": "承知しました。次回撮影します。"},
                         page=f"/office/owners/{ono}")
    assert answered.status_code == 303
    assert "未返信" not in client.get("/office/").text

    sign_in(client, "ono")
    mine = client.get("/office/").text
    assert mine.index("柿の木") < mine.index("承知しました。次回撮影します。")
    assert "郵便局（上田 花子）" in mine
    assert notices(settings.model_copy(update={"office_mail_to": "madoguchi@post.example"})) == [
        ("madoguchi@post.example", "【空き家みまもり】小野 和子 様からメッセージ"),
        ("ono@example.jp", "【空き家みまもり】郵便局からメッセージが届いています")]
    assert notices(settings) == []  # each told once
    assert query(settings, "SELECT details FROM audit_log WHERE action = 'owner_message.create' ORDER BY id")[1][0] \
        .count('"side":"office"') == 1


def test_another_office_and_another_owner_see_nothing_of_the_thread(client, world, settings):
    ono = world.owners["ono"]
    sign_in(client, "ono")
    post_form(client, "/office/messages", {"message": "鍵の件でご相談です。"})
    sign_in(client, "kudo")  # a clerk of the other office
    assert "小野 和子" not in client.get("/office/").text
    assert client.get(f"/office/owners/{ono}").status_code == 404
    assert post_form(client, f"/office/owners/{ono}/messages", {"message": "横から失礼します"},
                     page="/office/").status_code == 404
    sign_in(client, "oda")
    assert "鍵の件でご相談です。" not in client.get("/office/").text
    assert count(settings, "owner_messages") == 1


def test_text_beyond_the_notes_limit_empty_or_with_control_characters_is_refused_and_kept(client, settings):
    sign_in(client, "ono")
    too_long = post_form(client, "/office/messages", {"message": "あ" * 2001})
    assert too_long.status_code == 400
    assert "2000文字以内" in too_long.text and "2001文字" in too_long.text and "あ" * 2001 in too_long.text
    assert post_form(client, "/office/messages", {"message": "  \n "}).status_code == 400
    assert post_form(client, "/office/messages", {"message": "ベル\x07"}).status_code == 400
    assert count(settings, "owner_messages") == 0
    assert post_form(client, "/office/messages", {"message": "あ" * 2000}).status_code == 303
