"""Every kind of response carries the security headers (issue 10, item 10): API answers and
errors, router 404s, office pages and error pages, the field app and its service worker,
photos, the API reference. No office template holds inline script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from litestar.testing import TestClient

from server.app import create_app
from server.office.pages import TEMPLATES_DIR
from tests.office.pages import sign_in
from tests.support.field import watch_visit


@pytest.fixture
def photo_id(as_, world):
    """A stored photo's id, made only when a case asks for it (photos take a while)."""
    def make() -> str:
        visit = watch_visit(world)
        assert as_("aoki").push([visit.op()])[0]["status"] == "applied"
        assert set(visit.upload_all(as_("aoki"))) == {201}
        return next(iter(visit.photos))
    return make


def _api_json(client, as_, photo_id):
    return as_("aoki").get("/api/v1/sync/pull")


def _api_401(client, as_, photo_id):
    return client.get("/api/v1/sync/pull")


def _router_404(client, as_, photo_id):
    return client.get("/no/such/thing")


def _photo_upload_answer(client, as_, photo_id):
    return as_("aoki").head(f"/api/v1/photos/{photo_id()}")


def _photo(client, as_, photo_id):
    sign_in(client, "ueda")
    return client.get(f"/office/photos/{photo_id()}/thumb")


def _office_login(client, as_, photo_id):
    return client.get("/office/login")


def _office_page(client, as_, photo_id):
    sign_in(client, "ueda")
    return client.get("/office/map")


def _office_error_page(client, as_, photo_id):
    sign_in(client, "ueda")
    return client.get("/office/properties/no-such-house")


def _field_app(client, as_, photo_id):
    return client.get("/app/")


def _service_worker(client, as_, photo_id):
    return client.get("/app/sw.js")


def _field_app_script(client, as_, photo_id):
    return client.get("/app/js/main.js")


def _stylesheet(client, as_, photo_id):
    return client.get("/office/static/office.css")


def _api_reference(client, as_, photo_id):
    return client.get("/schema")


def _openapi_json(client, as_, photo_id):
    return client.get("/schema/openapi.json")


RESPONSES = {  # name -> (fetch, expected status, a document or script the browser runs)
    "api json": (_api_json, 200, False), "api 401": (_api_401, 401, False), "router 404": (_router_404, 404, False),
    "photo upload state": (_photo_upload_answer, 200, False), "photo": (_photo, 200, False),
    "office login": (_office_login, 200, True), "office page": (_office_page, 200, True),
    "office 404 page": (_office_error_page, 404, True), "field app": (_field_app, 200, True),
    "service worker": (_service_worker, 200, True), "field app module": (_field_app_script, 200, True),
    "stylesheet": (_stylesheet, 200, False), "api reference": (_api_reference, 200, True),
    "openapi json": (_openapi_json, 200, False),
}


def _directives(policy: str) -> dict[str, str]:
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("kind", RESPONSES)
def test_every_kind_of_response_carries_the_security_headers(kind, client, as_, photo_id):
    fetch, status, runs_in_browser = RESPONSES[kind]
    response = fetch(client, as_, photo_id)
    assert response.status_code == status
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-frame-options"] == "DENY"
    policy = _directives(response.headers["content-security-policy"])
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert "strict-transport-security" not in response.headers  # plain HTTP
    if runs_in_browser:
        assert policy["script-src"] == "script-src 'self'"
        assert policy["style-src"] == "style-src 'self'"
        assert policy["object-src"] == "object-src 'none'"
        assert "unsafe" not in response.headers["content-security-policy"]
    else:
        assert policy["default-src"] == "default-src 'none'"


def test_a_photo_is_never_sniffed_as_anything_but_a_jpeg(client, as_, photo_id):
    response = _photo(client, as_, photo_id)
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert _directives(response.headers["content-security-policy"])["default-src"] == "default-src 'none'"


def test_hsts_is_sent_over_https_only_and_can_be_turned_off(settings, world):
    with TestClient(create_app(settings), base_url="https://akiya.example") as https:
        assert https.get("/healthz").headers["strict-transport-security"] == "max-age=31536000"
        assert https.get("/office/login").headers["strict-transport-security"] == "max-age=31536000"
    off = settings.model_copy(update={"hsts_max_age": 0})
    with TestClient(create_app(off), base_url="https://akiya.example") as https:
        assert "strict-transport-security" not in https.get("/healthz").headers


def test_the_office_map_may_load_tiles_from_the_configured_tile_server_only(tmp_path, world, settings):
    tiled = settings.model_copy(update={"tile_url": "https://tiles.example.jp/{z}/{x}/{y}.png"})
    with TestClient(create_app(tiled)) as client:
        sign_in(client, "ueda")
        policy = _directives(client.get("/office/map").headers["content-security-policy"])
    assert policy["img-src"] == "img-src 'self' blob: data: https://tiles.example.jp"
    assert policy["connect-src"] == "connect-src 'self'"


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event-handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style", re.I), "inline <style>"),
]


def test_no_office_template_holds_inline_script_or_style():
    found = [f"{path.name}: {what}" for path in sorted(Path(TEMPLATES_DIR).glob("*.html"))
             for pattern, what in INLINE if pattern.search(path.read_text(encoding="utf-8"))]
    assert found == []


def test_the_template_scan_finds_inline_script():
    page = '<p>x</p><script>alert(1)</script><button onclick="go()">'
    assert [what for pattern, what in INLINE if pattern.search(page)] == ["inline <script>", "event-handler attribute"]
