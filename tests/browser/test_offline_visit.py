"""A watch visit done with no network: the app opens from the service worker's cache, the
record waits on the phone across a closed page, and reaches the server once, with every
photo's capture time and GPS intact and the pixels upright (Orientation 1)."""

from playwright.sync_api import expect

from tests.browser.carrier import WATCH_PHOTOS, Carrier
from tests.browser.photo_evidence import capture_facts, evidence, original_facts, stored_original


def test_a_watch_visit_saved_offline_reaches_the_server_once_with_its_photo_evidence(server, phone, carrier):
    carrier.sign_in()
    carrier.wait_until_offline_capable()
    expect(carrier.page.locator(".card .tags", has_text="通風・通水").or_(
        carrier.page.locator(".card", has_text="通風・通水")).first).to_be_visible()
    carrier.screenshot("task-list")

    phone.set_offline(True)
    carrier.page.reload()
    expect(carrier.page.locator("#net-state")).to_contain_text("圏外")
    carrier.open_task(server.world.tasks["watch"])
    carrier.fill_watch_visit()
    carrier.screenshot("form")
    carrier.screenshot("form-full", full_page=True)
    carrier.save()
    record_id = carrier.newest_record_id()
    expect(carrier.record(record_id)).to_have_attribute("data-state", "waiting")
    carrier.screenshot("outbox-waiting")
    carrier.page.close()

    reopened = Carrier(phone.new_page(), server.app_url)
    reopened.page.goto(f"{server.app_url}#/outbox")
    expect(reopened.record(record_id)).to_have_attribute("data-state", "waiting")
    phone.set_offline(False)
    expect(reopened.record(record_id)).to_have_attribute("data-state", "sent", timeout=30000)

    assert server.rows("SELECT id FROM inspections WHERE task_id = ?", server.world.tasks["watch"]) == [(record_id,)]
    shown = server.session("ueda").get(f"/api/v1/inspections/{record_id}").json()
    assert shown["status"] == "submitted"
    assert shown["answers"]["airing_rooms"] == 4
    assert sorted(p["slot"] for p in shown["photos"] if p["received"]) == sorted(WATCH_PHOTOS)
    for photo in shown["photos"]:
        stored = stored_original(server.data_dir, photo["id"])
        assert capture_facts(stored) == original_facts(WATCH_PHOTOS[photo["slot"]]), photo["slot"]
        found = evidence(stored)
        assert found["orientation"] in (1, None)
        assert max(found["size"]) <= 1600
    sideways = evidence(stored_original(server.data_dir, _photo_in(shown, "exterior_east")))
    assert sideways["orientation"] == 1 and sideways["size"][1] > sideways["size"][0]  # stood up: portrait
    assert evidence(stored_original(server.data_dir, _photo_in(shown, "exterior_south")))["size"] == (1600, 1200)


def _photo_in(inspection: dict, slot: str) -> str:
    return next(p["id"] for p in inspection["photos"] if p["slot"] == slot)
