"""Signing in to the pages, the session cookie, and CSRF protection of every form."""

from tests.office.db import count
from tests.office.pages import csrf_token, post_form, sign_in
from tests.support.world import PASSWORD


def test_signing_in_sets_an_httponly_samesite_session_cookie(client, settings):
    token = csrf_token(client)
    response = client.post("/office/login", data={"login": "ueda", "password": PASSWORD, "_csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "akiya_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain HTTP in tests; set when served over HTTPS
    assert count(settings, "auth_tokens") == 1


def test_a_wrong_password_shows_the_form_again_with_a_message(client):
    response = client.post("/office/login", data={"login": "ueda", "password": "nope",
                                                  "_csrf_token": csrf_token(client)})
    assert response.status_code == 401
    assert "ログイン名またはパスワードが違います" in response.text


def test_a_form_without_its_csrf_token_is_refused(client, world):
    sign_in(client, "ueda")
    response = client.post("/office/tasks/assign", data={"task_id": world.tasks["watch"],
                                                        "carrier_id": str(world.users["aoki"])})
    assert response.status_code == 403


def test_a_form_with_a_forged_csrf_token_is_refused(client, world):
    sign_in(client, "ueda")
    response = client.post("/office/tasks/assign", data={"task_id": world.tasks["watch"], "_csrf_token": "forged",
                                                        "carrier_id": str(world.users["aoki"])})
    assert response.status_code == 403


def test_signing_in_itself_needs_the_csrf_token(client):
    response = client.post("/office/login", data={"login": "ueda", "password": PASSWORD})
    assert response.status_code == 403


def test_the_api_does_not_accept_the_session_cookie_for_writes(client):
    sign_in(client, "admin")
    response = client.post("/api/v1/schedule/monthly", json={"month": "2026-12"})
    assert response.status_code == 401


def test_signing_out_revokes_the_token(client, settings):
    sign_in(client, "ueda")
    assert post_form(client, "/office/logout").status_code == 303
    assert count(settings, "auth_tokens", "revoked_at IS NOT NULL") == 1
    assert client.get("/office/", follow_redirects=False).status_code in (302, 303, 307)


def test_pages_send_a_visitor_without_a_session_to_sign_in(client):
    response = client.get("/office/review", follow_redirects=False)
    assert response.status_code in (302, 303, 307)
    assert response.headers["location"].startswith("/office/login?next=/office/review")


def test_carriers_are_told_to_use_the_field_app(client):
    sign_in(client, "aoki")
    assert "/app/" in client.get("/office/").text
    response = client.get("/office/review")
    assert response.status_code == 403
    assert "/app/" in response.text


def test_guessing_a_clerks_password_on_the_pages_never_locks_the_clerk_out(settings, world):
    from litestar.testing import TestClient

    from server.app import create_app
    from tests.support.peers import PeerFromHeader, peer

    with TestClient(PeerFromHeader(create_app(settings))) as web:
        def try_password(password, address):
            return web.post("/office/login", headers=peer(address), follow_redirects=False,
                            data={"login": "ueda", "password": password, "_csrf_token": csrf_token(web)})

        for _ in range(5):
            assert try_password("guess-guess", "203.0.113.9").status_code == 401
        refused = try_password(PASSWORD, "203.0.113.9")
        assert refused.status_code == 429
        assert 0 < int(refused.headers["retry-after"]) <= 30
        assert "以降" in refused.text and "もう一度お試しください" in refused.text
        assert try_password(PASSWORD, "198.51.100.7").status_code == 303
