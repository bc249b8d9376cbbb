"""Photos the carrier cannot take honestly: a side against the neighbour's wall is waived with a
reason beside its slot, and an 異常あり answer cannot be saved without its close-up photo."""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.carrier import answer_required_with_first_choices


@pytest.fixture(scope="module", autouse=True)
def watch_v2_task(server):
    server.world.tasks["watch_v2"] = server.add_task("watched", kind="watch", rubric_id="watch_basic",
                                                     rubric_version=2, note="ご依頼箇所：裏庭の物置")


def test_a_side_waived_with_a_reason_is_saved_without_its_photo_but_an_abnormal_item_needs_one(server, carrier):
    carrier.sign_in()
    carrier.open_task(server.world.tasks["watch_v2"])
    answer_required_with_first_choices(carrier)
    for slot in ("front", "back", "left", "entrance", "mailbox", "garden"):
        carrier.take_photo(slot, "p01_overview.jpg")
    waiver = carrier.page.locator(".slot[data-slot='right'] fieldset[data-key='photo_waiver_right']")
    expect(waiver).to_be_hidden()  # folded away until the carrier needs it
    carrier.page.locator(".slot[data-slot='right'] summary", has_text="撮影できないとき").click()
    expect(waiver).to_be_visible()
    waiver.locator("label.choice", has_text="隣家に接し撮影不可").click()
    carrier.choose("exterior", "異常あり")
    carrier.type_text("exterior_note", "雨どいが外れています。")
    carrier.page.locator("button", has_text="保存する").click()
    expect(carrier.page.locator("div.note-bad[role=alert]")).to_contain_text("「住宅外観の状況」が異常ありのため、写真「異常箇所」を撮影してください。")
    carrier.page.locator("section.photos").screenshot(path="/tmp/akiya-shots/photo-waiver-slots.png")
    carrier.take_photo("finding", "p21_garden.jpg")
    carrier.save()
    record_id = carrier.newest_record_id()
    expect(carrier.record(record_id)).to_have_attribute("data-state", "sent", timeout=30000)
    [(answers,)] = server.rows("SELECT answers FROM inspections WHERE id = ?", record_id)
    assert json.loads(answers)["photo_waiver_right"] == "neighbour_wall"
    slots = {row[0] for row in server.rows("SELECT slot FROM photos WHERE inspection_id = ?", record_id)}
    assert "right" not in slots and "finding" in slots
