"""A clerk issues an owner's sign-in from the owner's page: one login, a random password shown once."""

import re

from server.subscriptions.owner_logins import PASSWORD_ALPHABET, initial_password
from tests.office.db import count, execute, query
from tests.office.pages import csrf_token, post_form, sign_in

PASSWORD_SHOWN = re.compile(r"初期パスワード</dt><dd><code>([^<]+)</code>")


def new_owner(settings, world, house: str = "watched") -> int:
    """An owner with a watched house and no login yet (the world's owners all have one)."""
    execute(settings, "INSERT INTO owners (id, name, created_at) VALUES (50, '佐藤 花子', '2026-01-01')")
    execute(settings, """INSERT INTO watch_subscriptions (property_id, owner_id, options, start_date, created_at,
                         updated_at) VALUES (?, 50, '[]', '2026-01-01', '2026-01-01', '2026-01-01')""",
            world.properties[house])
    return 50


def issue(client, owner_id: int, login: str):
    return post_form(client, f"/office/owners/{owner_id}/login", {"login": login}, page=f"/office/owners/{owner_id}")


def test_an_initial_password_is_twelve_unambiguous_characters_and_never_the_same():
    passwords = {initial_password() for _ in range(200)}
    assert len(passwords) == 200
    assert all(len(p) == 12 and set(p) <= set(PASSWORD_ALPHABET) for p in passwords)
    assert not set("0O1lIio") & set(PASSWORD_ALPHABET)


def test_the_owner_signs_in_with_the_password_shown_once(client, world, settings):
    owner_id = new_owner(settings, world)
    sign_in(client, "ueda")
    assert "ログインを発行" in client.get(f"/office/owners/{owner_id}").text
    response = issue(client, owner_id, "sato-hanako")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    password = PASSWORD_SHOWN.search(response.text)[1]
    assert query(settings, "SELECT role, owner_id, name FROM users WHERE login = 'sato-hanako'") == [
        ("owner", owner_id, "佐藤 花子")]
    assert password not in client.get(f"/office/owners/{owner_id}").text
    assert count(settings, "audit_log", "action = 'user.add'") == count(settings, "users")
    assert count(settings, "audit_log", "action = 'owner.login_issue' AND entity_id = ?", str(owner_id)) == 1
    assert password not in str(query(settings, "SELECT details FROM audit_log"))

    client.cookies.clear()
    signed_in = client.post("/office/login", data={"login": "sato-hanako", "password": password, "next": "/office/",
                                                   "_csrf_token": csrf_token(client)})
    assert signed_in.status_code == 200 and "東京都千代田区一番町1-1" in signed_in.text


def test_a_second_login_for_the_same_owner_is_refused(client, world, settings):
    owner_id = new_owner(settings, world)
    sign_in(client, "ueda")
    issue(client, owner_id, "sato-hanako")
    again = issue(client, owner_id, "sato-2")
    assert again.status_code == 409
    assert "佐藤 花子 様には既にログイン（sato-hanako）があります" in again.text
    assert count(settings, "users", "owner_id = ?", owner_id) == 1


def test_a_login_already_in_use_is_refused_on_the_form(client, world, settings):
    owner_id = new_owner(settings, world)
    sign_in(client, "ueda")
    response = issue(client, owner_id, "aoki")
    assert response.status_code == 400
    assert "ログイン名 aoki は既に使われています" in response.text and 'value="aoki"' in response.text
    assert count(settings, "users", "owner_id = ?", owner_id) == 0
    assert count(settings, "audit_log", "action = 'owner.login_issue'") == 0


def test_a_clerk_of_another_office_cannot_see_the_owner_or_issue_a_login(client, world, settings):
    owner_id = new_owner(settings, world)  # the house is 中央局's; kudo is 北局's clerk
    sign_in(client, "kudo")
    assert client.get(f"/office/owners/{owner_id}").status_code == 404
    assert post_form(client, f"/office/owners/{owner_id}/login", {"login": "sato"}).status_code == 404
    assert count(settings, "users", "owner_id = ?", owner_id) == 0


def test_an_admin_may_issue_a_login_for_any_owner(client, world, settings):
    owner_id = new_owner(settings, world, house="north")
    sign_in(client, "admin")
    assert issue(client, owner_id, "sato-hanako").status_code == 200
    assert count(settings, "users", "owner_id = ?", owner_id) == 1


def test_the_subscription_page_leads_to_the_owner(client, world):
    sign_in(client, "ueda")
    page = client.get("/office/subscriptions").text
    assert f'href="/office/owners/{world.owners["ono"]}"' in page
    assert "ログイン名</dt><dd>ono" in client.get(f"/office/owners/{world.owners['ono']}").text


def test_a_lost_letter_gets_a_new_password_and_the_old_one_stops_working(client, world, settings):
    owner_id = new_owner(settings, world)
    sign_in(client, "ueda")
    first = PASSWORD_SHOWN.search(issue(client, owner_id, "sato-hanako").text)[1]
    assert "初期パスワードを再発行" in client.get(f"/office/owners/{owner_id}").text
    reissued = post_form(client, f"/office/owners/{owner_id}/password", {}, page=f"/office/owners/{owner_id}")
    assert reissued.status_code == 200 and reissued.headers["cache-control"] == "no-store"
    assert "初期パスワードを再発行しました" in reissued.text
    second = PASSWORD_SHOWN.search(reissued.text)[1]
    assert second != first
    assert count(settings, "audit_log", "action = 'user.password_reset'") == 1

    client.cookies.clear()
    for password, status in ((first, 401), (second, 200)):
        answer = client.post("/api/v1/auth/login", json={"login": "sato-hanako", "password": password})
        assert answer.status_code == status


def test_another_offices_clerk_cannot_reset_an_owners_password(client, world, settings):
    owner_id = new_owner(settings, world)
    sign_in(client, "ueda")
    issue(client, owner_id, "sato-hanako")
    client.cookies.clear()
    sign_in(client, "kudo")
    response = post_form(client, f"/office/owners/{owner_id}/password", {}, page="/office/")
    assert response.status_code == 404
    assert count(settings, "audit_log", "action = 'user.password_reset'") == 0


def test_every_generated_one_time_password_passes_the_password_policy():
    from server.auth.password_policy import password_problem

    for _ in range(300):
        password = initial_password("sato-hanako")
        assert password_problem(password, "sato-hanako") is None, password


def test_a_generated_password_the_policy_would_refuse_is_drawn_again(monkeypatch):
    draws = iter("qwertyuzxcvb" + "Kp7wRt3mXq9L")  # a keyboard row first, then a random one
    monkeypatch.setattr("server.subscriptions.owner_logins.secrets.choice", lambda alphabet: next(draws))
    assert initial_password("sato-hanako") == "Kp7wRt3mXq9L"
