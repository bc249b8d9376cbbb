"""What needs the carrier's attention: post-disaster visits at the top of the day, a record the
server rejected (shown with its reason), and a record the office returned (corrected and sent
again as a new record that supersedes it)."""

import pytest
from playwright.sync_api import expect

from tests.browser.carrier import answer_required_with_first_choices, take_required_photos

RETURN_COMMENT = "全景の写真が暗くて判別できません。撮り直してください。"


@pytest.fixture(scope="module", autouse=True)
def disaster_tasks(server):
    for house in ("watched", "surveyed"):
        server.world.tasks[f"disaster_{house}"] = server.add_task(
            house, kind="disaster", rubric_id="post_disaster", rubric_version=1, priority=2, note="台風通過後の確認")


def test_post_disaster_visits_come_first_in_the_day(server, carrier):
    carrier.sign_in()
    first_group = carrier.page.locator("h2.group-title").first
    expect(first_group).to_contain_text("災害後の見回り")
    stops = carrier.page.locator("section.tasks .task")  # one stop per house, its most urgent task first
    firsts = [stops.nth(i).locator("a.card[data-task]").first.get_attribute("data-task") for i in range(2)]
    assert set(firsts) == {server.world.tasks["disaster_watched"], server.world.tasks["disaster_surveyed"]}
    expect(carrier.task_cards().first.locator(".tag", has_text="至急")).to_be_visible()
    carrier.screenshot("task-list-disaster")


def test_a_record_for_a_task_given_to_someone_else_shows_the_servers_reason(server, phone, carrier):
    carrier.sign_in()
    phone.set_offline(True)
    carrier.open_task(server.world.tasks["disaster_surveyed"])
    answer_required_with_first_choices(carrier)
    take_required_photos(carrier, "p42_flood_mark.jpg")
    carrier.save()
    record_id = carrier.newest_record_id()
    server.reassign("disaster_surveyed", "kato")
    phone.set_offline(False)

    record = carrier.record(record_id)
    expect(record).to_have_attribute("data-state", "attention", timeout=30000)
    expect(record.locator(".problem")).to_contain_text("割り当てられていません")
    assert server.rows("SELECT count(*) FROM inspections WHERE id = ?", record_id) == [(0,)]


def test_a_returned_record_is_corrected_and_supersedes_the_old_one(server, carrier):
    carrier.sign_in()
    carrier.open_task(server.world.tasks["survey"])
    answer_required_with_first_choices(carrier)
    take_required_photos(carrier, "p01_overview.jpg")
    carrier.save()
    first_id = carrier.newest_record_id()
    expect(carrier.record(first_id)).to_have_attribute("data-state", "sent", timeout=30000)

    clerk = server.session("ueda")
    returned = clerk.post(f"/api/v1/inspections/{first_id}/review",
                          json={"decision": "return", "comment": RETURN_COMMENT})
    assert returned.status_code == 200, returned.text
    carrier.sync_now()
    record = carrier.record(first_id)
    expect(record).to_have_attribute("data-state", "attention", timeout=30000)
    expect(record).to_contain_text(RETURN_COMMENT)
    carrier.screenshot("outbox-returned")

    record.locator("a", has_text="直して送り直す").click()
    expect(carrier.page.locator("section.form h1")).to_contain_text("差し戻された記録の訂正")
    expect(carrier.page.locator(".form-head")).to_contain_text(RETURN_COMMENT)
    expect(carrier.item("nameplate").locator("input:checked")).to_have_count(1)  # the old answers are there
    expect(carrier.page.locator(".slot[data-slot='overview'] img")).to_be_visible()  # and the old photo
    carrier.take_photo("overview", "p20_overview.jpg")
    carrier.save()
    second_id = carrier.newest_record_id()
    assert second_id != first_id
    expect(carrier.record(second_id)).to_have_attribute("data-state", "sent", timeout=30000)
    expect(carrier.record(first_id)).to_have_attribute("data-state", "replaced")
    carrier.screenshot("outbox")

    old, new = (clerk.get(f"/api/v1/inspections/{i}").json() for i in (first_id, second_id))
    assert old["status"] == "superseded"
    assert new["status"] == "submitted" and new["supersedes"] == first_id
    assert new["answers"] == old["answers"]
    assert server.rows("SELECT count(*) FROM inspections WHERE task_id = ?", server.world.tasks["survey"]) == [(2,)]
