"""Work an owner ordered on the carrier's phone: the task list names it オプション作業, the form is the option_work
rubric showing only the ordered work (草刈 here), the before/after photo slots of each area the carrier chose
appear, nothing is judged, and the record is sent like any visit."""

import pytest
from playwright.sync_api import expect


@pytest.fixture(scope="module", autouse=True)
def mowing_task(server):
    server.world.tasks["mowing"] = server.add_task("watched", kind="work", rubric_id="option_work", rubric_version=1,
                                                   options=["mowing"], note="草刈（作業のお申し込み）: 前庭")


def test_a_mowing_task_shows_the_mowing_form_and_the_photos_of_the_chosen_area(server, carrier):
    carrier.sign_in()
    card = carrier.page.locator(f"a.card[data-task='{server.world.tasks['mowing']}']")
    expect(card).to_contain_text("オプション作業")
    carrier.open_task(server.world.tasks["mowing"])
    form = carrier.page.locator("section.form")
    expect(form.locator("h1")).to_have_text("オプション作業")
    expect(form.locator(".tag.options")).to_contain_text("草刈")
    expect(carrier.item("sign_placed")).to_be_hidden()  # another work's section
    expect(carrier.item("cleaning_done")).to_be_hidden()
    carrier.choose("mowing_done", "はい")
    carrier.choose("mowing_areas", "前庭")
    carrier.type_number("mowing_area_m2", "60")
    carrier.choose("mowing_clippings", "袋に入れて敷地内にまとめた")
    slots = carrier.page.locator(".slot")
    expect(slots.locator("visible=true")).to_have_count(2)
    expect(carrier.page.locator(".slot[data-slot='mowing_front_yard_before']")).to_be_visible()
    expect(carrier.page.locator(".slot[data-slot='mowing_back_yard_before']")).to_be_hidden()
    expect(carrier.page.locator(".slot[data-slot='sign']")).to_be_hidden()
    expect(carrier.page.locator("div.result")).to_be_hidden()  # facts only: nothing to judge
    carrier.take_photo("mowing_front_yard_before", "p21_garden.jpg")
    carrier.page.locator("button", has_text="保存する").click()
    expect(carrier.page.locator("div.note-bad[role=alert]")).to_contain_text("前庭 作業後")
    carrier.take_photo("mowing_front_yard_after", "p01_overview.jpg")
    carrier.screenshot("work-task-mowing", full_page=True)
    carrier.save()
    record_id = carrier.newest_record_id()
    expect(carrier.record(record_id)).to_have_attribute("data-state", "sent", timeout=30000)
    assert server.rows("SELECT kind, task_id FROM inspections WHERE id = ?", record_id) == [
        ("work", server.world.tasks["mowing"])]
    slots_sent = sorted(row[0] for row in server.rows("SELECT slot FROM photos WHERE inspection_id = ?", record_id))
    assert slots_sent == ["mowing_front_yard_after", "mowing_front_yard_before"]
