"""The owner's mark on last month's photo, on a 390×844 phone: the task's header shows the photo with the
marked cell of the 3×3 grid drawn over it, from the guide kept on the phone, so it shows offline too."""

from playwright.sync_api import expect

from tests.browser.test_quick_visit import carrier, guides_cached, pushed_visit  # noqa: F401 (carrier: 390×844)

SPOT = "北側の雨どい"


async def _marked(conn, property_id: str, task_id: str, photo_id: str) -> None:
    await conn.execute("""UPDATE watch_subscriptions SET requested_spot = ?, requested_spot_photo_id = ?,
                          requested_spot_cell = 5 WHERE property_id = ?""", (SPOT, photo_id, property_id))
    await conn.execute("UPDATE tasks SET subscription_id = (SELECT id FROM watch_subscriptions WHERE property_id = ?)"
                       " WHERE id = ?", (property_id, task_id))


def test_the_carrier_sees_the_owners_mark_on_last_months_photo_even_offline(server, carrier):
    house = server.world.properties["watched"]
    last = pushed_visit(server, "watched", "watch_basic", server.world.tasks["watch"], options=["airing"])
    assert server.session("ueda").post(f"/api/v1/inspections/{last.id}/review",
                                       json={"decision": "approve"}).status_code == 200
    task = server.add_task("watched", kind="watch", rubric_id="watch_basic", rubric_version=1)
    marked_photo = sorted(last.photos)[0]
    server.write(_marked, house, task, marked_photo)

    carrier.sign_in()
    for _ in range(100):
        if guides_cached(carrier.page) >= len(last.photos):
            break
        carrier.page.wait_for_timeout(100)
    assert guides_cached(carrier.page) == len(last.photos)
    carrier.page.context.set_offline(True)
    carrier.open_task(task)
    figure = carrier.page.locator(".form-head figure.spot-mark")
    expect(figure.locator("img")).to_be_visible()
    expect(figure.locator("img")).to_have_attribute("alt", "所有者が印をつけた前回の写真（印: 右）")
    expect(figure.locator("figcaption")).to_have_text("所有者の印: 前回の写真の右")
    frame = figure.locator(".spot-mark-frame").bounding_box()
    box = figure.locator(".spot-mark-box.cell-5").bounding_box()
    assert abs(box["x"] - (frame["x"] + frame["width"] * 2 / 3)) < 3
    assert abs(box["y"] - (frame["y"] + frame["height"] / 3)) < 3
    assert abs(box["width"] - frame["width"] / 3) < 3
    expect(carrier.page.locator(".requested-spot")).to_contain_text(SPOT)
    carrier.screenshot("requested-spot-mark-390")
