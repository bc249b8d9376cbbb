"""The office pages and the API reference work under their Content-Security-Policy (issue 10,
item 10): Chromium reports no violation on any main page, and /schema fetches nothing from
another origin."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.browser_office.conftest import screenshot
from tests.browser_office.test_office_browser import MAIN_PAGES

REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (e) => {
  (window.__csp ||= []).push(`${e.violatedDirective} blocked ${e.blockedURI}`);
});"""


def watched(page) -> list[str]:
    """Every CSP violation the page raises: the DOM event and Chromium's console report."""
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)
    page.context.add_init_script(REPORT_VIOLATIONS)
    return seen


def dom_violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")


def test_no_office_page_raises_a_csp_violation(new_page):
    login_page = new_page()
    console = [watched(login_page)]
    login_page.goto("/office/login")
    problems = {"/office/login": dom_violations(login_page)}
    for login, urls in MAIN_PAGES.items():
        page = new_page()
        console.append(watched(page))
        page.goto("/office/login")
        page.get_by_label("ログイン名").fill(login)
        page.get_by_label("パスワード").fill("akiya-demo")
        page.get_by_role("button", name="ログイン").click()  # form-action 'self', then a redirect
        page.wait_for_url("**/office/")
        for url in urls:
            page.goto(url)
            problems[f"{login} {url}"] = dom_violations(page)
    assert {k: v for k, v in problems.items() if v} == {}
    assert [line for seen in console for line in seen] == []


def test_an_injected_inline_script_is_refused_and_reported(new_page):
    page = new_page()
    console = watched(page)
    page.goto("/office/login")
    page.evaluate("""() => { const s = document.createElement("script");
                             s.textContent = "window.__ran = true"; document.head.append(s); }""")
    page.wait_for_function("(window.__csp || []).length > 0")
    assert page.evaluate("window.__ran") is None
    assert dom_violations(page)[0].startswith("script-src")
    assert any("Content Security Policy" in line for line in console)


def test_the_api_reference_loads_nothing_from_another_origin(new_page, demo_server):
    page = new_page()
    seen = watched(page)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto("/schema")
    expect(page.get_by_role("heading", name="akiya API 1")).to_be_visible()
    expect(page.get_by_role("heading", name="POST /api/v1/sync/push")).to_be_visible()
    screenshot(page, "api_reference")
    origin = urlsplit(demo_server.base_url).netloc
    assert [u for u in requested if urlsplit(u).netloc != origin] == []
    assert page.evaluate("document.scripts.length") == 0
    assert dom_violations(page) == [] and seen == []
