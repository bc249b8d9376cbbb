"""A real server on the demo town, and Debian's Chromium driven by Playwright (no downloads)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(os.environ.get("AKIYA_SCREENSHOTS", "/tmp/akiya-office-screenshots"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """`akiya seed-demo` once, then `akiya serve` as its own process; yields (base url, settings paths)."""
    root = tmp_path_factory.mktemp("demo")
    db, data = root / "akiya.sqlite3", root / "data"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    subprocess.run([BIN / "akiya", "seed-demo", "--db", db, "--data-dir", data], check=True, env=env,
                   capture_output=True, timeout=180)
    port = _free_port()
    log = open(root / "server.log", "w")
    server = subprocess.Popen([BIN / "akiya", "serve", "--db", db, "--data-dir", data, "--port", str(port)],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        server.kill()
        raise RuntimeError((root / "server.log").read_text())
    yield base, db
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, demo_server):
    """A fresh browser context (its own cookies) per persona: `new_page("office1")`."""
    base, _ = demo_server
    contexts = []

    def open_as(login: str | None = None, **context_options):
        context = browser.new_context(base_url=base, locale="ja-JP", accept_downloads=True,
                                      viewport={"width": 1280, "height": 900}, **context_options)
        contexts.append(context)
        page = context.new_page()
        if login:
            page.goto("/office/login")
            page.get_by_label("ログイン名").fill(login)
            page.get_by_label("パスワード").fill("akiya-demo")
            page.get_by_role("button", name="ログイン").click()
            page.wait_for_url("**/office/")
        return page

    yield open_as
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
