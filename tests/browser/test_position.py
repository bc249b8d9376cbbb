"""What the form says about the phone's position (a poor fix warns, no fix still lets the carrier
save): the browser's geolocation, so these stay in the browser. The app's pure modules (the day's
plan, the sign-in expiry warning, drafts) are tested under `node --test` in tests/js/."""

from playwright.sync_api import expect

from tests.browser.carrier import Carrier
from tests.browser.live_server import PHONE


def test_a_poor_position_fix_is_shown_as_a_warning(server, browser):
    phone = browser.new_context(**{**PHONE, "geolocation": {"latitude": 35.6871, "longitude": 139.7401, "accuracy": 350}})
    carrier = Carrier(phone.new_page(), server.app_url)
    carrier.sign_in()
    carrier.open_task(server.world.tasks["survey"])
    expect(carrier.page.locator(".geo")).to_contain_text("精度が低い")
    expect(carrier.page.locator(".geo")).to_contain_text("350 m")
    phone.close()


def test_without_location_permission_the_form_says_so_and_still_saves(server, browser):
    phone = browser.new_context(**{**PHONE, "permissions": []})
    carrier = Carrier(phone.new_page(), server.app_url)
    carrier.sign_in()
    carrier.open_task(server.world.tasks["watch"])
    expect(carrier.page.locator(".geo")).to_contain_text("位置なしで保存できます")
    carrier.fill_watch_visit(airing=False)
    carrier.choose("airing_done", "いいえ")
    carrier.type_text("airing_skipped_reason", "鍵を預かっていないため")
    carrier.save()
    record_id = carrier.newest_record_id()
    expect(carrier.record(record_id)).to_have_attribute("data-state", "sent", timeout=30000)
    assert server.rows("SELECT lat, lon FROM inspections WHERE id = ?", record_id) == [(None, None)]
    phone.close()
