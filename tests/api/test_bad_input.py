"""Input that gave a 500 before: deep JSON and numbers no SQLite row can have. Each is a clear
4xx in Japanese, before sign-in is checked, and nothing is stored."""

import json

import pytest
from litestar.routes import HTTPRoute

from server.app import create_app
from server.core.settings import Settings
from tests.office.pages import csrf_token, sign_in
from tests.support.field import watch_visit

DEEP = b"[" * 1000 + b"]" * 1000
HUGE_IDS = [2**63, -(2**63) - 1]


def _post_json(client, url, body: bytes, token: str | None = None):
    headers = {"content-type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return client.post(url, content=body, headers=headers)


def _assert_too_deep(response):
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "too_deeply_nested"
    assert "入れ子が深すぎます" in response.json()["message"]


@pytest.mark.parametrize("url", ["/api/v1/auth/login", "/api/v1/sync/push",
                                 "/api/v1/inspections/00000000-0000-4000-8000-000000000000/review"])
@pytest.mark.parametrize("signed_in", [False, True])
def test_json_nested_a_thousand_deep_is_400_before_and_after_sign_in(client, as_, url, signed_in):
    token = as_("aoki").token if signed_in else None
    _assert_too_deep(_post_json(client, url, DEEP, token))
    _assert_too_deep(_post_json(client, url, b'{"login": ' + DEEP + b', "password": "x"}', token))


def test_a_push_with_one_deeply_nested_answer_stores_none_of_its_ops(world, as_, client):
    aoki = as_("aoki")
    good, nested = watch_visit(world), watch_visit(world)
    body = json.dumps({"device_id": "phone-1", "ops": [good.op(), nested.op()]}).encode()
    body = body.replace(b'"notes": ""', b'"notes": "", "deep": ' + DEEP, 1)
    _assert_too_deep(_post_json(client, "/api/v1/sync/push", body, aoki.token))
    assert aoki.get(f"/api/v1/inspections/{good.id}").status_code == 404


def _int_routes():
    """(method, path with placeholders) of every route that takes an integer path parameter."""
    app = create_app(Settings())
    found = []
    for route in app.routes:
        if isinstance(route, HTTPRoute) and any(p.type is int for p in route.path_parameters.values()):
            found += [(method, route) for method in sorted(route.methods) if method not in ("OPTIONS", "HEAD")]
    return found


INT_ROUTES = _int_routes()


def test_the_int_routes_include_the_ones_that_gave_500():
    paths = {route.path_format for _, route in INT_ROUTES}
    assert {"/api/v1/disaster-events/{event_id}", "/office/disasters/{event_id}",
            "/office/contracts/{contract_id}"} <= paths


@pytest.mark.parametrize("huge", HUGE_IDS)
@pytest.mark.parametrize(("method", "route"), INT_ROUTES, ids=[f"{m} {r.path}" for m, r in INT_ROUTES])
def test_a_number_no_record_can_have_is_404_on_every_int_route(client, as_, method, route, huge):
    admin = as_("admin")
    sign_in(client, "admin")
    values = {name: (huge if p.type is int else "pause") for name, p in route.path_parameters.items()}
    url = route.path_format.format(**values)
    if url.startswith("/office/"):
        data = {"_csrf_token": csrf_token(client, "/office/")} if method != "GET" else None
        response = client.request(method, url, data=data, follow_redirects=False)
    else:
        response = client.request(method, url, headers=admin.headers, json={} if method != "GET" else None)
    assert response.status_code == 404, (url, response.status_code, response.text[:300])
    if not url.startswith("/office/"):
        assert response.json()["code"] == "not_found"
    else:
        assert "見つかりません" in response.text
