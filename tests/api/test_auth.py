"""Signing in: same answer for unknown login and wrong password, guessing slowed, tokens revocable."""

from tests.support import sql
from tests.support.client import problem
from tests.support.world import PASSWORD


def test_unknown_login_and_wrong_password_get_the_same_answer(client, world):
    unknown = client.post("/api/v1/auth/login", json={"login": "nobody", "password": "whatever-1"})
    wrong = client.post("/api/v1/auth/login", json={"login": "aoki", "password": "whatever-1"})
    assert unknown.status_code == wrong.status_code == 401
    assert problem(unknown) == problem(wrong)


def test_a_login_returns_a_token_and_the_user(client, world):
    response = client.post("/api/v1/auth/login", json={"login": "aoki", "password": PASSWORD})
    body = response.json()
    assert response.status_code == 200
    assert body["user"] == {"id": world.users["aoki"], "login": "aoki", "name": "青木 一郎", "role": "carrier"}
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.json()["login"] == "aoki"


def test_repeated_failures_are_refused_for_a_while_even_with_the_right_password(client, world):
    for _ in range(5):
        client.post("/api/v1/auth/login", json={"login": "kato", "password": "guess-guess"})
    refused = client.post("/api/v1/auth/login", json={"login": "kato", "password": PASSWORD})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    assert refused.json()["code"] == "too_many_attempts"


def test_a_logged_out_token_no_longer_works(as_):
    aoki = as_("aoki")
    assert aoki.post("/api/v1/auth/logout").status_code == 204
    assert aoki.get("/api/v1/me").status_code == 401


def test_logins_and_failures_are_in_the_audit_log(client, world, settings):
    client.post("/api/v1/auth/login", json={"login": "aoki", "password": "nope-nope"})
    client.post("/api/v1/auth/login", json={"login": "aoki", "password": PASSWORD})
    actions = [r[0] for r in sql.rows(settings.db, "SELECT action FROM audit_log WHERE action LIKE 'auth.%' ORDER BY id")]
    assert actions == ["auth.login_failed", "auth.login"]


def test_malformed_json_is_a_clear_400_not_a_500(client, world):
    response = client.post("/api/v1/auth/login", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["code"] in ("malformed_request", "invalid_request")
