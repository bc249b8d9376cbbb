"""Who may use which door: the guards of server/http/guards.py answer each role with the same codes and
messages as before they were guards, sign the caller in first (401 before 403), let Litestar's
automatic OPTIONS answers through, and are the only role checks outside server/users/access.py."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from server.http import guards
from tests.office.pages import post_form, sign_in

SERVER = Path(__file__).resolve().parents[2] / "server"


@pytest.mark.parametrize("login, status, code", [
    ("aoki", 403, "office_only"), ("mori", 403, "office_only"), ("ono", 403, "office_only"), ("ueda", 200, None),
    ("admin", 200, None),
])
def test_only_clerks_and_admins_list_disasters(as_, login, status, code):
    response = as_(login).get("/api/v1/disaster-events")
    assert response.status_code == status, response.text
    if code:
        assert response.json() == {"code": code, "message": "災害の登録は郵便局の担当者だけができます。", "details": None,
                                   "request_id": response.headers["x-request-id"]}


@pytest.mark.parametrize("login, status", [("aoki", 200), ("ueda", 403), ("mori", 403), ("ono", 403), ("admin", 403)])
def test_only_carriers_pull(as_, login, status):
    response = as_(login).get("/api/v1/sync/pull")
    assert response.status_code == status, response.text
    if status == 403:
        assert response.json()["code"] == "carriers_only"
        assert response.json()["message"] == "この機能は配達員の端末専用です。"


@pytest.mark.parametrize("login", ["aoki", "mori", "ono"])
def test_monthly_schedule_is_refused_to_all_but_clerks(as_, login):
    response = as_(login).post("/api/v1/schedule/monthly", json={"month": "2026-12"})
    assert response.status_code == 403
    assert response.json()["code"] == "office_only"
    assert response.json()["message"] == "月次の見回り作業は郵便局の担当者だけが作成できます。"


@pytest.mark.parametrize("login", ["aoki", "mori"])
def test_owner_documents_are_not_found_for_carriers_and_municipalities(as_, world, login):
    response = as_(login).get(f"/api/v1/reports/owner/{world.properties['watched']}", params={"month": "2026-11"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["message"] == "報告書が見つかりません。番号を確かめてください。"


def test_no_token_is_401_before_any_role_is_asked(client):
    for method, url in (("GET", "/api/v1/disaster-events"), ("GET", "/api/v1/sync/pull"),
                        ("POST", "/api/v1/schedule/monthly"), ("POST", "/api/v1/inspections/x/review")):
        response = client.request(method, url, headers={"Authorization": "Bearer not-a-token"})
        assert response.status_code == 401, (url, response.text)
        assert response.json()["code"] == "unauthenticated"


def test_review_by_a_carrier_is_404_for_an_unseen_inspection_and_403_otherwise(as_):
    response = as_("aoki").post("/api/v1/inspections/00000000-0000-4000-8000-000000000000/review",
                                json={"decision": "approve"})
    assert response.status_code == 404
    assert response.json()["message"] == "記録が見つかりません。番号を確かめてください。"


@pytest.mark.parametrize("login, code, message", [
    ("aoki", "carrier_use_app", "配達員の方は作業用アプリ（/app/）をお使いください。"),
    ("mori", "wrong_role", "このページは郵便局の担当者用です。"),
    ("ono", "wrong_role", "このページは郵便局の担当者用です。"),
])
def test_clerk_pages_tell_others_whose_page_it_is(client, login, code, message):
    sign_in(client, login)
    for url in ("/office/tasks", "/office/review", "/office/properties", "/office/subscriptions", "/office/disasters"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert message in response.text, url


def test_contract_pages_name_both_roles_and_creating_names_the_clerk(client):
    sign_in(client, "ono")
    response = client.get("/office/contracts")
    assert response.status_code == 403
    assert "このページは郵便局の担当者・自治体の担当者用です。" in response.text
    sign_in(client, "mori")
    assert client.get("/office/contracts").status_code == 200
    response = post_form(client, "/office/contracts", {"title": "x"})
    assert response.status_code == 403
    assert "このページは郵便局の担当者用です。" in response.text


def test_signed_out_pages_still_go_to_sign_in(client):
    response = client.get("/office/tasks", follow_redirects=False)
    assert response.status_code in (302, 303, 307)
    assert response.headers["location"].startswith("/office/login")


@pytest.mark.parametrize("url", ["/api/v1/disaster-events", "/api/v1/sync/pull", "/office/tasks", "/office/contracts"])
def test_guarded_doors_answer_options_without_anyone_signed_in(client, url):
    assert client.options(url).status_code == 204


def test_role_checks_live_in_access_py_only():
    """No `x.role ==`, `x.role in (...)` outside server/users/access.py and the guards' refusals; the home page
    picks a page per role (which home, not whether one may enter); the demo's staff list is not a user."""
    found = []
    for path in sorted(SERVER.rglob("*.py")):
        relative = path.relative_to(SERVER).as_posix()
        if relative in ("users/access.py", "http/guards.py", "office/home_pages.py") or relative.startswith("demo/"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Compare) and any(
                    isinstance(side, ast.Attribute) and side.attr == "role" for side in (node.left, *node.comparators)):
                found.append(f"{relative}:{node.lineno}")
    assert found == []


def test_every_guard_names_its_roles():
    doors = {name: getattr(guards, name) for name in dir(guards) if name.isupper() and callable(getattr(guards, name))}
    assert {name: door.roles for name, door in doors.items()} == {
        "ADMIN_PAGE": ("admin",), "CARRIER_DEVICE": ("carrier",), "CLERK_OR_MUNICIPALITY_PAGE": ("office", "municipality"),
        "CLERK_PAGE": ("office",), "DISASTER_DESK": ("office",), "MONTHLY_SCHEDULE": ("office",),
        "OWNER_DOCUMENTS": ("owner", "office"), "OWNER_PAGE": ("owner",), "REVIEWER": ("office",)}
