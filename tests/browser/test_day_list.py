"""The day's list on the phone: one card per house with all its tasks, and no sideways scroll on
a 320 px wide screen."""

from playwright.sync_api import expect

from tests.browser.carrier import Carrier
from tests.browser.live_server import PHONE


def test_a_house_with_a_disaster_and_a_watch_task_is_one_card_with_both(server, carrier):
    disaster = server.add_task("watched", kind="disaster", rubric_id="post_disaster", rubric_version=2, priority=2,
                               note="台風通過後の確認")
    watch = server.add_task("watched", kind="watch", rubric_id="watch_basic", rubric_version=2)
    carrier.sign_in()
    house = carrier.page.locator(f".task.house:has(a.card[data-task='{disaster}'])")
    expect(house).to_have_count(1)
    expect(house.locator(f"a.card[data-task='{watch}']")).to_have_count(1)
    expect(house.locator(".address")).to_have_count(1)
    expect(house.locator(".tag", has_text="この家の作業")).to_be_visible()
    assert carrier.page.locator(".task").first.evaluate("(el) => el.classList.contains('house')")  # 至急: first
    carrier.screenshot("day-one-card-per-house")
    house.locator(f"a.card[data-task='{watch}']").click()
    expect(carrier.page.locator("section.form h1")).to_contain_text("みまもり訪問")


WIDER_THAN_SCREEN = """() => [...document.querySelectorAll("body *")]
  .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .map((el) => `${el.tagName.toLowerCase()}.${el.className} 「${el.textContent.slice(0, 40)}」: ${Math.round(el.getBoundingClientRect().right)}`)"""


def test_nothing_scrolls_sideways_on_a_320_px_screen(server, browser):
    server.add_task("surveyed", kind="survey", rubric_id="municipal_survey", rubric_version=2,
                    note="北側の雨どいと勝手口の戸を確認してください（所有者からの依頼）")
    context = browser.new_context(**{**PHONE, "viewport": {"width": 320, "height": 640}})
    try:
        page = context.new_page()
        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
        carrier = Carrier(page, server.app_url)
        carrier.sign_in()
        assert page.evaluate(WIDER_THAN_SCREEN) == []
        carrier.sync_now()  # the top bar says 送受信中… for a moment: the longest it gets
        carrier.screenshot("day-list-320", full_page=True)
        assert page.evaluate(WIDER_THAN_SCREEN) == []
        page.context.set_offline(True)  # 圏外（端末に保存）
        page.wait_for_timeout(300)
        assert page.evaluate(WIDER_THAN_SCREEN) == []
        page.context.set_offline(False)
        page.locator("a.card[data-task]").first.click()
        expect(page.locator("section.form")).to_be_visible()
        assert page.evaluate(WIDER_THAN_SCREEN) == []
    finally:
        context.close()
