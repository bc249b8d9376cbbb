"""The v2 survey on a 390×844 phone with the CPU slowed ×4, as a carrier does it: per section one tap
for 「この区分はすべて当たらない」 or 「この区分は道路から確認できない」, then only the exceptions.
Taps are counted (photos aside: the camera), the form's height is measured in screens, and a
finding needs the damage photo or the reason it could not be taken."""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.carrier import Carrier
from tests.browser.live_server import PHONE

SCREEN = {"width": 390, "height": 844}


@pytest.fixture
def carrier(browser, server):
    context = browser.new_context(**{**PHONE, "viewport": SCREEN})
    context.set_default_timeout(20000)
    errors: list[str] = []
    context.on("weberror", lambda error: errors.append(str(error.error)))
    page = context.new_page()
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
    yield Carrier(page, server.app_url)
    context.close()
    assert errors == []


class Taps:
    """Every tap the carrier makes, counted."""

    def __init__(self, carrier: Carrier):
        self.carrier = carrier
        self.count = 0

    def on(self, locator) -> None:
        locator.click()
        self.count += 1

    def choose(self, key: str, label: str) -> None:
        item = self.carrier.item(key)
        folded = item.locator("xpath=ancestor::details[1]")
        if folded.count() and folded.get_attribute("open") is None:
            self.on(folded.locator("summary").first)  # opening the fold is a tap too
        self.on(item.locator("label.choice", has_text=label).first)

    def section(self, key: str, kind: str) -> None:
        self.on(self.carrier.page.locator(f"section[data-section='{key}'] button[data-fast='{kind}']"))


def open_survey(server, carrier: Carrier, taps: Taps, house: str = "surveyed") -> str:
    task = server.add_task(house, kind="survey", rubric_id="municipal_survey", rubric_version=2)
    carrier.sign_in()
    taps.on(carrier.page.locator(f"a.card[data-task='{task}']"))
    expect(carrier.page.locator("section.form")).to_be_visible()
    return task


def saved_answers(server, carrier: Carrier, task: str) -> dict:
    for _ in range(150):
        rows = server.rows("SELECT answers FROM inspections WHERE task_id = ?", task)
        if rows:
            return json.loads(rows[0][0])
        carrier.page.wait_for_timeout(200)
    raise AssertionError("the survey never reached the server")


def form_height(carrier: Carrier) -> int:
    return carrier.page.evaluate("document.documentElement.scrollHeight")


def test_a_sound_vacant_house_takes_at_most_fifteen_taps_within_four_screens(server, carrier):
    taps = Taps(carrier)
    task = open_survey(server, carrier, taps)
    # 空き家の判定: the signs of vacancy seen, then the rest in one tap.
    taps.choose("mailbox", "チラシ等がたまっている")
    taps.choose("curtains", "雨戸・カーテンが閉め切り")
    taps.choose("electric_meter", "止まっている・撤去")
    taps.section("vacancy", "not_applicable")
    taps.choose("current_state", "空き家の可能性 高")
    # 建物の状態: what the road shows, the rest unseen.
    taps.choose("structure_type", "木造")
    taps.choose("s2_frame", "傾斜・腐朽・破損なし")
    taps.choose("s2_wall", "仕上材料の剥落・腐朽・破損なし")
    taps.choose("s2_roof", "剥落・ずれ・変形なし")
    taps.section("statutory", "unseen")
    # 周囲への影響: nothing.
    taps.section("findings", "not_applicable")
    carrier.take_photo("overview", "p01_overview.jpg")
    expect(carrier.page.locator(".result")).not_to_contain_text("未回答")
    height = form_height(carrier)
    carrier.screenshot("survey-sound-390-full", full_page=True)
    taps.on(carrier.page.locator("button", has_text="保存する"))
    expect(carrier.page.locator(".saved")).to_contain_text("次の家")

    assert taps.count <= 15, taps.count
    assert height <= 4 * SCREEN["height"], height
    answers = saved_answers(server, carrier, task)
    assert answers["mailbox"] == "piling" and answers["nameplate"] == "present"
    assert answers["s1_column"] == "unseen" and answers["s2_frame"] == "none" and answers["s4_rainwater"] == "unseen"
    assert answers["tilt"] == "none" and answers["falling_risk"] is False and answers["school_route"] is False
    print(f"sound house: {taps.count} taps, {height / SCREEN['height']:.2f} screens ({height} px)")


def test_a_damaged_house_with_four_findings_takes_at_most_thirty_taps_and_needs_the_damage_photo(server, carrier):
    taps = Taps(carrier)
    task = open_survey(server, carrier, taps)
    taps.section("vacancy", "not_applicable")
    taps.choose("nameplate", "なし")
    taps.choose("curtains", "カーテンがなく室内に家具がない")
    folded = carrier.page.locator("section[data-section='vacancy'] details.filled > summary")
    expect(folded).to_contain_text("表札: なし（外した跡を含む）")  # the exceptions changed inside the fold
    expect(folded).to_contain_text("カーテン・雨戸: カーテンがなく室内に家具がない")
    taps.choose("current_state", "空き家の可能性 高")
    taps.choose("structure_type", "木造")
    taps.section("statutory", "unseen")
    for key, label in [("s2_frame", "柱の傾斜"), ("s2_wall", "仕上材料の剥落・腐朽・破損により下地が露出"),
                       ("s2_roof", "屋根ぶき材料の一部に剥落又はずれ")]:
        taps.choose(key, label)
    taps.section("findings", "not_applicable")
    taps.choose("trees", "枝が道路・隣地にはみ出している")
    carrier.take_photo("overview", "p01_overview.jpg")
    taps.on(carrier.page.locator("button", has_text="保存する"))
    # Four findings and no damage photo: the form stops at the slot and says why.
    problems = carrier.page.locator(".note-bad[role=alert]")
    expect(problems).to_contain_text("写真「損傷箇所」を撮影してください")
    expect(carrier.page.locator(".slot[data-slot='damage']")).to_have_class("slot has-error")
    carrier.screenshot("survey-damage-photo-missing-390")
    carrier.take_photo("damage", "p47_entrance.jpg")
    height = form_height(carrier)
    taps.on(carrier.page.locator("button", has_text="保存する"))
    expect(carrier.page.locator(".saved")).to_contain_text("次の家")

    assert taps.count <= 30, taps.count
    answers = saved_answers(server, carrier, task)
    assert answers["s2_frame"] == "minor" and answers["trees"] == "over_boundary" and answers["nameplate"] == "absent"
    slots = server.rows("SELECT ph.slot FROM photos ph JOIN inspections i ON i.id = ph.inspection_id"
                        " WHERE i.task_id = ? ORDER BY ph.slot", task)
    assert [s for (s,) in slots] == ["damage", "overview"]
    print(f"damaged house: {taps.count} taps, {height / SCREEN['height']:.2f} screens ({height} px)")


def test_a_damage_photo_that_cannot_be_taken_is_waived_with_a_reason(server, carrier):
    taps = Taps(carrier)
    task = open_survey(server, carrier, taps)
    taps.section("vacancy", "not_applicable")
    taps.choose("current_state", "空き家の可能性 中")
    taps.choose("structure_type", "木造")
    taps.section("statutory", "unseen")
    taps.choose("s2_roof", "屋根ぶき材料の一部に剥落又はずれ")
    taps.section("findings", "not_applicable")
    carrier.take_photo("overview", "p01_overview.jpg")
    waiver = carrier.page.locator(".slot[data-slot='damage'] details.waiver")
    waiver.locator("summary").click()
    waiver.locator("label.choice", has_text="夜間で撮影不可").click()
    carrier.page.locator("button", has_text="保存する").click()
    expect(carrier.page.locator(".saved")).to_contain_text("次の家")
    assert saved_answers(server, carrier, task)["photo_waiver_damage"] == "night"


SMALL_TARGETS = """() => [...document.querySelectorAll(
    "section.form button, section.form label.choice, section.form summary, section.form label.shot, section.form a")]
  .filter((el) => el.offsetParent !== null)
  .map((el) => ({ text: el.textContent.trim().slice(0, 30), w: el.getBoundingClientRect().width,
                  h: el.getBoundingClientRect().height }))
  .filter((box) => box.w < 44 || box.h < 44)"""


@pytest.mark.parametrize("rubric_id, kind", [("municipal_survey", "survey"), ("watch_basic", "watch")])
def test_every_control_on_the_form_is_at_least_44_by_44_px(server, carrier, rubric_id, kind):
    task = server.add_task("surveyed", kind=kind, rubric_id=rubric_id, rubric_version=2, options=["airing"])
    carrier.sign_in()
    carrier.open_task(task)
    for fold in carrier.page.locator("section.form details:not([open]) > summary").all():
        if fold.is_visible():
            fold.click()  # the folded controls count too
    assert carrier.page.evaluate(SMALL_TARGETS) == []
    expect(carrier.page.locator("section.form")).not_to_contain_text("null")
