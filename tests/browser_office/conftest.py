"""A real server on the demo town, and Debian's Chromium driven by Playwright (no downloads)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from server.demo.seed import DEMO_PASSWORD
from tests.support.live_server import AKIYA, LiveServer

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
# The demo town is laid out and served as on this day (AKIYA_CLOCK, server/core/clock.py): a Wednesday in the
# middle of a month, so its past month, its reviews and its owners' reports are the same on any day the
# tests run. The calendar's edges are tested where they matter (tests/foundation/test_calendar_moments.py).
DEMO_MOMENT = "2026-11-18T10:00:00+09:00"
SCREENSHOTS = Path(os.environ.get("AKIYA_SCREENSHOTS", "/tmp/akiya-office-screenshots"))


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """`akiya seed-demo` once, then the shared live server on it (tests/support/live_server.py)."""
    root = tmp_path_factory.mktemp("demo")
    db, data = root / "akiya.sqlite3", root / "data"
    clock = {"AKIYA_CLOCK": DEMO_MOMENT}
    subprocess.run([AKIYA, "seed-demo", "--db", db, "--data-dir", data], check=True, capture_output=True, timeout=180,
                   env={**os.environ, **clock})
    with LiveServer(db, data, env=clock) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, demo_server):
    """A fresh browser context (its own cookies) per persona: `new_page("office1")`."""
    contexts = []

    def open_as(login: str | None = None, **context_options):
        context = browser.new_context(base_url=demo_server.base_url, locale="ja-JP", accept_downloads=True,
                                      **{"viewport": {"width": 1280, "height": 900}, **context_options})
        contexts.append(context)
        page = context.new_page()
        if login:
            sign_in(page, login)
        return page

    yield open_as
    for context in contexts:
        context.close()


def sign_in(page, login: str) -> None:
    """Sign in to the office pages as a demo login, as a person would (the form)."""
    page.goto("/office/login")
    page.get_by_label("ログイン名").fill(login)
    page.get_by_label("パスワード").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url("**/office/")


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
