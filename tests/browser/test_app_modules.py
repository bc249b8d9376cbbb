"""The app's own modules in the browser: the day's plan, the sign-in expiry warning, and what
the form says about the phone's position (a poor fix warns, no fix still lets the carrier save)."""

from playwright.sync_api import expect

from tests.browser.carrier import Carrier
from tests.browser.live_server import PHONE

PLAN = """async () => {
    const { planDay } = await import("./js/route-order.js");
    const office = { lat: 35.0, lon: 139.0 };
    const task = (id, kind, due, priority = 0) => ({ id, kind, due, priority, property_id: `p-${id}` });
    const at = (id, lat) => [`p-${id}`, { id: `p-${id}`, lat, lon: 139.0 }];
    const tasks = [task("far", "watch", "2026-11-28"), task("near", "watch", "2026-11-28"),
                   task("late", "survey", "2026-11-20"), task("storm", "disaster", "2026-11-29", 2),
                   task("next", "watch", "2026-12-03"), task("mid", "survey", "2026-11-28")];
    const places = new Map([at("far", 35.03), at("near", 35.001), at("late", 35.05), at("storm", 35.1),
                            at("next", 35.0), at("mid", 35.02)]);
    return planDay(tasks, places, office, "2026-11-28")
        .map((group) => [group.key, group.entries.map((entry) => entry.task.id)]);
}"""


def test_the_day_starts_with_disaster_visits_then_overdue_then_today_in_walking_order(server, carrier):
    carrier.open_app()
    plan = carrier.page.evaluate(PLAN)
    # After the storm (35.1) and the overdue house (35.05), today's walk continues from there: far, mid, near.
    assert plan == [["disaster", ["storm"]], ["overdue", ["late"]], ["today", ["far", "mid", "near"]],
                    ["later", ["next"]]]


def test_the_phone_warns_three_days_before_the_sign_in_expires(server, carrier):
    carrier.open_app()
    warnings = carrier.page.evaluate("""async () => {
        const { expiryWarning } = await import("./js/session.js");
        const now = new Date("2026-11-28T09:00:00+09:00");
        return ["2026-12-02T09:00:00+09:00", "2026-11-30T21:00:00+09:00", "2026-11-28T08:00:00+09:00"]
            .map((expires) => expiryWarning(expires, now));
    }""")
    assert warnings == [None, {"level": "soon", "days": 3}, {"level": "expired", "days": 0}]


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
