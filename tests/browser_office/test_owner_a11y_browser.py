"""The owner's pages for a reader who is elderly and far away, in Debian's Chromium against the demo town:
axe-core (npm, package.json) finds nothing on a phone and a PC; text follows the browser's own font size;
every link and button is at least 44 px high; focus rings stand out 3:1 from what is behind them (here,
in the office and in the carrier's app too); the post office's phone and hours are on the page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.browser_office.conftest import CHROMIUM, LAUNCH_ARGS, screenshot, sign_in

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PHONE, PC = {"width": 390, "height": 844}, {"width": 1366, "height": 900}
OWNER_PAGES = ["/office/login", "/office/login/link", "/office/"]


@pytest.fixture(scope="module")
def playwright():
    with sync_playwright() as p:
        yield p


@pytest.fixture
def open_page(playwright, demo_server, tmp_path):
    """A page in a fresh profile whose browser setting says the default font size (Chromium's
    "Preferences" file, as the settings page writes it), signed in as `login` if given."""
    contexts = []

    def open_as(login: str | None, viewport: dict, font_size: int = 16):
        profile = tmp_path / f"profile-{len(contexts)}"
        (profile / "Default").mkdir(parents=True)
        (profile / "Default" / "Preferences").write_text(
            json.dumps({"webkit": {"webprefs": {"default_font_size": font_size}}}), encoding="utf-8")
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=LAUNCH_ARGS, base_url=demo_server.base_url,
            locale="ja-JP", viewport=viewport)
        contexts.append(context)
        page = context.pages[0] if context.pages else context.new_page()
        if login:
            sign_in(page, login)
        return page

    yield open_as
    for context in contexts:
        context.close()


def axe_violations(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by DevTools: the page's CSP forbids inline script
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           AXE_TAGS)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


@pytest.mark.parametrize("viewport", [PHONE, PC], ids=["phone", "pc"])
def test_axe_finds_nothing_on_the_owners_pages(open_page, viewport):
    page = open_page("owner1", viewport)
    found = {}
    for url in OWNER_PAGES[::-1]:  # the signed-in page first, then the sign-in pages after signing out
        if url != "/office/":
            page.context.clear_cookies()
        page.goto(url)
        screenshot(page, f"owner_a11y_{viewport['width']}_{url.strip('/').replace('/', '_')}")
        found[url] = axe_violations(page)
    assert found == {url: [] for url in OWNER_PAGES}


def test_text_follows_the_font_size_the_reader_set_in_the_browser(open_page):
    page = open_page("owner1", PHONE, font_size=24)
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "24px"
    body_text = page.locator("main dd").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert body_text >= 24
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "sideways scrolling at 390 px"
    screenshot(page, "owner_home_text_24px_phone")


def small_targets(page) -> list[str]:
    small = []
    for target in page.locator("a:visible, button:visible").all():
        box = target.bounding_box()
        if box["height"] < 44:
            small.append(f"{target.inner_text().strip()[:20]} {box['width']:.0f}×{box['height']:.0f}")
    return small


@pytest.mark.parametrize("viewport", [PHONE, PC], ids=["phone", "pc"])
def test_every_link_and_button_of_the_owner_is_at_least_44_px_high(open_page, viewport):
    page = open_page("owner1", viewport)
    assert page.locator("a[href*='/api/v1/reports/owner/']").count() > 0  # the monthly PDFs are measured
    found = {"/office/": small_targets(page)}
    page.context.clear_cookies()
    for url in ("/office/login", "/office/login/link"):
        page.goto(url)
        found[url] = small_targets(page)
    assert found == {"/office/": [], "/office/login": [], "/office/login/link": []}


def test_the_post_offices_phone_and_hours_are_on_the_owners_page(open_page, demo_server):
    page = open_page("owner1", PHONE)
    name, phone, hours = demo_server.rows("""
        SELECT DISTINCT o.name, o.phone, o.hours FROM post_offices o JOIN properties p ON p.office_code = o.code
        JOIN watch_subscriptions s ON s.property_id = p.id JOIN users u ON u.owner_id = s.owner_id
        WHERE u.login = 'owner1'""")[0]
    contact = page.get_by_role("contentinfo")
    assert name in contact.inner_text() and hours in contact.inner_text()
    assert contact.get_by_role("link", name=phone).get_attribute("href") == f"tel:{phone.replace('-', '')}"


def _luminance(rgb: tuple[float, ...]) -> float:
    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# The focused element's outline, and the colour it is drawn on: the first ancestor with an opaque
# background (the ring lies outside the element, offset by 2 px).
FOCUS_RING = """() => {
  const e = document.activeElement, style = getComputedStyle(e);
  let under = e.parentElement, bg = 'rgb(255, 255, 255)';
  for (; under; under = under.parentElement) {
    const c = getComputedStyle(under).backgroundColor;
    if (c !== 'transparent' && !c.startsWith('rgba(0, 0, 0, 0)')) { bg = c; break; }
  }
  return {what: e.outerHTML.slice(0, 60), color: style.outlineColor, width: parseFloat(style.outlineWidth),
          style: style.outlineStyle, background: bg};
}"""


def _rgb(css: str) -> tuple[float, ...]:
    return tuple(float(x) for x in re.findall(r"[\d.]+", css)[:3])


def weak_focus_rings(page, presses: int = 12) -> list[str]:
    """Tab through the page: every focused element's ring, with its contrast where it is too weak."""
    weak, seen = [], 0
    for _ in range(presses):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if ring["what"].startswith("<body"):
            continue
        seen += 1
        ratio = contrast(_rgb(ring["color"]), _rgb(ring["background"]))
        if ring["style"] == "none" or ring["width"] < 2 or ratio < 3:
            weak.append(f"{ring['what']} {ring['color']} on {ring['background']}: {ratio:.1f}:1")
    assert seen, "nothing took the focus"
    return weak


def test_focus_rings_stand_out_3_to_1_for_owners_clerks_and_carriers(open_page):
    owner = open_page("owner1", PC)
    assert weak_focus_rings(owner) == []
    clerk = open_page("office1", PC)
    assert weak_focus_rings(clerk) == []
    carrier = open_page(None, PHONE)
    carrier.goto("/app/")
    carrier.wait_for_selector("input, button")
    assert weak_focus_rings(carrier, presses=6) == []
