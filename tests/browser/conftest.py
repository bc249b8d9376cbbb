"""Browser tests: a real server process per module, one Chromium per module, a fresh phone
(browser context: 360 × 740, geolocation allowed, service workers on) per test."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.carrier import Carrier
from tests.browser.live_server import PHONE, launch_chromium, start_server
from tests.support.bundle import fresh_bundle


@pytest.fixture(scope="session", autouse=True)
def bundle_is_fresh(tmp_path_factory):
    """The page runs field_app/app.bundle.js: a stale one would test yesterday's code."""
    from server.http.field_app import FIELD_APP_DIR
    if fresh_bundle(tmp_path_factory.mktemp("bundle")) != (FIELD_APP_DIR / "app.bundle.js").read_bytes():
        pytest.fail("field_app/app.bundle.js is older than field_app/js/: run `make bundle`")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = start_server(tmp_path_factory.mktemp("live"))
    yield live
    live.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(15000)
    yield context
    context.close()


@pytest.fixture
def carrier(phone, server):
    """The carrier's page; any uncaught script error or Content-Security-Policy violation on it fails the test."""
    errors: list[str] = []
    phone.on("weberror", lambda error: errors.append(str(error.error)))
    phone.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    yield Carrier(phone.new_page(), server.app_url)
    assert errors == []
